// Renders the first page of a handover list's PDF to a PNG (docs/img/handover-page.png), as the
// driver sees it: `npx tsx scripts/handover-screenshot.ts [handoverId] [out.png]`. With an id, the
// list is read from DATABASE_URL; without one, a sample day of a warehouse is drawn.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { handoverTotals, type Handover, type HandoverParcel } from '../domain/handovers';
import { carrierDisplayName } from '../carriers/registry';
import { createPool } from '../lib/db';
import { renderHandoverPdf } from '../lib/handovers/pdf';
import { getHandover } from '../lib/handovers/store';
import { pdfToPng } from '../lib/labels/rasterize';

const DPI = 110;

/** Twelve parcels of a Yurtiçi day at Istanbul Tuzla, a few with cash to collect. */
function sample(): Handover {
  const parcels: HandoverParcel[] = Array.from({ length: 12 }, (_, i) => ({
    orderId: `SO-${10231 + i * 7}`,
    shipmentId: `shipment-SO-${10231 + i * 7}-1`,
    trackingNumber: `YK${String(4820193757 + i * 31337)}`,
    pieces: i % 5 === 0 ? 2 : 1,
    weightGrams: 450 + ((i * 377) % 2400),
    cashOnDelivery: i % 3 === 0 ? { amount: 149.9 + i * 20, currency: 'TRY' } : null,
    labelledAt: `2026-12-03T${String(7 + Math.floor(i / 2)).padStart(2, '0')}:${String((i * 13) % 60).padStart(2, '0')}:00Z`,
    notAcceptedAt: null,
  }));
  return {
    handoverId: 'yurtici.IST-1.2026-12-03',
    carrier: 'yurtici',
    warehouse: { warehouseId: 'IST-1', name: 'Istanbul Tuzla', city: 'İstanbul', timeZone: 'Europe/Istanbul' },
    day: '2026-12-03',
    cutoffAt: '2026-12-03T14:00:00.000Z',
    closedAt: '2026-12-03T14:02:41.000Z',
    acceptBy: '2026-12-04T14:00:00.000Z',
    acceptanceCheckedAt: null,
    pickup: null,
    parcels,
    totals: handoverTotals(parcels),
  };
}

async function fromDatabase(id: string): Promise<Handover> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('set DATABASE_URL to read a handover list by its id');
  const pool = createPool(url);
  try {
    const handover = await getHandover(pool, id);
    if (!handover) throw new Error(`no handover list ${id}`);
    return handover;
  } finally {
    await pool.end();
  }
}

async function main(): Promise<void> {
  const [id, out = path.join(__dirname, '..', 'docs', 'img', 'handover-page.png')] = process.argv.slice(2);
  const handover = id ? await fromDatabase(id) : sample();
  const pdf = await renderHandoverPdf(handover, { carrierName: carrierDisplayName(handover.carrier) });
  writeFileSync(out, await pdfToPng(pdf, DPI));
  process.stdout.write(`${out}: page 1 of ${handover.handoverId} at ${DPI} dpi\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
