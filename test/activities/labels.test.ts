// Our own labels for barcode-only carriers: the ZPL a thermal printer reads and the 4x6 PDF,
// with the tracking number's Code 128 barcode and Turkish text intact.
import { renderPdfLabel, renderZplLabel, type LabelContent } from '../../activities/labels/render';
import { barcodesInPdf } from '../helpers/pdf-barcode';

const label: LabelContent = {
  carrier: 'yurtici',
  trackingNumber: 'YK7A3F09C2D1E4B5A6C7',
  service: 'standard',
  orderId: 'SO-1001',
  shipmentId: 'shipment-SO-1001-1',
  weightGrams: 1234,
  sender: { name: 'Istanbul Tuzla', city: 'İstanbul', countryCode: 'TR' },
  recipient: {
    name: 'Ayşe Yılmaz^XZ',
    line1: 'Bağdat Cad. No: 12 D: 4',
    city: 'İstanbul',
    district: 'Kadıköy',
    postalCode: '34710',
    countryCode: 'TR',
  },
};

test('ZPL: a 4x6 label in UTF-8 with a Code 128 barcode of the tracking number, and no injected commands', () => {
  const zpl = renderZplLabel(label);
  expect(zpl.startsWith('^XA\n^CI28\n^PW812\n^LL1218')).toBe(true);
  expect(zpl.endsWith('^XZ')).toBe(true);
  expect(zpl).toContain('^BCN,220,Y,N,N^FDYK7A3F09C2D1E4B5A6C7^FS');
  expect(zpl).toContain('^FDAyşe Yılmaz XZ^FS'); // a caret in data cannot end the label early
  expect(zpl).toContain('^FD34710 Kadıköy İstanbul^FS');
  expect(zpl).toContain('Weight 1.23 kg');
  expect(zpl).toContain('Order SO-1001');
  expect(zpl.match(/\^XZ/g)).toHaveLength(1);
});

test('ZPL: cash on delivery tells the courier what to collect and how: in cash unless the order said card; nothing when prepaid', () => {
  expect(renderZplLabel({ ...label, cashOnDelivery: { amount: 150, currency: 'TRY', collectionType: 'card' } })).toContain(
    '^FDCollect 150.00 TRY by card^FS',
  );
  expect(renderZplLabel({ ...label, cashOnDelivery: { amount: 99.9, currency: 'TRY' } })).toContain('^FDCollect 99.90 TRY in cash^FS');
  expect(renderZplLabel(label)).not.toContain('Collect');
});

test('PDF: one 4x6 in page with the barcode image, the tracking number, and a font that carries Turkish letters', async () => {
  const pdf = (await renderPdfLabel(label)).toString('latin1');
  expect(pdf.startsWith('%PDF-')).toBe(true);
  expect(pdf).toMatch(/\/MediaBox \[0 0 288 432\]/);
  expect(pdf).toContain('(Label YK7A3F09C2D1E4B5A6C7)'); // the document title
  expect(pdf).toMatch(/\/Subtype \/Image/); // the Code 128 barcode
  expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans/);
  // The font's Unicode map holds the Turkish letters the text used: ş ı ğ İ.
  for (const codePoint of ['015f', '0131', '011f', '0130']) expect(pdf.toLowerCase()).toContain(`<${codePoint}>`);
});

test('PDF: the printed barcode scans as the tracking number', async () => {
  expect(await barcodesInPdf(await renderPdfLabel(label))).toEqual([label.trackingNumber]);
  const other = { ...label, trackingNumber: 'AR12345678901' };
  expect(await barcodesInPdf(await renderPdfLabel(other))).toEqual(['AR12345678901']);
});
