// Drives a running carrier sandbox with the engine's own carrier adapters, as the chaos run's worker
// does: bookings then cancels across Yurtiçi, Aras (SOAP), MNG and UPS (REST), open-loop at a fixed
// rate, each call's latency recorded. `npx tsx bench/sandbox-load.ts <sandbox url>`; BOOKINGS (per
// carrier), RATE (calls a second), CARRIERS, OUT (a JSON lines file of every call) tune it.
import { appendFileSync, writeFileSync } from 'node:fs';
import { carrierAdapters } from '../carriers/registry';
import type { ShipmentRequest } from '../domain/shipment';

const url = process.argv[2] ?? 'http://127.0.0.1:4010';
const perCarrier = Number(process.env.BOOKINGS ?? 250);
const rate = Number(process.env.RATE ?? 40);
const carriers = (process.env.CARRIERS ?? 'yurtici,aras,mng,ups').split(',');
const out = process.env.OUT ?? '/tmp/sandbox-load.jsonl';
const run = process.env.RUN ?? String(Date.now());

const env = {
  UPS_BASE_URL: `${url}/ups`,
  YURTICI_BASE_URL: `${url}/yurtici`,
  ARAS_ORDER_URL: `${url}/aras/arascargoservice/arascargoservice.asmx`,
  ARAS_QUERY_URL: `${url}/aras/ArasCargoIntegrationService.svc`,
  MNG_BASE_URL: `${url}/mng`,
  SURAT_BASE_URL: `${url}/surat`,
  PTT_BASE_URL: `${url}/ptt`,
};
// A long timeout, to see how long a call really takes; the worker's is 2 s (counted as `over2s`).
const adapters = carrierAdapters(env, { timeoutMs: 60_000, log: { warn: () => undefined } });

const request = (id: string): ShipmentRequest => ({
  shipmentId: `shipment-${id}`,
  orderId: id,
  warehouseId: 'IST-1',
  to: {
    name: 'Ayşe Yılmaz',
    line1: 'Bağdat Cad. 12 Daire 4',
    city: 'İstanbul',
    district: 'Kadıköy',
    postalCode: '34710',
    countryCode: 'TR',
    phone: '+90 555 000 0000',
  },
  parcel: { weightGrams: 1_000, lengthCm: 30, widthCm: 20, heightCm: 10 },
  service: 'standard',
});

interface Call {
  carrier: string;
  op: 'book' | 'cancel';
  n: number;
}

const calls: Call[] = [];
for (const op of ['book', 'cancel'] as const)
  for (let n = 0; n < perCarrier; n += 1) for (const carrier of carriers) calls.push({ carrier, op, n });

writeFileSync(out, '');
const started = performance.now();
const cpuStarted = process.cpuUsage();
let done = 0;
let failed = 0;

async function one(call: Call, index: number): Promise<void> {
  const adapter = adapters.find((a) => a.name === call.carrier)!;
  const key = `S${run}-${call.carrier}-${call.n}`;
  const at = performance.now();
  let error: string | undefined;
  try {
    if (call.op === 'book') await adapter.book(request(`${run}-${call.n}`), key);
    else await adapter.cancel(key);
  } catch (err) {
    error = String((err as Error).message ?? err).slice(0, 200);
    failed += 1;
  }
  const ms = performance.now() - at;
  done += 1;
  appendFileSync(out, `${JSON.stringify({ i: index, t: Math.round(at - started), ...call, ms: Math.round(ms * 10) / 10, error })}\n`);
}

async function main(): Promise<void> {
  const pending: Promise<void>[] = [];
  for (const [index, call] of calls.entries()) {
    const due = started + (index * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(one(call, index));
    if (index % (rate * 10) === 0)
      console.error(`${Math.round((performance.now() - started) / 1000)} s: sent ${index}, done ${done}, failed ${failed}`);
  }
  await Promise.all(pending);
  const cpu = process.cpuUsage(cpuStarted);
  console.error(
    `done ${done} calls (${failed} failed) in ${Math.round(performance.now() - started)} ms; driver cpu ${Math.round((cpu.user + cpu.system) / 1000)} ms`,
  );
}

void main();
