// The verdict: every accepted order checked against Temporal (its workflow and where it stands),
// the carriers' own records (the sandbox's bookings, traced back to shipments by idempotency
// key) and the database (orders, shipments, the notification ledger), plus the worker's log of
// notifications it sent.
import type { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import type { OrderView } from '../domain/order';
import { orderWorkflowId, statusQuery } from '../workflows/definitions';
import type { Door, Submission } from './orders';
import { readLogFrom } from './processes';
import { carrierKeyFor, type SandboxAdmin, type SandboxBooking } from './sandbox-admin';
import { CARRIERS, type CarrierName } from './stack';

/** Statuses of an order whose parcel has a label and is on its way (or arrived). */
const BOOKED = [
  'labelled',
  'picked_up',
  'on_hold',
  'in_transit',
  'delivery_failed',
  'ready_for_pickup',
  'out_for_delivery',
  'delayed',
  'delivered',
];
/** Rounds of booking the key map covers per carrier (a round per retryBooking). */
const MAX_ROUNDS = 20;

/**
 * Where an order should be at the end. Orders started with the run's short timers close after
 * delivery; orders through the API (default timers) are delivered when UPS pushes their scans,
 * and labelled at least with a polled carrier (first poll after an hour).
 */
export function expectation(door: Door, carrier: string | undefined): { statuses: string[]; text: string } {
  if (door === 'direct') return { statuses: ['closed'], text: 'closed' };
  if (carrier === 'ups') return { statuses: ['delivered'], text: 'delivered (UPS pushes)' };
  return { statuses: BOOKED, text: 'labelled or further (polled from 1 h on)' };
}

export interface OrderFinding {
  orderId: string;
  door: Door;
  carrier?: string;
  workflow: string;
  status?: string;
  why?: string;
}

export interface BookingFinding {
  shipmentId: string;
  /** The booking the engine recorded (carrier:trackingNumber), if any. */
  recorded?: string;
  live: string[];
}

/** A workflow of the run that closed badly, or whose workflow task keeps failing (it can never move on by itself). */
export interface FailedWorkflow {
  workflowId: string;
  type: string;
  /** The execution status, or `RUNNING, workflow task failing (attempt n)`. */
  how: string;
}

export interface Verification {
  completed: OrderFinding[];
  lost: OrderFinding[];
  /** Every workflow of the run (orders, shipments, webhook dispatchers) that failed, timed out, was terminated or is stuck on a failing task. */
  workflowsFailed: FailedWorkflow[];
  /** Workflow executions in the run's Temporal, every run of every workflow: what workflowsFailed looked through. */
  workflowsChecked: number;
  /**
   * Orders still open past their final deadline. An order the runner started with the short
   * timers has its whole life within the run (a 2-second return window), so its final deadline is
   * the end of the drain; an order through the API keeps the engine's 14-day return window, so its
   * final deadline is never inside a run (it is judged by where it stands, above).
   */
  openPastDeadline: OrderFinding[];
  needsAttention: (OrderFinding & { reason: string })[];
  duplicateBookings: BookingFinding[];
  /** Live bookings that are not the one the engine recorded, on shipments with no other live one (a label paid for, never used). */
  orphanBookings: BookingFinding[];
  /** The engine's recorded booking is voided at the carrier while the parcel is still meant to move. */
  recordedButVoided: BookingFinding[];
  /** Sandbox bookings no shipment of this run explains. */
  untraced: string[];
  bookingsPerCarrier: Record<CarrierName, { live: number; voided: number }>;
  notifications: {
    ledgerRows: number;
    sent: number;
    /** More than one send of one (order, shipment, event), or ledger rows of one (order, event) beyond the order's parcels. */
    duplicates: { orderId: string; event: string; count: number; source: 'sent' | 'ledger' }[];
    /** In the ledger but never sent (the worker's log has no line for it). */
    recordedNotSent: number;
    /** Delivered parcels whose customer was never told (no 'shipped' or 'delivered' row). */
    missing: { orderId: string; shipmentId: string; event: string }[];
  };
  /** The orders table disagrees with the workflow's own status. */
  recordMismatches: { orderId: string; workflow: string; database: string }[];
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

/** Workflow task attempts beyond which a running workflow counts as stuck (a retry or two follows a worker kill). */
const STUCK_TASK_ATTEMPTS = 3;

/**
 * Every workflow in the run's own Temporal: closed as failed, timed out or terminated (the runner
 * terminates nothing), or running with a workflow task that keeps failing (non-determinism, a bug
 * in workflow code), which no retry will get past.
 */
async function failedWorkflows(client: Client, connection: Connection): Promise<FailedWorkflow[]> {
  const within = <T>(fn: () => Promise<T>) => connection.withDeadline(Date.now() + 15_000, fn);
  const failed: FailedWorkflow[] = [];
  const closedBadly = "ExecutionStatus = 'Failed' OR ExecutionStatus = 'TimedOut' OR ExecutionStatus = 'Terminated'";
  for await (const w of client.workflow.list({ query: closedBadly }))
    failed.push({ workflowId: w.workflowId, type: w.type, how: w.status.name });
  const running: { workflowId: string; type: string }[] = [];
  for await (const w of client.workflow.list({ query: "ExecutionStatus = 'Running'" })) running.push(w);
  const attempts = await mapLimit(running, 16, (w) =>
    within(() => client.workflow.getHandle(w.workflowId).describe())
      .then((d) => d.raw.pendingWorkflowTask?.attempt ?? 0)
      .catch(() => 0),
  );
  for (const [i, w] of running.entries())
    if (attempts[i] >= STUCK_TASK_ATTEMPTS) failed.push({ ...w, how: `RUNNING, workflow task failing (attempt ${attempts[i]})` });
  return failed;
}

async function workflowState(client: Client, connection: Connection, orderId: string): Promise<{ workflow: string; view?: OrderView }> {
  const handle = client.workflow.getHandle(orderWorkflowId(orderId));
  const within = <T>(fn: () => Promise<T>) => connection.withDeadline(Date.now() + 15_000, fn);
  try {
    const { status } = await within(() => handle.describe());
    if (status.name === 'COMPLETED') return { workflow: status.name, view: (await within(() => handle.result())) as OrderView };
    if (status.name === 'RUNNING') return { workflow: status.name, view: await within(() => handle.query(statusQuery)) };
    return { workflow: status.name };
  } catch (err) {
    return { workflow: (err as Error).name === 'WorkflowNotFoundError' ? 'NOT_FOUND' : `UNKNOWN (${(err as Error).message})` };
  }
}

/** "customer notified" lines of the worker's log: the notifications it sent. */
function sentNotifications(workerLog: string): Map<string, number> {
  const sent = new Map<string, number>();
  for (const line of readLogFrom(workerLog, 0).split('\n')) {
    if (!line.includes('"customer notified"')) continue;
    try {
      const { orderId, shipmentId, event, channel } = JSON.parse(line) as {
        orderId: string;
        shipmentId?: string;
        event: string;
        channel: string;
      };
      const key = `${orderId}|${shipmentId ?? ''}|${event}|${channel}`;
      sent.set(key, (sent.get(key) ?? 0) + 1);
    } catch {
      // a line cut by SIGKILL
    }
  }
  return sent;
}

export async function verify(deps: {
  client: Client;
  connection: Connection;
  pool: Pool;
  admin: SandboxAdmin;
  accepted: Submission[];
  workerLog: string;
  /** Open needs_attention cases by order, with the runner's notes. */
  attentionReasons: Map<string, string>;
}): Promise<Verification> {
  const { client, connection, pool, admin, accepted, workerLog, attentionReasons } = deps;
  const orderIds = accepted.map((s) => s.planned.order.orderId);

  // --- the carriers' records ---
  const bookings = (await Promise.all(CARRIERS.map((c) => admin.bookings(c)))).flat();
  const { rows: shipments } = await pool.query<{
    shipment_id: string;
    order_id: string;
    status: string;
    carrier: string | null;
    tracking_number: string | null;
  }>('SELECT shipment_id, order_id, status, carrier, tracking_number FROM shipments WHERE order_id = ANY($1)', [orderIds]);
  const shipmentIds = new Set([...shipments.map((s) => s.shipment_id), ...orderIds.map((id) => `shipment-${id}-1`)]);
  const keyToShipment = new Map<string, string>();
  for (const shipmentId of shipmentIds) {
    for (const carrier of CARRIERS) {
      for (let round = 1; round <= MAX_ROUNDS; round++)
        keyToShipment.set(`${carrier}|${carrierKeyFor(carrier, `${shipmentId}:${carrier}:${round}`)}`, shipmentId);
    }
  }
  const liveByShipment = new Map<string, SandboxBooking[]>();
  const untraced: string[] = [];
  const bookingsPerCarrier = Object.fromEntries(CARRIERS.map((c) => [c, { live: 0, voided: 0 }])) as Verification['bookingsPerCarrier'];
  for (const b of bookings) {
    bookingsPerCarrier[b.carrier][b.live ? 'live' : 'voided'] += 1;
    const shipmentId = keyToShipment.get(`${b.carrier}|${b.key}`);
    if (!shipmentId) {
      untraced.push(`${b.carrier}:${b.key}`);
      continue;
    }
    if (b.live) liveByShipment.set(shipmentId, [...(liveByShipment.get(shipmentId) ?? []), b]);
  }
  const duplicateBookings: BookingFinding[] = [];
  const orphanBookings: BookingFinding[] = [];
  const recordedButVoided: BookingFinding[] = [];
  const name = (b: SandboxBooking) => `${b.carrier}:${b.trackingNumber ?? b.key}`;
  for (const s of shipments) {
    const live = liveByShipment.get(s.shipment_id) ?? [];
    const recorded = s.tracking_number ? `${s.carrier}:${s.tracking_number}` : undefined;
    const finding = { shipmentId: s.shipment_id, recorded, live: live.map(name) };
    if (live.length > 1) duplicateBookings.push(finding);
    else if (live.length === 1 && name(live[0]) !== recorded) orphanBookings.push(finding);
    if (recorded && s.status !== 'cancelled' && !live.some((b) => name(b) === recorded)) recordedButVoided.push(finding);
  }
  for (const [shipmentId, live] of liveByShipment) {
    if (!shipments.some((s) => s.shipment_id === shipmentId))
      (live.length > 1 ? duplicateBookings : orphanBookings).push({ shipmentId, live: live.map(name) });
  }

  // --- every order's workflow ---
  const { rows: orderRows } = await pool.query<{ order_id: string; status: string }>(
    'SELECT order_id, status FROM orders WHERE order_id = ANY($1)',
    [orderIds],
  );
  const dbStatus = new Map(orderRows.map((r) => [r.order_id, r.status]));
  const states = await mapLimit(accepted, 16, (s) => workflowState(client, connection, s.planned.order.orderId));
  const completed: OrderFinding[] = [];
  const lost: OrderFinding[] = [];
  const openPastDeadline: OrderFinding[] = [];
  const needsAttention: Verification['needsAttention'] = [];
  const recordMismatches: Verification['recordMismatches'] = [];
  for (const [i, submission] of accepted.entries()) {
    const { orderId } = submission.planned.order;
    const { workflow, view } = states[i];
    const carrier = view?.shipments.find((s) => s.kind === 'outbound' && s.trackingNumber)?.carrier;
    const finding: OrderFinding = { orderId, door: submission.planned.door, carrier, workflow, status: view?.status };
    const expected = expectation(submission.planned.door, carrier);
    if (view && dbStatus.get(orderId) !== view.status)
      recordMismatches.push({ orderId, workflow: view.status, database: dbStatus.get(orderId) ?? '(no row)' });
    if (!view) lost.push({ ...finding, why: workflow === 'NOT_FOUND' ? 'no workflow for an accepted order' : `workflow ${workflow}` });
    else if (view.status === 'needs_attention')
      needsAttention.push({ ...finding, reason: attentionReasons.get(orderId) ?? view.pendingActions.join('; ') });
    else if (expected.statuses.includes(view.status)) completed.push(finding);
    else lost.push({ ...finding, why: `${view.status} at the deadline, expected ${expected.text}` });
    const waitingForOps = view?.status === 'needs_attention';
    if (workflow === 'RUNNING' && submission.planned.door === 'direct' && !waitingForOps && !expected.statuses.includes(view?.status ?? ''))
      openPastDeadline.push({ ...finding, why: `${view?.status ?? 'unknown'} after its return window and the drain` });
  }
  const workflowsFailed = await failedWorkflows(client, connection);
  const { count: workflowsChecked } = await client.workflow.count();

  // --- notifications: the ledger and what the worker sent ---
  const { rows: ledger } = await pool.query<{ order_id: string; shipment_id: string; event: string }>(
    // Email is the channel every customer has: one row per order, parcel and event.
    "SELECT order_id, shipment_id, event FROM notifications WHERE order_id = ANY($1) AND channel = 'email'",
    [orderIds],
  );
  const sent = sentNotifications(workerLog);
  const duplicates: Verification['notifications']['duplicates'] = [];
  for (const [key, count] of sent) {
    const [orderId, , event] = key.split('|');
    if (count > 1) duplicates.push({ orderId, event, count, source: 'sent' });
  }
  const parcelsOf = new Map<string, number>();
  for (const s of shipments) if (s.tracking_number) parcelsOf.set(s.order_id, (parcelsOf.get(s.order_id) ?? 0) + 1);
  const perOrderEvent = new Map<string, number>();
  for (const r of ledger)
    if (r.shipment_id) perOrderEvent.set(`${r.order_id}|${r.event}`, (perOrderEvent.get(`${r.order_id}|${r.event}`) ?? 0) + 1);
  for (const [key, count] of perOrderEvent) {
    const [orderId, event] = key.split('|');
    if (count > Math.max(1, parcelsOf.get(orderId) ?? 0)) duplicates.push({ orderId, event, count, source: 'ledger' });
  }
  const ledgerKeys = new Set(ledger.map((r) => `${r.order_id}|${r.shipment_id}|${r.event}`));
  const recordedNotSent = [...ledgerKeys].filter((k) => !sent.has(`${k}|email`)).length;
  const missing: Verification['notifications']['missing'] = [];
  for (const s of shipments.filter((x) => x.status === 'delivered')) {
    for (const event of ['shipped', 'delivered']) {
      if (!ledgerKeys.has(`${s.order_id}|${s.shipment_id}|${event}`))
        missing.push({ orderId: s.order_id, shipmentId: s.shipment_id, event });
    }
  }

  return {
    completed,
    lost,
    workflowsFailed,
    workflowsChecked,
    openPastDeadline,
    needsAttention,
    duplicateBookings,
    orphanBookings,
    recordedButVoided,
    untraced,
    bookingsPerCarrier,
    notifications: { ledgerRows: ledger.length, sent: [...sent.values()].reduce((a, b) => a + b, 0), duplicates, recordedNotSent, missing },
    recordMismatches,
  };
}
