// One chaos run, start to verdict: the stack up, orders flowing in, the timeline of faults
// played over them (worker SIGKILLs, a Temporal restart or, on the cluster, a history process
// killed, matching killed and the frontend restarted, a PostgreSQL restart, a carrier down, 429
// bursts, steady carrier failures, webhook resends), a fault-free drain, then every order checked
// (verify.ts). chaos/run.ts is the command line; test/chaos runs a small one.
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import { upsConnector } from '../carriers/ups';
import { loadConfig } from '../lib/config';
import { createPool } from '../lib/db';
import { payloadDataConverter } from '../lib/payload-codec';
import { CarrierFaults, STEADY_FAULTS_TEXT } from './faults';
import { scanLogs, secretsOf, type LogLeak } from './log-scan';
import { verifyMessages, type MessageFindings } from './messages';
import { checkRecovery, checkWhileDown, type Outage, type OutageCheck } from './outages';
import { OpsDesk, type AttentionCase } from './ops';
import { planOrders, postOrder, probeOrder, seedStock, startDirect, type PlannedOrder, type Submission } from './orders';
import { ParcelMover, type WebhookStats } from './parcels';
import type { Restartable } from './cluster';
import type { ExitRecord, ManagedProcess } from './processes';
import { seededRandom, type Random } from './random';
import { SandboxAdmin } from './sandbox-admin';
import { CARRIERS, DEV_API_KEY, startStack, type CarrierName, type Stack } from './stack';
import { STALL_WINDOW_S, stallAt, type Stall } from './stall';
import { expectation, verify, type Verification } from './verify';

export interface ChaosOptions {
  orders: number;
  seed: number;
  /** Share of orders submitted through POST /v1/orders; the rest the runner starts with short timers. */
  apiShare: number;
  /** Orders submitted per second. */
  rate: number;
  workerKills: number;
  /** The CLI's dev server, or the real cluster of scripts/cluster. */
  temporal: 'dev' | 'cluster';
  /** The dev server restarted; on the cluster, its faults instead (a history process and matching killed, the frontend restarted). */
  restartTemporal: boolean;
  restartPostgres: boolean;
  /** How long Temporal and PostgreSQL each stay down. */
  outageSeconds: number;
  /** Carrier faults (steady failures, a carrier down, 429 bursts). */
  faults: boolean;
  /** After the chaos: how long orders may take to settle before the unsettled count as lost. */
  drainSeconds: number;
  carrierTimeoutMs: number;
  /** Keep the run's directory (logs, databases) even when it passes. */
  keep: boolean;
  /** When to keep it otherwise: on a failing verdict by default. */
  keepWhen?: (report: ChaosReport) => boolean;
  progressEverySeconds: number;
  say: (line: string) => void;
}

export function chaosDefaults(orders = 1_000): ChaosOptions {
  return {
    orders,
    seed: 1,
    apiShare: 0.25,
    rate: Math.min(4, Math.max(1, orders / 25)),
    workerKills: orders >= 500 ? 5 : orders >= 50 ? 2 : 1,
    temporal: 'dev',
    restartTemporal: true,
    restartPostgres: true,
    // Long enough, from 50 orders on, to outlast the Temporal client's own retries (a 503 is seen).
    outageSeconds: orders >= 50 ? 20 : 5,
    faults: true,
    // The backlog left at the end of the chaos drains at 2–3 orders a second on two cores.
    drainSeconds: Math.round(180 + orders * 0.5),
    carrierTimeoutMs: 2_000,
    keep: false,
    progressEverySeconds: orders >= 200 ? 10 : 5,
    say: (line) => process.stderr.write(`${line}\n`),
  };
}

type TimelineEvent =
  | { atS: number; kind: 'kill-worker' }
  | { atS: number; kind: 'restart-temporal' | 'restart-postgres' | 'restart-frontend' | 'kill-history' | 'kill-matching' }
  | { atS: number; kind: 'carrier-down' | 'carrier-up'; carrier: CarrierName }
  | { atS: number; kind: 'rate-limit'; carrier: CarrierName; times: number };

/** The chaos, spread over the time orders flow in (at least 45 s, so the events fit). */
export function planTimeline(options: ChaosOptions, random: Random): { windowS: number; events: TimelineEvent[] } {
  const windowS = Math.max(options.orders / options.rate, 45);
  const events: TimelineEvent[] = [];
  if (options.faults) {
    const down = random.pick(CARRIERS);
    events.push(
      { atS: 0.15 * windowS, kind: 'carrier-down', carrier: down },
      { atS: 0.15 * windowS + Math.max(10, 0.25 * windowS), kind: 'carrier-up', carrier: down },
    );
    for (const at of [0.1, 0.5, 0.8])
      events.push({ atS: at * windowS, kind: 'rate-limit', carrier: random.pick(CARRIERS), times: random.int(10, 25) });
  }
  if (options.restartTemporal && options.temporal === 'dev') events.push({ atS: 0.3 * windowS, kind: 'restart-temporal' });
  // A dev server restart means nothing to a cluster: what a cluster has instead. No draws, so the
  // rest of the plan is the dev server's.
  if (options.restartTemporal && options.temporal === 'cluster')
    events.push(
      { atS: 0.3 * windowS, kind: 'restart-frontend' },
      { atS: 0.45 * windowS, kind: 'kill-history' },
      { atS: 0.75 * windowS, kind: 'kill-matching' },
    );
  if (options.restartPostgres) events.push({ atS: 0.6 * windowS, kind: 'restart-postgres' });
  // Worker kills at random moments, a few seconds apart at least (a restart takes a few).
  const kills: number[] = [];
  for (let tries = 0; kills.length < options.workerKills && tries < 1000; tries++) {
    const at = random.between(0.08, 0.92) * windowS;
    if (kills.every((k) => Math.abs(k - at) >= 6)) kills.push(at);
  }
  for (const atS of kills) events.push({ atS, kind: 'kill-worker' });
  return { windowS, events: events.sort((a, b) => a.atS - b.atS) };
}

export interface ChaosRecord {
  workerKills: { atS: number; restartedAfterS?: number }[];
  restarts: { what: Outage; atS: number; downS: number }[];
  /** A cluster's service killed -9 and started again (history after HISTORY_BACK_AFTER_S, as a supervisor with a back-off would; matching at once). */
  clusterKills: { service: string; atS: number; backAfterS?: number; shards?: string }[];
  carrierDown: { carrier: string; fromS: number; toS?: number }[];
  rateLimitBursts: { carrier: string; times: number; atS: number }[];
  steadyFaults: string | null;
  webhooks: WebhookStats;
  parcelScans: number;
  /** Processes that exited without being asked (the runner restarted them). */
  crashes: { name: string; atS: number; code: number | null; signal: string | null; during?: Outage }[];
}

export interface ChaosReport {
  seed: number;
  orders: number;
  startedAt: string;
  durationS: number;
  dir: string;
  kept: boolean;
  submitted: {
    accepted: number;
    viaApi: number;
    direct: number;
    probes: number;
    /** Never accepted within the patience (the API or Temporal did not come back). */
    unsubmitted: string[];
    /** Attempts refused while something was down, then retried. */
    retried: number;
    resends: { sent: number; answered200: number; other: Record<string, number> };
  };
  outageChecks: OutageCheck[];
  chaos: ChaosRecord;
  needsAttention: AttentionCase[];
  verification: Verification;
  /** What the customers and the OMS received, read back from the sandbox. */
  messages: MessageFindings;
  /** Engine log lines scanned for personal data and secrets, and what was found. */
  logs: { lines: number; leaks: LogLeak[] };
  /** How orders' progress dropped at each fault, and for how long (chaos/stall.ts). */
  stalls: Stall[];
  verdict: { pass: boolean; failures: string[] };
}

/** Runs `fn` every `ms` until stopped; a failing pass (PostgreSQL down) is simply tried again. */
function every(ms: number, fn: () => Promise<void>): { stop(): Promise<void> } {
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      await fn().catch(() => undefined);
      await sleep(ms);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await done;
    },
  };
}

export async function runChaos(overrides: Partial<ChaosOptions> = {}): Promise<ChaosReport> {
  const options: ChaosOptions = { ...chaosDefaults(overrides.orders), ...overrides };
  const { say } = options;
  const random = seededRandom(options.seed);
  const startedAt = new Date();
  const stack = await startStack({ carrierTimeoutMs: options.carrierTimeoutMs, temporal: options.temporal }, say);
  let keep = true;
  const background: { stop(): Promise<void> }[] = [];
  try {
    const report = await drive(stack, options, random, startedAt, background);
    keep = options.keep || (options.keepWhen ?? ((r) => !r.verdict.pass))(report);
    report.kept = keep;
    return report;
  } finally {
    await Promise.all(background.map((b) => b.stop())); // the loops of a run that failed half-way
    await stack.stop().catch(() => undefined);
    if (keep) say(`the run's logs and data are kept in ${stack.dir}`);
    else rmSync(stack.dir, { recursive: true, force: true });
  }
}

async function drive(
  stack: Stack,
  options: ChaosOptions,
  random: Random,
  startedAt: Date,
  background: { stop(): Promise<void> }[],
): Promise<ChaosReport> {
  const { say } = options;
  const t0 = Date.now();
  const atS = () => Math.round((Date.now() - t0) / 100) / 10;
  const runTag = `S${options.seed}`;

  const pool: Pool = createPool(stack.databaseUrl, 5);
  pool.on('error', () => undefined); // idle clients cut by the PostgreSQL restart
  await seedStock(pool, options.orders + 10);
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection, dataConverter: payloadDataConverter(loadConfig(stack.env)) });
  const admin = new SandboxAdmin(stack.sandboxUrl);
  const faults = new CarrierFaults(admin, random.fork('faults'));
  if (options.faults) await faults.startSteady();

  // --- processes: a crash is recorded and the process started again, as a supervisor would ---
  let stopping = false;
  let currentOutage: Outage | undefined;
  const record: ChaosRecord = {
    workerKills: [],
    restarts: [],
    clusterKills: [],
    carrierDown: faults.downStretches,
    rateLimitBursts: faults.bursts,
    steadyFaults: options.faults ? STEADY_FAULTS_TEXT : null,
    webhooks: { duplicates: 0, outOfOrder: 0, late: 0, failedReplayed: 0, answers: {} },
    parcelScans: 0,
    crashes: [],
  };
  const keepStarting = async (p: Restartable): Promise<void> => {
    while (!stopping && !p.running) {
      try {
        await p.start(180_000);
      } catch {
        await sleep(2_000);
      }
    }
  };
  for (const p of [stack.worker, stack.api, stack.sandbox, stack.temporal, stack.postgres]) {
    p.onUnexpectedExit = (exit: ExitRecord) => {
      record.crashes.push({ name: exit.name, atS: atS(), code: exit.code, signal: exit.signal, during: currentOutage });
      say(
        `  ! ${exit.name} exited by itself (code ${exit.code ?? exit.signal}) at ${atS()} s${currentOutage ? ` during the ${currentOutage} outage` : ''}; starting it again`,
      );
      if (!stopping) void sleep(1_000).then(() => keepStarting(p));
    };
  }

  // --- the orders ---
  const planned = planOrders({ count: options.orders, apiShare: options.apiShare, runTag, random: random.fork('orders') });
  const submissions = new Map<string, Submission>();
  const doorOf = (orderId: string) => submissions.get(orderId)?.planned.door;
  const resendAnswers: Record<string, number> = {};
  const probeRandom = random.fork('probes');
  let probes = 0;
  const nextProbe = () => probeOrder(runTag, ++probes, probeRandom);
  const track = (p: PlannedOrder) => {
    const s: Submission = { planned: p, attempts: 1, failures: [], acceptedAt: Date.now() - t0 };
    submissions.set(p.order.orderId, s);
  };

  const submitRandom = random.fork('submit');
  async function submitOne(p: PlannedOrder): Promise<void> {
    const s: Submission = { planned: p, attempts: 0, failures: [] };
    submissions.set(p.order.orderId, s);
    const giveUpAt = Date.now() + 180_000;
    while (s.acceptedAt === undefined && Date.now() < giveUpAt) {
      s.attempts += 1;
      if (p.door === 'api') {
        const r = await postOrder(stack.apiUrl, p);
        if (r.status === 202 || r.status === 200) s.acceptedAt = Date.now() - t0;
        else s.failures.push(String(r.status));
        if (typeof r.status === 'number' && r.status >= 400 && r.status < 500 && r.status !== 429) break; // refused for good: the order itself is wrong
      } else {
        await startDirect(client, connection, p.order).then(
          () => (s.acceptedAt = Date.now() - t0),
          (err: Error) => s.failures.push(err.name),
        );
      }
      if (s.acceptedAt === undefined) await sleep(submitRandom.between(1_000, 2_500));
    }
    if (!p.resend || s.acceptedAt === undefined) return;
    // The OMS sends the same order again: it must be answered 200 and start nothing new.
    await sleep(submitRandom.between(500, 5_000));
    for (let i = 0; i < 60; i++) {
      const r = await postOrder(stack.apiUrl, p);
      s.resendStatus = typeof r.status === 'number' ? r.status : undefined;
      if (r.status !== 503 && r.status !== 'timeout' && r.status !== 'network') {
        resendAnswers[String(r.status)] = (resendAnswers[String(r.status)] ?? 0) + 1;
        return;
      }
      await sleep(2_000);
    }
  }

  async function submitAll(): Promise<void> {
    const running: Promise<void>[] = [];
    for (const [i, p] of planned.entries()) {
      const due = t0 + (i / options.rate) * 1_000;
      if (due > Date.now()) await sleep(due - Date.now());
      running.push(submitOne(p));
    }
    await Promise.all(running);
  }

  // --- the timeline ---
  const timeline = planTimeline(options, random.fork('timeline'));
  const outageChecks: OutageCheck[] = [];
  let nextEvent = 0;

  async function outage(what: Outage): Promise<void> {
    const proc = what === 'temporal' ? stack.temporal : what === 'frontend' ? clusterOf(stack).frontend : stack.postgres;
    const from = atS();
    say(`  ▼ ${what} stopped at ${from} s for ${options.outageSeconds} s`);
    currentOutage = what;
    await proc.stop();
    // Asked a second into the outage; the dependency comes back on time whatever the API does.
    const asked = sleep(1_000).then(async () => {
      const probe = nextProbe();
      const down = await checkWhileDown(what, stack.apiUrl, probe);
      outageChecks.push(...down.checks);
      if (down.accepted) track(probe);
    });
    const rest = options.outageSeconds * 1_000 - (Date.now() - t0 - from * 1_000);
    if (rest > 0) await sleep(rest);
    await keepStarting(proc);
    const back = atS();
    currentOutage = undefined;
    record.restarts.push({ what, atS: from, downS: Math.round((back - from) * 10) / 10 });
    say(`  ▲ ${what} back at ${back} s`);
    await asked;
    const recoveryProbe = nextProbe();
    const after = await checkRecovery(what, stack.apiUrl, recoveryProbe);
    outageChecks.push(...after.checks);
    if (after.accepted) track(recoveryProbe);
  }

  const restartRandom = random.fork('restarts');
  async function killWorker(): Promise<void> {
    for (let i = 0; i < 600 && !stack.worker.running; i++) await sleep(100); // still starting from the last kill
    const kill = { atS: atS() } as ChaosRecord['workerKills'][number];
    record.workerKills.push(kill);
    say(`  ✗ worker SIGKILLed at ${kill.atS} s`);
    await stack.worker.kill();
    void (async () => {
      await sleep(restartRandom.between(1_000, 3_000));
      await keepStarting(stack.worker);
      kill.restartedAfterS = Math.round((atS() - kill.atS) * 10) / 10;
    })();
  }

  /**
   * kill -9 the history process owning the most shards (the ring shares them unevenly: 1 and 7 of 8
   * were seen), so the most move: the other takes them; a supervisor starts it again later, and it
   * takes some back.
   */
  async function killHistory(): Promise<void> {
    const cluster = clusterOf(stack);
    const owners = await Promise.all(
      cluster.history.filter((h) => h.running).map(async (h) => ({ h, shards: await cluster.shardsOf(h).catch(() => undefined) })),
    );
    const [victim] = owners.sort((a, b) => (b.shards?.owned ?? 0) - (a.shards?.owned ?? 0));
    if (!victim) return;
    const shards = victim.shards && `${victim.shards.owned} of ${victim.shards.total}`;
    await killAndRestart(victim.h, HISTORY_BACK_AFTER_S * 1_000, shards);
  }

  /** kill -9 the matching process: task queues are lost from memory, pollers reconnect; restarted 1–3 s later. */
  const killMatching = () => killAndRestart(clusterOf(stack).matching, restartRandom.between(1_000, 3_000));

  /** kill -9 a cluster service, recorded, and start it again after `backAfterMs`. */
  async function killAndRestart(service: Restartable, backAfterMs: number, shards?: string) {
    const kill: ChaosRecord['clusterKills'][number] = { service: service.name, atS: atS(), shards };
    record.clusterKills.push(kill);
    say(`  ✗ ${service.name} SIGKILLed at ${kill.atS} s${shards ? ` (owner of ${shards} shards)` : ''}`);
    await service.kill();
    await sleep(backAfterMs);
    await keepStarting(service);
    kill.backAfterS = Math.round((atS() - kill.atS) * 10) / 10;
    say(`  ▲ ${service.name} back at ${atS()} s`);
  }

  // Outages take their time (and their checks): they run beside the timeline, one after the
  // other, so a worker kill or a carrier event still comes on time. On the cluster its faults queue
  // with them, a stall window apart, so no two overlap and each one's stall is its own (the dev
  // server's two outages keep their moments).
  let outages = Promise.resolve();
  const settle = () => (options.temporal === 'cluster' ? sleep(STALL_WINDOW_S * 1_000) : Promise.resolve());
  const queue = (fault: () => Promise<void>) => (outages = outages.then(fault).then(settle));
  const queueOutage = (what: Outage) => queue(() => outage(what));

  async function playTimeline(): Promise<void> {
    for (const [i, event] of timeline.events.entries()) {
      const due = t0 + event.atS * 1_000;
      if (due > Date.now()) await sleep(due - Date.now());
      nextEvent = i + 1;
      switch (event.kind) {
        case 'kill-worker':
          await killWorker();
          break;
        case 'restart-temporal':
          void queueOutage('temporal');
          break;
        case 'restart-postgres':
          void queueOutage('postgres');
          break;
        case 'restart-frontend':
          void queueOutage('frontend');
          break;
        case 'kill-history':
          void queue(killHistory);
          break;
        case 'kill-matching':
          void queue(killMatching);
          break;
        case 'carrier-down':
          say(`  ▼ carrier ${event.carrier} down at ${atS()} s`);
          await faults.takeDown(event.carrier, atS());
          break;
        case 'carrier-up':
          say(`  ▲ carrier ${event.carrier} up at ${atS()} s`);
          await faults.bringUp(event.carrier, atS());
          break;
        case 'rate-limit':
          await faults.rateLimitBurst(event.carrier, event.times, atS());
          break;
      }
    }
    await outages;
  }

  // --- the carrier side and ops, all along ---
  const { UPS_WEBHOOK_CLIENT_ID, UPS_WEBHOOK_SECRET } = upsConnector.settings.parse(stack.env);
  const mover = new ParcelMover({
    pool,
    admin,
    apiUrl: stack.apiUrl,
    upsTrackAlert: { clientId: UPS_WEBHOOK_CLIENT_ID, clientSecret: UPS_WEBHOOK_SECRET },
    random: random.fork('parcels'),
    doorOf,
  });
  const desk = new OpsDesk({
    pool,
    client,
    connection,
    apiUrl: stack.apiUrl,
    maxRetries: 5,
    carriersNow: () => faults.describe(),
    startedAt: t0,
  });
  const loops = [every(1_500, () => mover.sweep(Date.now())), every(2_000, () => desk.sweep(Date.now()))];
  background.push(...loops);

  let settled = { done: 0, total: 0 };
  async function countSettled(): Promise<void> {
    const { rows } = await pool.query<{ order_id: string; status: string; carrier: string | null }>(
      `SELECT o.order_id, o.status,
              (SELECT s.carrier FROM shipments s WHERE s.order_id = o.order_id AND s.tracking_number IS NOT NULL ORDER BY s.shipment_id LIMIT 1) AS carrier
         FROM orders o`,
    );
    const stuck = new Set(
      desk
        .open()
        .filter((c) => c.retries >= 5)
        .map((c) => c.orderId),
    );
    const accepted = [...submissions.values()].filter((s) => s.acceptedAt !== undefined);
    const byId = new Map(rows.map((r) => [r.order_id, r]));
    const done = accepted.filter((s) => {
      const row = byId.get(s.planned.order.orderId);
      return row && (expectation(s.planned.door, row.carrier ?? undefined).statuses.includes(row.status) || stuck.has(row.order_id));
    }).length;
    settled = { done, total: accepted.length };
  }

  const progress = every(options.progressEverySeconds * 1_000, async () => {
    let orders = 'database down';
    try {
      const { rows } = await pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM orders GROUP BY status');
      const n = (statuses: string[]) => rows.filter((r) => statuses.includes(r.status)).reduce((a, r) => a + r.n, 0);
      orders = `closed ${n(['closed'])} · delivered ${n(['delivered'])} · moving ${n(['labelled', 'picked_up', 'in_transit', 'out_for_delivery', 'on_hold'])} · booking ${n(['received', 'allocated', 'fulfilling'])} · needs_attention ${n(['needs_attention'])}`;
    } catch {
      // PostgreSQL is down: the line says so
    }
    const accepted = [...submissions.values()].filter(
      (s) => s.acceptedAt !== undefined && !s.planned.order.orderId.includes('-probe-'),
    ).length;
    const up = (p: ManagedProcess) => (p.running ? '✓' : '✗');
    const temporal = stack.cluster ? `cluster: ${stack.cluster.describe()}` : `temporal ${up(stack.temporal)}`;
    const next = timeline.events[nextEvent];
    say(
      `[chaos ${String(Math.round(atS())).padStart(4)} s] accepted ${accepted}/${planned.length} · ${orders} · worker ${up(stack.worker)} ${temporal} postgres ${up(stack.postgres)} api ${up(stack.api)} · ${faults.describe()}` +
        (next ? ` · next: ${next.kind} at ${Math.round(next.atS)} s` : ''),
    );
  });

  background.push(progress);
  say(
    `chaos run: ${options.orders} orders (seed ${options.seed}) at ${options.rate}/s over ${Math.round(timeline.windowS)} s of chaos: ${timeline.events.map((e) => `${e.kind} ${Math.round(e.atS)}s`).join(', ')}`,
  );
  await Promise.all([submitAll(), playTimeline()]);
  const calmAt = atS();
  if (options.faults) await faults.calm(calmAt);
  say(`  ☀ chaos over at ${calmAt} s: carriers calm; waiting up to ${options.drainSeconds} s for orders to settle`);
  const drainUntil = Date.now() + options.drainSeconds * 1_000;
  for (;;) {
    await countSettled().catch(() => undefined);
    if ((settled.total > 0 && settled.done >= settled.total) || Date.now() > drainUntil) break;
    await sleep(2_000);
  }
  await Promise.all([...loops.map((l) => l.stop()), progress.stop()]);
  stopping = true;
  for (let i = 0; i < 300 && !(stack.worker.running && stack.api.running); i++) await sleep(100);
  say(`  ✓ settled ${settled.done}/${settled.total} at ${atS()} s; checking every order`);

  // --- the verdict ---
  const accepted = [...submissions.values()].filter((s) => s.acceptedAt !== undefined);
  const attentionReasons = new Map(
    desk
      .open()
      .map((c) => [c.orderId, `${c.reason}${c.decision ? ` (${c.decision})` : ''}; carriers then: ${c.carriers}; retried ${c.retries}×`]),
  );
  const verification = await verify({ client, connection, pool, admin, accepted, workerLog: stack.logs.worker, attentionReasons });
  const messages = await verifyMessages({ pool, admin, orderIds: accepted.map((s) => s.planned.order.orderId) });
  const logs = scanLogs(
    { worker: stack.logs.worker, api: stack.logs.api },
    accepted.map((s) => s.planned.order),
    [DEV_API_KEY, ...secretsOf(stack.env)],
  );
  record.webhooks = mover.webhooks;
  record.parcelScans = mover.moved;
  const stalls = await stallsOf(pool, record, t0).catch((err: Error) => {
    say(`  stalls not measured: ${err.message}`); // the verdict stands without them
    return [];
  });
  await connection.close().catch(() => undefined);
  await pool.end().catch(() => undefined);

  const all = [...submissions.values()];
  const unsubmitted = all
    .filter((s) => s.acceptedAt === undefined)
    .map((s) => s.planned.order.orderId)
    .filter((id) => !id.includes('-probe-'));
  const failures: string[] = [];
  if (verification.lost.length > 0) failures.push(`${verification.lost.length} lost order(s)`);
  if (verification.duplicateBookings.length > 0)
    failures.push(`${verification.duplicateBookings.length} shipment(s) with duplicate live bookings`);
  if (verification.notifications.duplicates.length > 0)
    failures.push(`${verification.notifications.duplicates.length} duplicate notification(s)`);
  if (unsubmitted.length > 0) failures.push(`${unsubmitted.length} order(s) never accepted (the API or Temporal did not come back)`);
  if (messages.duplicates.length > 0) failures.push(`${messages.duplicates.length} message(s) a customer received twice`);
  if (messages.webhooks.missing.length > 0) failures.push(`${messages.webhooks.missing.length} webhook event(s) the OMS never received`);
  if (logs.leaks.length > 0) failures.push(`${logs.leaks.length} log line(s) with personal data or a secret`);
  if (verification.workflowsFailed.length > 0) failures.push(`${verification.workflowsFailed.length} workflow(s) failed`);
  if (verification.openPastDeadline.length > 0)
    failures.push(`${verification.openPastDeadline.length} order(s) open past their final deadline`);
  const transientAttention = desk.transientOnly().length;
  if (transientAttention > 0) failures.push(`${transientAttention} parcel(s) sent to needs_attention by transient faults alone`);
  const failedChecks = outageChecks.filter((c) => !c.ok);
  if (failedChecks.length > 0) failures.push(`${failedChecks.length} outage check(s) failed`);
  const crashed = record.crashes.filter((c) => c.name === 'api' || c.name === 'worker');
  if (crashed.length > 0)
    failures.push(
      `${crashed.length} engine process crash(es): ${[...new Set(crashed.map((c) => `${c.name}${c.during ? ` during the ${c.during} outage` : ''}`))].join(', ')}`,
    );

  return {
    seed: options.seed,
    orders: options.orders,
    startedAt: startedAt.toISOString(),
    durationS: Math.round((Date.now() - startedAt.getTime()) / 1000),
    dir: stack.dir,
    kept: options.keep || failures.length > 0,
    submitted: {
      accepted: accepted.length,
      viaApi: accepted.filter((s) => s.planned.door === 'api').length,
      direct: accepted.filter((s) => s.planned.door === 'direct').length,
      probes: accepted.filter((s) => s.planned.order.orderId.includes('-probe-')).length,
      unsubmitted,
      retried: all.filter((s) => s.failures.length > 0).length,
      resends: {
        sent: Object.values(resendAnswers).reduce((a, b) => a + b, 0),
        answered200: resendAnswers['200'] ?? 0,
        other: Object.fromEntries(Object.entries(resendAnswers).filter(([k]) => k !== '200')),
      },
    },
    outageChecks,
    chaos: record,
    needsAttention: [...desk.cases.values()],
    verification,
    messages,
    logs,
    stalls,
    verdict: { pass: failures.length === 0, failures },
  };
}

/** How long a killed history process stays down: long enough for the ring to drop it and the other to take its shards. */
export const HISTORY_BACK_AFTER_S = 15;

function clusterOf(stack: Stack): NonNullable<Stack['cluster']> {
  if (!stack.cluster) throw new Error('a cluster fault on the dev server');
  return stack.cluster;
}

/** The stall at every fault the run made, from every order's status changes. */
async function stallsOf(pool: Pool, record: ChaosRecord, t0: number): Promise<Stall[]> {
  const { rows } = await pool.query<{ ms: number }>('SELECT extract(epoch FROM at)::float8 * 1000 AS ms FROM order_status_history');
  const times = rows.map((r) => (r.ms - t0) / 1000);
  const faults = [
    ...record.workerKills.map((k) => ({ what: 'worker SIGKILL', atS: k.atS })),
    ...record.restarts.map((r) => ({ what: `${r.what} restarted`, atS: r.atS })),
    ...record.clusterKills.map((k) => ({ what: `${k.service} SIGKILL`, atS: k.atS })),
  ];
  return faults.sort((a, b) => a.atS - b.atS).map((f) => stallAt(f.what, f.atS, times));
}
