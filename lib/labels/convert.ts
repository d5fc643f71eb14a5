// A label in the format a printer asks for, from a PDF label: ZPL with the page as one graphic
// field (^GFA) for a thermal printer of 203 or 300 dpi, PNG, or the 4x6 in label placed on an A4
// sheet of labels.
import { PageSizes, PDFDocument } from 'pdf-lib';
import { pdfToGrey, pdfToPng, type GreyBitmap } from './rasterize';
import { graphicFieldData } from './zpl';

export type Dpi = 203 | 300;

// A grey below this prints black: the thermal head has only black and white.
const BLACK_BELOW = 128;
const MM = 72 / 25.4;
// Label sheets leave a printer's unprintable edge: the label sits at the top left, 10 mm in.
const SHEET_MARGIN = 10 * MM;

/** The bitmap as ^GFA bytes: one bit a dot, 1 prints black, rows padded to whole bytes. */
function graphicField({ width, height, grey }: GreyBitmap): { bytesPerRow: number; bytes: Buffer } {
  const bytesPerRow = Math.ceil(width / 8);
  const bytes = Buffer.alloc(bytesPerRow * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (grey[y * width + x] < BLACK_BELOW) bytes[y * bytesPerRow + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return { bytesPerRow, bytes };
}

/** ZPL for a printer of `dpi`: the PDF's page as one graphic, at the printer's own resolution. */
export async function pdfToZpl(pdf: Buffer, dpi: Dpi): Promise<string> {
  const bitmap = await pdfToGrey(pdf, dpi);
  const { bytesPerRow, bytes } = graphicField(bitmap);
  const data = graphicFieldData(bytes, bytesPerRow);
  // Both counts are of the uncompressed bytes, as ^GFA's ASCII form wants them.
  return [
    '^XA',
    `^PW${bitmap.width}`,
    `^LL${bitmap.height}`,
    `^FO0,0^GFA,${bytes.length},${bytes.length},${bytesPerRow},${data}^FS`,
    '^XZ',
  ].join('\n');
}

export { pdfToPng };

/** The label's first page at its true size on an A4 page (scaled down only if it would not fit). */
export async function pdfOnA4(pdf: Buffer): Promise<Buffer> {
  const sheet = await PDFDocument.create();
  const [label] = await sheet.embedPdf(pdf, [0]);
  const [width, height] = PageSizes.A4;
  const scale = Math.min(1, (width - 2 * SHEET_MARGIN) / label.width, (height - 2 * SHEET_MARGIN) / label.height);
  sheet.addPage(PageSizes.A4).drawPage(label, {
    x: SHEET_MARGIN,
    y: height - SHEET_MARGIN - label.height * scale,
    xScale: scale,
    yScale: scale,
  });
  return Buffer.from(await sheet.save());
}
