// ZPL for thermal printers: the graphic field's compressed data and the words of a carrier's label.
import { graphicFieldData, zplTextFields } from '../../lib/labels/zpl';
import { graphicFieldBytes } from '../helpers/label-barcode';

const row = (...bytes: number[]) => Buffer.from(bytes);

test("graphic field data: repeat counts, a comma for a row's white end, a colon for a row repeated", () => {
  // The guide's own example: "vMB" is 327 B digits (320 + 7).
  expect(graphicFieldData(Buffer.concat([Buffer.alloc(163, 0xbb), row(0xb0)]), 164)).toBe('vMB,');
  expect(graphicFieldData(row(0xf0, 0x00, 0x00, 0x0f, 0x00), 5)).toBe('FL0F,');
  expect(graphicFieldData(Buffer.alloc(400, 0xff), 200)).toBe('zF:'); // 400 F digits, then the same row
  expect(graphicFieldData(Buffer.concat([Buffer.alloc(4), row(0x12, 0x34, 0x56, 0x78), Buffer.alloc(4)]), 4)).toBe(',12345678,');
});

test('graphic field data reads back as the printer reads it, dot for dot', () => {
  const bitmap = Buffer.alloc(150 * 40);
  for (let i = 0; i < bitmap.length; i++) bitmap[i] = (i * 7919) % 13 < 4 ? 0 : (i * 31) & 0xff; // white runs and noise
  bitmap.copy(bitmap, 150 * 10, 150 * 9, 150 * 10); // a repeated row
  expect(graphicFieldBytes(graphicFieldData(bitmap, 150), 150).equals(bitmap)).toBe(true);
});

test("a carrier's ZPL in words: each text field in order, not its barcodes or boxes", () => {
  const zpl =
    '^XA^CI28^FO40,40^A0N,56,56^FDMNG KARGO^FS^FO40,110^GB732,3,3^FS^FO80,480^BY3^BCN,220,Y,N,N^FD553000000002^FS^FO40,760^A0N,30,30^FDTAHSİLAT 120.00 TL^FS^XZ';
  expect(zplTextFields(zpl)).toEqual(['MNG KARGO', 'TAHSİLAT 120.00 TL']);
});
