// Renders the first page of a commercial invoice the engine produced to a PNG
// (docs/img/commercial-invoice-page.png): `npx tsx scripts/invoice-screenshot.ts [shipmentId] [out.png]`.
// The PDF is read as the booking stored it (shipment_documents in DATABASE_URL): the shipment's,
// or without an id the newest one, e.g. after a GB order on `npm run dev` (docs/operations.md).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createPool } from '../lib/db';
import { pdfToPng } from '../lib/labels/rasterize';

const DPI = 110; // as the handover list's: an A4 page about 900 px wide

async function storedInvoice(shipmentId: string | undefined): Promise<{ shipmentId: string; pdf: Buffer }> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('set DATABASE_URL to the database the engine stored the invoice in');
  const pool = createPool(url);
  try {
    const { rows } = await pool.query<{ shipment_id: string; content: Buffer }>(
      `SELECT shipment_id, content FROM shipment_documents
        WHERE kind = 'commercial_invoice' AND ($1::text IS NULL OR shipment_id = $1)
        ORDER BY created_at DESC LIMIT 1`,
      [shipmentId ?? null],
    );
    if (!rows[0]) throw new Error(shipmentId ? `no commercial invoice for ${shipmentId}` : 'no commercial invoice stored yet');
    return { shipmentId: rows[0].shipment_id, pdf: rows[0].content };
  } finally {
    await pool.end();
  }
}

async function main(): Promise<void> {
  const [id, out = path.join(__dirname, '..', 'docs', 'img', 'commercial-invoice-page.png')] = process.argv.slice(2);
  const invoice = await storedInvoice(id || undefined);
  writeFileSync(out, await pdfToPng(invoice.pdf, DPI));
  process.stdout.write(`${out}: page 1 of ${invoice.shipmentId}'s commercial invoice at ${DPI} dpi\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
