// The commercial invoice's content and paper (issue 25): lines and totals from the customs data,
// three A4 copies, one page each.
import { PDFDocument } from 'pdf-lib';
import { INVOICE_COPIES, invoiceContent, renderCommercialInvoice } from '../../activities/labels/commercial-invoice';
import type { ShipmentCustoms } from '../../domain/customs';
import { pdfPagesText } from '../helpers/pdf-text';

const customs: ShipmentCustoms = {
  reasonForExport: 'sale',
  dutiesTerms: 'DDP',
  etgbReference: '23341400EX000123',
  invoiceNumber: 'ORDER-1001',
  invoiceDate: '2026-12-03',
  lines: [
    { sku: 'MUG-1', quantity: 3, description: 'Ceramic mug', hsCode: '691200', originCountry: 'TR', unitValue: 12.35, currency: 'EUR' },
    { sku: 'SHIRT-M', quantity: 1, description: 'Pamuklu tişört', hsCode: '61091000', originCountry: 'TR', unitValue: 20, currency: 'EUR' },
  ],
};
const parties = {
  exporter: { name: 'Order Engine Tuzla', city: 'İstanbul', countryCode: 'TR' },
  consignee: { name: 'Jane Smith', line1: '10 Downing Street', city: 'London', postalCode: 'SW1A 2AA', countryCode: 'GB' },
  carrier: 'ups',
  trackingNumber: '1ZSANDBX110000000001',
};

test('each line is valued quantity × unit value to the cent, and the invoice totals them in their currency', () => {
  const content = invoiceContent(customs, parties);
  expect(content.lines.map((l) => [l.sku, l.hsCode, l.originCountry, l.quantity, l.total])).toEqual([
    ['MUG-1', '691200', 'TR', 3, 37.05],
    ['SHIRT-M', '61091000', 'TR', 1, 20],
  ]);
  expect(content).toMatchObject({
    currency: 'EUR',
    totalValue: 57.05,
    invoiceNumber: 'ORDER-1001',
    terms: { dutiesTerms: 'DDP', etgbReference: '23341400EX000123' },
  });
});

test('the invoice is three A4 copies, one page each, titled with its number', async () => {
  const pdf = await renderCommercialInvoice(invoiceContent(customs, parties));
  const doc = await PDFDocument.load(pdf);
  expect(doc.getPageCount()).toBe(INVOICE_COPIES);
  expect(INVOICE_COPIES).toBe(3);
  for (const page of doc.getPages()) expect(page.getSize()).toEqual({ width: 595.28, height: 841.89 });
  expect(doc.getTitle()).toBe('Commercial invoice ORDER-1001');
});

test("a US consignee's state is printed after the city, as customs read the address (issue 25)", async () => {
  const consignee = {
    name: 'John Doe',
    line1: '350 Fifth Avenue',
    city: 'New York',
    stateCode: 'NY',
    postalCode: '10118',
    countryCode: 'US',
  };
  const [page] = await pdfPagesText(await renderCommercialInvoice(invoiceContent(customs, { ...parties, consignee })));
  expect(page).toContain('10118 New York NY');
});
