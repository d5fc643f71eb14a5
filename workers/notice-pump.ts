// Sends the customer notices parcels queue with their records (activities/shipments.ts,
// notice_queue): a parcel's workflow no longer runs an activity per notice (issue 24). Each notice
// goes out after the ones its order queued before it, on every channel once (the ledger), retried
// with the backoff the notice activity had, and given up after as many attempts: the ledger then
// shows what was not sent. Woken by pg_notify('notice_queue'), and every sweep interval for retries
// that fall due and notifications missed while disconnected. Several processes share the queue
// (a lease per notice, SKIP LOCKED); each sends only its own task queue's notices.
import { ApplicationFailure } from '@temporalio/common';
import type { Pool, PoolClient } from 'pg';
import type { Notification } from '../activities/notifications';
import type { NotificationEvent } from '../activities/notifications/events';
import type { Logger } from '../lib/logger';

export interface NoticeRetry {
  initialMs: number;
  maxMs: number;
  /** Attempts in all, the first included. */
  maxAttempts: number;
}

/** As the notice activity's retry policy (workflows/definitions.ts, NOTICE_ACTIVITY_OPTIONS): about 20 minutes of outage. */
export const NOTICE_RETRY: NoticeRetry = { initialMs: 5_000, maxMs: 5 * 60_000, maxAttempts: 10 };

/**
 * A notice is leased while its send runs, the lease renewed as the notice activity heartbeated: one
 * whose process died is sent by another within 30 s, and never while its send may still be running.
 */
const LEASE = '30 seconds';
const RENEW_EVERY_MS = 10_000;
/** Notices sent at once by one process (each to another order). */
const CONCURRENCY = 20;

export interface NoticePumpOptions {
  pool: Pool;
  taskQueue: string;
  /** Tells the customer on every channel; throws while one fails (activities/notifications, notifyCustomer). */
  send: (notice: Notification) => Promise<unknown>;
  logger: Logger;
  retry?: NoticeRetry;
  sweepMs?: number;
}

export interface NoticePump {
  /** Sends every notice that is due, and what falls due behind them. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

interface Claimed {
  seq: string;
  order_id: string;
  shipment_id: string;
  event: NotificationEvent;
  tracking_number: string | null;
  carrier: string | null;
  attempts: number;
}

export async function startNoticePump({
  pool,
  taskQueue,
  send,
  logger,
  retry = NOTICE_RETRY,
  sweepMs = 5_000,
}: NoticePumpOptions): Promise<NoticePump> {
  let stopped = false;
  let listener: PoolClient | undefined;
  let claiming: Promise<void> | undefined;
  let again = false;
  /** Sends under way: each order's next notice is claimed as its last one ends, never behind another order's slow one. */
  const inFlight = new Set<Promise<void>>();

  /** Up to `room` notices: the next of each order that is due and not leased, each leased for this process. */
  async function claim(room: number): Promise<Claimed[]> {
    const { rows } = await pool.query<Claimed>(
      `UPDATE notice_queue SET attempts = attempts + 1, leased_until = now() + $3::interval
        WHERE seq IN (
          SELECT q.seq FROM notice_queue q
           WHERE q.task_queue = $1 AND q.status = 'pending' AND q.next_attempt_at <= now()
             AND (q.leased_until IS NULL OR q.leased_until < now())
             AND NOT EXISTS (SELECT 1 FROM notice_queue p WHERE p.order_id = q.order_id AND p.status = 'pending' AND p.seq < q.seq)
           ORDER BY q.seq LIMIT $2
           FOR UPDATE SKIP LOCKED)
        RETURNING seq, order_id, shipment_id, event, tracking_number, carrier, attempts`,
      [taskQueue, room, LEASE],
    );
    return rows;
  }

  async function sendOne(notice: Claimed): Promise<void> {
    const renew = setInterval(() => {
      pool.query('UPDATE notice_queue SET leased_until = now() + $2::interval WHERE seq = $1', [notice.seq, LEASE]).catch(() => undefined);
    }, RENEW_EVERY_MS);
    try {
      await send({
        orderId: notice.order_id,
        shipmentId: notice.shipment_id,
        event: notice.event,
        trackingNumber: notice.tracking_number ?? undefined,
        carrier: notice.carrier ?? undefined,
      });
      await pool.query(`UPDATE notice_queue SET status = 'sent', leased_until = NULL, last_error = NULL WHERE seq = $1`, [notice.seq]);
    } catch (err) {
      await failed(notice, err as Error);
    } finally {
      clearInterval(renew);
    }
  }

  /** Asked again after a backoff, or given up: a refusal that cannot change, or the last attempt. */
  async function failed(notice: Claimed, err: Error): Promise<void> {
    const final = (err instanceof ApplicationFailure && err.nonRetryable) || notice.attempts >= retry.maxAttempts;
    const delayMs = Math.min(retry.initialMs * 2 ** (notice.attempts - 1), retry.maxMs);
    await pool.query(
      `UPDATE notice_queue SET status = $2, leased_until = NULL, last_error = $3,
              next_attempt_at = now() + $4 * interval '1 millisecond'
        WHERE seq = $1`,
      [notice.seq, final ? 'given_up' : 'pending', err.message, delayMs],
    );
    const where = { orderId: notice.order_id, shipmentId: notice.shipment_id, event: notice.event, attempts: notice.attempts };
    if (final) return logger.warn({ ...where, err: err.message }, 'customer notice given up: the ledger shows what was not sent');
    logger.info({ ...where, retryInMs: delayMs }, 'customer notice failed; it is asked again');
    setTimeout(wake, delayMs).unref();
  }

  /** Claims what is due while there is room, and starts sending it; again when woken meanwhile. */
  async function claimRounds(): Promise<void> {
    do {
      again = false;
      const room = CONCURRENCY - inFlight.size;
      if (room <= 0) return; // a send that ends wakes the next round
      const claimed = await claim(room);
      for (const notice of claimed) {
        const sending: Promise<void> = sendOne(notice)
          // The database went away as the send was settled: the lease runs out, and the ledger keeps a sent message from going twice.
          .catch((err: Error) =>
            logger.warn({ orderId: notice.order_id, event: notice.event, err: err.message }, 'customer notice not settled'),
          )
          .finally(() => {
            inFlight.delete(sending);
            wake();
          });
        inFlight.add(sending);
      }
      if (claimed.length === room) again = true; // more may be due
    } while (again);
  }

  /** One round of claims at a time. */
  function claimDue(): Promise<void> {
    if (claiming) {
      again = true;
      return claiming;
    }
    claiming = claimRounds().finally(() => (claiming = undefined));
    return claiming;
  }

  function wake(): void {
    if (stopped) return;
    claimDue().catch((err: Error) => logger.warn({ err: err.message }, 'notice pump round failed; the next one tries again'));
  }

  async function drain(): Promise<void> {
    for (;;) {
      await claimDue();
      if (inFlight.size === 0) return;
      await Promise.allSettled([...inFlight]);
    }
  }

  /** LISTENs on a connection of its own; on any failure, tries again a second later. */
  async function listen(): Promise<void> {
    let client: PoolClient;
    try {
      client = await pool.connect();
      await client.query('LISTEN notice_queue');
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'notice pump has no database connection; retrying');
      if (!stopped) setTimeout(() => void listen(), 1_000).unref();
      return;
    }
    let lost = false;
    client.on('notification', ({ payload }) => payload === taskQueue && wake());
    client.on('error', (err) => {
      if (lost) return;
      lost = true;
      client.release(err);
      listener = undefined;
      if (!stopped) setTimeout(() => void listen(), 1_000).unref();
    });
    listener = client;
    wake(); // whatever was queued while nobody listened
  }

  const timer = setInterval(wake, sweepMs);
  timer.unref();
  await listen();
  return {
    drain,
    /** Sends what is due (a notice queued as the workers stopped is not left for the next start), then stops. */
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (listener) {
        await listener.query('UNLISTEN notice_queue').catch(() => undefined);
        listener.release();
        listener = undefined;
      }
      await drain().catch((err: Error) => logger.warn({ err: err.message }, 'notice pump could not send what was due as it stopped'));
    },
  };
}
