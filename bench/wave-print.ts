// npx tsx bench/wave-print.ts [--labels 200]
// A wave of labels printed as one PDF and as one ZPL stream (issue 21), timed on a stack like the
// dev stack (bench/stack.ts: a Temporal dev server, the project's PostgreSQL, the carrier sandbox,
// the engine's worker and API): `--labels` orders booked across every carrier, then
// POST /v1/labels/print-batch and the document's GET for PDF (4x6, A4) and ZPL (203, 300 dpi), each
// twice: first rendering what the carriers did not give, then from the renditions kept. One line per
// print on stdout.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { MAX_BATCH_LABELS } from '../api/label-batch';
import { CARRIERS } from '../carriers/registry';
import { benchOrder, postOrderBatch, seedStock, StatusWatcher } from './engine';
import { startStack } from './stack';

const API_KEY = process.env.BENCH_API_KEY ?? 'dev-key-change-me';
const headers = { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' };
const log = (line: string) => process.stderr.write(`${line}\n`);

function labelsWanted(): number {
  const { values } = parseArgs({ options: { labels: { type: 'string', default: '200' } } });
  const labels = Number(values.labels);
  if (!Number.isInteger(labels) || labels < 1 || labels > MAX_BATCH_LABELS)
    throw new Error(`--labels takes 1 to ${MAX_BATCH_LABELS}, not ${values.labels}`);
  return labels;
}

/** Orders spread over every carrier (each order prefers the next one), all in stock, all in one district every carrier codes. */
function waveOrders(runId: string, count: number) {
  return Array.from({ length: count }, (_, i) => {
    const order = benchOrder(`W${runId}-${i}`, i);
    return {
      ...order,
      shippingAddress: { ...order.shippingAddress, district: 'Kadıköy' },
      preferredCarriers: [CARRIERS[i % CARRIERS.length].name],
    };
  });
}

/** What a station asks for: the carriers' own sizes, then variants every label is drawn for. */
const VARIANTS = [
  { format: 'pdf', name: 'pdf 4x6' },
  { format: 'pdf', page: 'a4', name: 'pdf a4' },
  { format: 'zpl', name: 'zpl 203 dpi' },
  { format: 'zpl', dpi: '300', name: 'zpl 300 dpi' },
] as const;

/** One print: the batch's answer and its document, timed from the POST to the document's last byte. */
async function printWave(apiUrl: string, shipmentIds: string[], { name, ...options }: (typeof VARIANTS)[number]) {
  const started = Date.now();
  const res = await fetch(`${apiUrl}/v1/labels/print-batch`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ shipmentIds, ...options }),
  });
  const body = (await res.json()) as { document?: string; printed?: unknown[]; errors?: { error: string }[] };
  if (res.status !== 201 || !body.document) throw new Error(`print-batch ${name}: ${res.status} ${JSON.stringify(body).slice(0, 500)}`);
  const answered = Date.now();
  const document = Buffer.from(await (await fetch(`${apiUrl}${body.document}`, { headers })).arrayBuffer());
  return {
    printed: body.printed?.length ?? 0,
    errors: body.errors ?? [],
    postMs: answered - started,
    totalMs: Date.now() - started,
    bytes: document.length,
  };
}

async function main(): Promise<void> {
  const count = labelsWanted();
  const runId = randomUUID().slice(0, 8);
  const stack = await startStack({ database: 'order_engine_wave' });
  const db = new Pool({ connectionString: stack.databaseUrl, max: 4 });
  const watcher = new StatusWatcher(db, 200, 600_000);
  try {
    log(`stack: Temporal ${stack.temporalAddress}, sandbox ${stack.sandbox.url}, API ${stack.api.url}, logs ${stack.logDir}`);
    await stack.startChild('worker', 'worker-main.ts');
    await seedStock(db);
    const orders = waveOrders(runId, count);
    const booking = Date.now();
    await postOrderBatch(stack.api.url, orders);
    await Promise.all(orders.map((o) => watcher.waitFor(o.orderId, 'labelled')));
    const { rows } = await db.query<{ shipment_id: string; carrier: string }>(
      `SELECT shipment_id, carrier FROM shipments WHERE order_id = ANY($1) AND status = 'labelled'`,
      [orders.map((o) => o.orderId)],
    );
    const perCarrier = new Map<string, number>();
    for (const { carrier } of rows) perCarrier.set(carrier, (perCarrier.get(carrier) ?? 0) + 1);
    const spread = [...perCarrier].map(([carrier, n]) => `${carrier} ${n}`).join(', ');
    log(`${rows.length} parcels labelled in ${((Date.now() - booking) / 1000).toFixed(1)} s: ${spread}`);

    const shipmentIds = rows.map((r) => r.shipment_id);
    for (const variant of VARIANTS) {
      for (const pass of ['first', 'again']) {
        const p = await printWave(stack.api.url, shipmentIds, variant);
        const failed = p.errors.length ? `, ${p.errors.length} not printed (${p.errors[0].error})` : '';
        console.log(
          `${variant.name} ${pass}: ${p.printed} labels in ${(p.totalMs / 1000).toFixed(2)} s (POST ${(p.postMs / 1000).toFixed(2)} s), ${(p.bytes / 1024 / 1024).toFixed(2)} MB${failed}`,
        );
      }
    }
  } finally {
    watcher.stop();
    await db.end();
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
