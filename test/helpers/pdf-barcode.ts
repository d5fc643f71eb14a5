// Reads the barcodes printed in a PDF label, as a scanner at the carrier's depot would: the PDF's
// image objects (pdf-lib) as pixels on white paper, each decoded (ZXing).
import { BarcodeFormat, BinaryBitmap, DecodeHintType, HybridBinarizer, MultiFormatReader, RGBLuminanceSource } from '@zxing/library';
import { PDFDocument, PDFName, PDFNumber, PDFRawStream } from 'pdf-lib';
import { inflateSync } from 'node:zlib';

const CHANNELS: Record<string, number> = { DeviceGray: 1, DeviceRGB: 3 };

/** An image's pixels, one byte per channel: pdfkit stores the barcode's PNG as deflated pixels and a soft mask. */
function pixels(image: PDFRawStream): { width: number; height: number; channels: number; data: Uint8Array } {
  const number = (key: string) => (image.dict.get(PDFName.of(key)) as PDFNumber).asNumber();
  const [width, height] = [number('Width'), number('Height')];
  const colourSpace = (image.dict.get(PDFName.of('ColorSpace')) as PDFName).asString().slice(1);
  const channels = CHANNELS[colourSpace];
  if (!channels) throw new Error(`unexpected image colour space ${colourSpace}`);
  if (image.dict.get(PDFName.of('DecodeParms'))) throw new Error('PNG-predicted image data: not what pdfkit writes for our labels');
  return { width, height, channels, data: inflateSync(image.contents) };
}

/** The image as printed on white paper: its soft mask (alpha), when it has one, blends it with the page. */
function printed(image: PDFRawStream, context: PDFDocument['context']): { width: number; height: number; luminance: Uint8ClampedArray } {
  const { width, height, channels, data } = pixels(image);
  const maskRef = image.dict.get(PDFName.of('SMask'));
  const alpha = maskRef ? pixels(context.lookup(maskRef) as PDFRawStream).data : undefined;
  const luminance = new Uint8ClampedArray(width * height);
  for (let i = 0; i < luminance.length; i++) {
    let grey = 0;
    for (let c = 0; c < channels; c++) grey += data[i * channels + c] / channels;
    const a = alpha ? alpha[i] / 255 : 1;
    luminance[i] = 255 - a * (255 - grey);
  }
  return { width, height, luminance };
}

/** The Code 128 barcode in these pixels (one luminance byte each), if there is one. */
export function decodeCode128(luminance: Uint8ClampedArray, width: number, height: number): string | undefined {
  return decodeCode128WithSpan(luminance, width, height)?.text;
}

/** The Code 128 barcode found, with how wide it is (pixels between its first and last bar). */
export function decodeCode128WithSpan(
  luminance: Uint8ClampedArray,
  width: number,
  height: number,
): { text: string; span: number } | undefined {
  const reader = new MultiFormatReader();
  reader.setHints(
    new Map<DecodeHintType, unknown>([
      [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.CODE_128]],
      [DecodeHintType.TRY_HARDER, true],
    ]),
  );
  try {
    const result = reader.decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(luminance, width, height))));
    const xs = result.getResultPoints().map((point) => point.getX());
    return { text: result.getText(), span: Math.max(...xs) - Math.min(...xs) };
  } catch {
    return undefined; // an image that holds no barcode
  }
}

const decode = ({ width, height, luminance }: ReturnType<typeof printed>) => decodeCode128(luminance, width, height);

/** The text of every Code 128 barcode among the PDF's images. */
export async function barcodesInPdf(pdf: Buffer): Promise<string[]> {
  const doc = await PDFDocument.load(pdf);
  const found: string[] = [];
  const masks = new Set<unknown>();
  const images: PDFRawStream[] = [];
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream) || object.dict.get(PDFName.of('Subtype')) !== PDFName.of('Image')) continue;
    images.push(object);
    const mask = object.dict.get(PDFName.of('SMask'));
    if (mask) masks.add(doc.context.lookup(mask));
  }
  for (const image of images.filter((i) => !masks.has(i))) {
    const text = decode(printed(image, doc.context));
    if (text !== undefined) found.push(text);
  }
  return found;
}
