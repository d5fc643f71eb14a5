// Reads the Code 128 barcode of a label in any format, as the depot's scanner would read the
// printout: a PDF's page rasterized, a PNG's pixels, a ZPL label's graphic field (^GFA) as the
// printer's dots, or the data of the barcode the printer draws itself (^BC).
import { createCanvas, loadImage } from '@napi-rs/canvas';
import type { Response } from 'superagent';
import { pdfToGrey } from '../../lib/labels/rasterize';
import { decodeCode128, decodeCode128WithSpan } from './pdf-barcode';

/** A supertest parser that keeps any response body as bytes (zpl and pdf included). */
export function binary(res: Response, done: (err: Error | null, body: Buffer) => void): void {
  // In Node, superagent hands the parser the response stream.
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

/** The printed part of a page (with a margin of white for the quiet zones): a scanner is aimed at the label, not the sheet around it. */
function printedPart(
  grey: Uint8Array,
  width: number,
  height: number,
  margin = 40,
): { luminance: Uint8ClampedArray; width: number; height: number } {
  let [left, top, right, bottom] = [width, height, 0, 0];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (grey[y * width + x] >= 128) continue;
      [left, top, right, bottom] = [Math.min(left, x), Math.min(top, y), Math.max(right, x), Math.max(bottom, y)];
    }
  }
  [left, top] = [Math.max(0, left - margin), Math.max(0, top - margin)];
  [right, bottom] = [Math.min(width - 1, right + margin), Math.min(height - 1, bottom + margin)];
  const [w, h] = [right - left + 1, bottom - top + 1];
  const luminance = new Uint8ClampedArray(w * h);
  for (let y = 0; y < h; y++) luminance.set(grey.subarray((top + y) * width + left, (top + y) * width + left + w), y * w);
  return { luminance, width: w, height: h };
}

export async function barcodeInPdfPage(pdf: Buffer, dpi = 203): Promise<string | undefined> {
  const page = await pdfToGrey(pdf, dpi);
  const { luminance, width, height } = printedPart(page.grey, page.width, page.height);
  return decodeCode128(luminance, width, height);
}

export async function barcodeInPng(png: Buffer): Promise<string | undefined> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  const rgba = context.getImageData(0, 0, image.width, image.height).data;
  const luminance = new Uint8ClampedArray(image.width * image.height);
  for (let i = 0; i < luminance.length; i++) luminance[i] = (rgba[i * 4] + rgba[i * 4 + 1] + rgba[i * 4 + 2]) / 3;
  return widestBarcode(luminance, image.width, image.height);
}

/**
 * The barcode a scanner aimed at it reads: the widest Code 128 found, band by band down the label.
 * Over the whole label the decoder stops at the first match it meets from the middle out, and a
 * line of text can pass for a short Code 128 there (a tracking number's printed digits read as
 * "1048038986773"): the label's barcode is far wider than any such match.
 */
function widestBarcode(luminance: Uint8ClampedArray, width: number, height: number): string | undefined {
  const band = Math.max(1, Math.floor(height / 8));
  let widest: { text: string; span: number } | undefined;
  for (let top = 0; top < height; top += Math.floor(band / 2)) {
    const rows = Math.min(band, height - top);
    const found = decodeCode128WithSpan(luminance.subarray(top * width, (top + rows) * width), width, rows);
    if (found && (!widest || found.span > widest.span)) widest = found;
  }
  return widest?.text;
}

const GRAPHIC_FIELD = /\^GFA,(\d+),(\d+),(\d+),([^^]+)/;
const PRINTER_BARCODE = /\^BC[^^]*(?:\^[A-Z]{2}[^^]*)*?\^FD([^^]*)\^FS/;

/**
 * ^GFA's ASCII data as the printer reads it: hexadecimal digits, each after an optional repeat
 * count (G..Y = 1..19, g..z = 20..400, added up), a comma filling the row with 0s, an exclamation
 * mark with 1s, a colon repeating the row above (ZPL II guide, "Alternative Data Compression Scheme").
 */
export function graphicFieldBytes(data: string, bytesPerRow: number): Buffer {
  const rowLength = bytesPerRow * 2;
  const rows: string[] = [];
  let row = '';
  let count = 0;
  const endRow = () => {
    rows.push(row);
    row = '';
  };
  for (const c of data.replace(/\s/g, '')) {
    if (c >= 'G' && c <= 'Y') count += c.charCodeAt(0) - 'F'.charCodeAt(0);
    else if (c >= 'g' && c <= 'z') count += (c.charCodeAt(0) - 'f'.charCodeAt(0)) * 20;
    else if (c === ':') rows.push(rows[rows.length - 1]);
    else if (c === ',' || c === '!') {
      row = row.padEnd(rowLength, c === ',' ? '0' : 'F');
      endRow();
    } else {
      row += c.repeat(count || 1);
      count = 0;
      if (row.length >= rowLength) endRow();
    }
  }
  if (rows.some((r) => r.length !== rowLength)) throw new Error(`a ^GFA row is not ${rowLength} hex digits long`);
  return Buffer.from(rows.join(''), 'hex');
}

/** The printer's dots of a ^GFA field. */
function graphicBarcode(zpl: string): string | undefined {
  const field = GRAPHIC_FIELD.exec(zpl);
  if (!field) return undefined;
  const bytesPerRow = Number(field[3]);
  const bytes = graphicFieldBytes(field[4], bytesPerRow);
  if (bytes.length !== Number(field[1])) throw new Error(`^GFA announces ${field[1]} bytes, its data holds ${bytes.length}`);
  const [width, height] = [bytesPerRow * 8, bytes.length / bytesPerRow];
  const luminance = new Uint8ClampedArray(width * height);
  for (let i = 0; i < luminance.length; i++) luminance[i] = bytes[i >> 3] & (0x80 >> (i & 7)) ? 0 : 255;
  return decodeCode128(luminance, width, height);
}

/** The barcode a ZPL label prints: its graphic field's, or the data of its ^BC command. */
export function barcodeInZpl(zpl: string): string | undefined {
  return graphicBarcode(zpl) ?? PRINTER_BARCODE.exec(zpl)?.[1];
}
