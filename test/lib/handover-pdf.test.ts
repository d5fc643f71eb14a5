// The handover list's PDF on its own (lib/handovers/pdf.ts): a long day runs over several pages,
// each with the table's header, every parcel once, the totals and signatures at the end.
import { handoverTotals, type Handover, type HandoverParcel } from '../../domain/handovers';
import { renderHandoverPdf } from '../../lib/handovers/pdf';
import { pdfPagesText } from '../helpers/pdf-text';

const parcels: HandoverParcel[] = Array.from({ length: 90 }, (_, i) => ({
  orderId: `SO-${1000 + i}`,
  shipmentId: `shipment-SO-${1000 + i}-1`,
  trackingNumber: `TN${String(500000 + i)}`,
  pieces: 1 + (i % 2),
  weightGrams: 1000 + i,
  cashOnDelivery: i % 10 === 0 ? { amount: 10.1, currency: i % 20 === 0 ? 'TRY' : 'EUR' } : null,
  labelledAt: '2026-12-01T10:00:00.000Z',
  notAcceptedAt: null,
}));

const handover: Handover = {
  handoverId: 'aras.ANK-1.2026-12-01',
  carrier: 'aras',
  warehouse: { warehouseId: 'ANK-1', name: 'Ankara Sincan', city: 'Ankara', timeZone: 'Europe/Istanbul' },
  day: '2026-12-01',
  cutoffAt: '2026-12-01T14:00:00.000Z',
  closedAt: '2026-12-01T14:03:00.000Z',
  acceptBy: '2026-12-02T14:00:00.000Z',
  acceptanceCheckedAt: null,
  pickup: null, // Aras publishes no pickup call
  parcels,
  totals: handoverTotals(parcels),
};

test('90 parcels: several numbered pages, the header on each, every tracking number once, then the totals with the signature boxes on their page', async () => {
  const pages = await pdfPagesText(await renderHandoverPdf(handover, { carrierName: 'Aras Kargo' }));
  expect(pages.length).toBeGreaterThan(1);
  pages.forEach((text, i) => {
    expect(text).toContain('Tracking number');
    expect(text).toContain(`page ${i + 1} of ${pages.length}`);
  });
  expect(pages[0]).toContain('Handover list · Aras Kargo');
  expect(pages[0]).toContain('Courier pickup: none booked');
  const all = pages.join('\n');
  for (const { trackingNumber } of parcels) expect(all.split(trackingNumber).length - 1).toBe(1);
  const last = pages[pages.length - 1];
  expect(last).toMatch(/Total\s+90 parcels\s+135\s+94\.01/); // 45 parcels of 1 piece, 45 of 2; 90 kg + 4,005 g
  expect(last).toContain('Cash on delivery to collect: 40.40 EUR · 50.50 TRY');
  expect(last).toContain('Driver (Aras Kargo)');
});
