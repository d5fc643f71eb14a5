// npm run demo: realistic traffic for a running dev stack (npm run dev). Sends the orders,
// moves their parcels in the carrier sandbox, injects carrier faults (--faults), shows a
// progress line on stderr, and prints a summary with where to look on stdout.
import { parseArgs, USAGE, UsageError, type DemoOptions } from './args';
import { FateDriver, type ListedOrder } from './fates';
import { FaultInjector, faultTimeline } from './faults';
import { closeTheDay } from './handovers';
import { apiClient, checkStack, sandboxClient, StackUnreachable, type HttpClient } from './http';
import { marketplaceBuyers, type MarketplaceBuyers, type MarketplaceTally } from './marketplaces';
import { demandOf, generateOrders, isMarketplaceDoor, MARKETPLACE_DOORS, type MarketplaceDoor, type PlannedOrder } from './orders';
import { ProgressLine } from './progress';
import { seededRandom } from './random';
import { rateDeliveries } from './ratings';
import { syncCatalogue } from './catalogue';
import { syncStock } from './stock';
import { attentionReasons, renderSummary, sandboxCounts, webhookSubscribers } from './summary';

export { parseArgs };

const BATCH_SIZE = 10;
const MAX_IN_FLIGHT = 8;
/** The fault timeline (--faults) spans the intake, and at least this long: bookings lag the orders. */
const MIN_FAULT_PERIOD_MS = 60_000;
/** After the last order, parcels are followed until nothing has changed for this long… */
const IDLE_MS = 45_000;
/** …or, at the most, this long. */
const MAX_FOLLOW_MS = 10 * 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Intake {
  sent: number;
  /** Placed by buyers on each marketplace (the sandbox's doubles), to come in by the account's pull. */
  viaMarketplace: Record<MarketplaceDoor, number>;
  accepted: number;
  duplicates: number;
  rejected: string[];
  batches: number;
  batched: number;
  done: boolean;
}

/** Every order of this run the API lists (newest first, a page of 200 at a time). */
type Buyers = Record<MarketplaceDoor, MarketplaceBuyers>;

const placedOnMarketplace = (buyers: Buyers, orderId: string) => MARKETPLACE_DOORS.some((m) => buyers[m].orderIds.has(orderId));

async function listOrders(api: HttpClient, runTag: string, since: string, buyers: Buyers): Promise<Map<string, ListedOrder>> {
  const mine = new Map<string, ListedOrder>();
  let cursor: string | null = null;
  do {
    const query: string = `/v1/orders?limit=200&from=${encodeURIComponent(since)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const reply = await api.request<{ orders: ListedOrder[]; nextCursor: string | null }>('GET', query);
    if (reply.status !== 200) throw new Error(`GET ${query} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    for (const order of reply.body.orders)
      if (order.orderId.startsWith(`DEMO-${runTag}-`) || placedOnMarketplace(buyers, order.orderId)) mine.set(order.orderId, order);
    cursor = reply.body.nextCursor;
  } while (cursor);
  return mine;
}

/** Sends the orders at the requested rate: most one by one, some in batches, a few calls in flight. */
interface Doors {
  api: HttpClient;
  buyers: Buyers;
  /** Follows an order placed on a marketplace under the engine's id for it. */
  renamed: (from: string, to: string) => void;
}

async function sendOrders(
  { api, buyers, renamed }: Doors,
  planned: PlannedOrder[],
  rate: number,
  intake: Intake,
  stop: () => boolean,
): Promise<void> {
  const started = Date.now();
  const inFlight = new Set<Promise<void>>();
  const track = (p: Promise<void>) => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };
  const record = (orderId: string, status: number, body: unknown) => {
    if (status === 202) intake.accepted++;
    else if (status === 200) intake.duplicates++;
    else {
      // A refusal is the API's {error, message}; a proxy's page or an empty answer leaves both blank.
      const refusal = body as { error?: string; message?: string } | undefined;
      intake.rejected.push(`${orderId}: ${status} ${refusal?.error ?? ''} ${refusal?.message ?? ''}`.trim());
    }
  };
  let batch: PlannedOrder[] = [];
  const flush = () => {
    if (batch.length === 0) return;
    const orders = batch;
    batch = [];
    intake.batches++;
    intake.batched += orders.length;
    track(
      api
        .request<{ results: { orderId: string | null; result: string; error?: string; issues?: unknown }[] }>('POST', '/v1/orders/batch', {
          orders: orders.map((p) => p.order),
        })
        .then(({ status, body }) => {
          if (status !== 200) return void orders.forEach((p) => record(p.order.orderId, status, body));
          for (const r of body.results) {
            if (r.result === 'created') intake.accepted++;
            else if (r.result === 'duplicate') intake.duplicates++;
            else intake.rejected.push(`${r.orderId}: batch ${r.result} ${r.error ?? JSON.stringify(r.issues ?? '')}`);
          }
        }),
    );
  };

  for (const [i, p] of planned.entries()) {
    if (stop()) break;
    const due = started + (i / rate) * 1000;
    if (due > Date.now()) await sleep(due - Date.now());
    while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
    intake.sent++;
    if (isMarketplaceDoor(p.door)) {
      const door = p.door;
      track(
        buyers[door].place(p.order).then((placed) => {
          if ('refused' in placed) return void intake.rejected.push(`${p.order.orderId}: ${placed.refused}`);
          renamed(p.order.orderId, placed.orderId);
          p.order.orderId = placed.orderId;
          intake.viaMarketplace[door]++;
        }),
      );
      continue;
    }
    if (p.door === 'batch') {
      batch.push(p);
      if (batch.length >= BATCH_SIZE) flush();
      continue;
    }
    const headers: Record<string, string> = p.idempotencyKey ? { 'Idempotency-Key': p.idempotencyKey } : {};
    track(api.request('POST', '/v1/orders', p.order, headers).then(({ status, body }) => record(p.order.orderId, status, body)));
  }
  flush();
  await Promise.all(inFlight);
}

/** Per marketplace: the orders its buyers placed, those the stack pulled, and what the double took of its pushes. */
async function marketplaceTallies(buyers: Buyers, intake: Intake, listed: Map<string, ListedOrder>): Promise<MarketplaceTally[]> {
  return Promise.all(
    MARKETPLACE_DOORS.map(async (m) => ({
      marketplace: m,
      label: buyers[m].account.label,
      placed: intake.viaMarketplace[m],
      pulled: [...buyers[m].orderIds].filter((id) => listed.has(id)).length,
      pushed: await buyers[m].pushed(),
    })),
  );
}

async function demo(options: DemoOptions): Promise<void> {
  const api = apiClient(options.apiUrl);
  const sandbox = sandboxClient(options.sandboxUrl);
  await checkStack(api, sandbox);

  const startedAt = Date.now();
  const since = new Date(startedAt - 60_000).toISOString();
  const runTag = Math.floor(startedAt / 1000)
    .toString(36)
    .toUpperCase()
    .slice(-6);
  const planned = generateOrders({ seed: options.seed, count: options.orders, runTag, today: new Date(startedAt) });
  const progress = new ProgressLine();
  progress.note(
    `demo ${runTag}: ${planned.length} orders at ${options.rate}/s, seed ${options.seed}${options.faults ? ', with carrier faults' : ''} → ${options.apiUrl} (sandbox ${options.sandboxUrl})`,
  );

  await syncCatalogue(api);
  const stock = await syncStock(api, demandOf(planned));
  const injector = new FaultInjector(sandbox, options.faults ? faultTimeline(options.seed) : [], startedAt);
  const driver = new FateDriver(api, sandbox, seededRandom(options.seed + 1));
  planned.forEach((p) => driver.add(p));

  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130); // a second Ctrl-C: leave at once
    interrupted = true;
    progress.note('interrupted: no more orders; clearing faults and summing up (Ctrl-C again to quit at once)');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const viaMarketplace = { amazon: 0, trendyol: 0, hepsiburada: 0 };
  const intake: Intake = { sent: 0, viaMarketplace, accepted: 0, duplicates: 0, rejected: [], batches: 0, batched: 0, done: false };
  const buyers = marketplaceBuyers(api, sandbox);
  let listed = new Map<string, ListedOrder>();
  const draw = (phase: string, force = false) => {
    const statuses = [...listed.values()].map((o) => o.status);
    const n = (...s: string[]) => statuses.filter((x) => s.includes(x)).length;
    progress.update(
      {
        phase,
        sent: intake.sent,
        total: planned.length,
        figures: [
          ['labelled', [...listed.values()].filter((o) => o.shipments.some((s) => s.trackingNumber)).length],
          ['moving', n('picked_up', 'in_transit', 'out_for_delivery', 'on_hold', 'delivery_failed')],
          ['delivered', n('delivered', 'return_requested', 'returned', 'closed')],
          ['cancelled', n('cancelled')],
          ['backordered', n('backordered')],
          ['attention', n('needs_attention', 'address_invalid')],
          ['scans', driver.scans()],
        ],
        faults: injector.activeLabels(),
      },
      force,
    );
  };

  try {
    const doors = { api, buyers, renamed: (from: string, to: string) => driver.rename(from, to) };
    const sending = sendOrders(doors, planned, options.rate, intake, () => interrupted).finally(() => (intake.done = true));
    let lastList = 0;
    let intakeDoneAt: number | undefined;
    const faultPeriod = Math.max((planned.length / options.rate) * 1000, MIN_FAULT_PERIOD_MS);
    let picture = '';
    let changedAt = Date.now();
    for (;;) {
      await injector.advanceTo((Date.now() - startedAt) / faultPeriod);
      if (Date.now() - lastList >= (intake.done ? 1500 : 3000)) {
        listed = await listOrders(api, runTag, since, buyers);
        lastList = Date.now();
      }
      for (const m of MARKETPLACE_DOORS) await buyers[m].nudge(new Set(listed.keys()));
      await driver.sweep(listed, Date.now());
      draw(intake.done ? 'parcels' : 'orders');
      const now = [...listed.values()].map((o) => `${o.status}:${o.shipments.length}`).join() + driver.scans();
      if (now !== picture) [picture, changedAt] = [now, Date.now()];
      if (intake.done) {
        intakeDoneAt ??= Date.now();
        const idle = Date.now() - changedAt > IDLE_MS;
        if (interrupted || driver.open() === 0 || idle || Date.now() - intakeDoneAt > MAX_FOLLOW_MS) break;
      }
      await sleep(500);
    }
    await sending;
  } finally {
    await injector.clearAll();
  }
  // Pushed scans and the engine's records settle within a few seconds.
  draw('settling', true);
  await sleep(4000);
  const ratings = await rateDeliveries(api, sandbox, runTag, seededRandom(options.seed + 2));
  const handovers = await closeTheDay(api);
  listed = await listOrders(api, runTag, since, buyers);
  draw('done', true);
  progress.done();
  const caught = await sandboxCounts(sandbox, runTag);
  process.stdout.write(
    `${renderSummary({
      options,
      runTag,
      planned,
      listed,
      intake,
      marketplaces: await marketplaceTallies(buyers, intake, listed),
      counters: driver.counters,
      returnShipmentIds: driver.returnShipmentIds(listed),
      faults: injector.applied,
      stock,
      caught,
      attentionReasons: await attentionReasons(api, listed),
      subscribers: await webhookSubscribers(api),
      apiThrottled: api.throttled,
      ratings,
      handovers,
      seconds: (Date.now() - startedAt) / 1000,
    })}\n`,
  );
}

export async function main(argv: string[]): Promise<number> {
  let options: DemoOptions | 'help';
  try {
    options = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`demo: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    await demo(options);
    return 0;
  } catch (err) {
    process.stderr.write(`\ndemo: ${err instanceof StackUnreachable ? err.message : ((err as Error).stack ?? String(err))}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
