// Sends the customer notices parcels queue with their records (activities/shipments.ts,
// notice_queue): a parcel's workflow no longer runs an activity per notice (issue 24). Each notice
// goes out by each channel after the ones its order queued before it on that channel (an SMS outage
// holds no email up), once (the ledger), retried with the backoff the notice activity had, and
// given up after as many attempts: the ledger then shows what was not sent. Woken by
// pg_notify('notice_queue'), and every sweep interval for retries that fall due and notifications
// missed while disconnected. Several processes share the queue (a lease per notice, SKIP LOCKED);
// each sends only its own task queue's notices.
import { ApplicationFailure } from '@temporalio/common';
import { Client as PgClient, type Pool } from 'pg';
import type { Channel, Notification } from '../activities/notifications';
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
 * A notice is leased while its send runs, longer than one send can take (the mail server's 50 s to
 * answer, then up to 45 s to mark it sent) and renewed while it runs: another process takes it over
 * only once this one is surely gone, within two minutes.
 */
const LEASE = '2 minutes';
const RENEW_EVERY_MS = 20_000;
/** Notices sent at once by one process (each to another order or channel). */
const CONCURRENCY = 20;
/** How long stopping may take to send what was due: the rest is left to the other processes, or to the next start. */
const STOP_WITHIN_MS = 15_000;

export interface NoticePumpOptions {
  pool: Pool;
  taskQueue: string;
  /** Tells the customer by the given channel; throws while it fails (activities/notifications, notifyCustomer). */
  send: (notice: Notification, channel: Channel) => Promise<unknown>;
  logger: Logger;
  retry?: NoticeRetry;
  sweepMs?: number;
}

export interface NoticePump {
  /** Sends every notice that is due, and what falls due behind them. */
  drain(): Promise<void>;
  /** Sends what was due when called (for a few seconds at most), then stops. */
  stop(): Promise<void>;
}

interface Claimed {
  seq: string;
  order_id: string;
  shipment_id: string;
  event: NotificationEvent;
  channel: Channel;
  tracking_number: string | null;
  carrier: string | null;
  /** Counts the claims: it is also this claim's token, so a process whose lease was taken over changes nothing. */
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
  let listener: PgClient | undefined;
  let reconnect: NodeJS.Timeout | undefined;
  let claiming: Promise<void> | undefined;
  let again = false;
  /** Set while stopping: only notices queued before then are sent. */
  let upToSeq: string | undefined;
  /** Sends under way: each order's next notice on a channel is claimed as its last one ends, never behind another's slow one. */
  const inFlight = new Set<Promise<void>>();

  /** Up to `room` notices: the next of each order and channel that is due and not leased, each leased for this process. */
  async function claim(room: number): Promise<Claimed[]> {
    const { rows } = await pool.query<Claimed>(
      `UPDATE notice_queue SET attempts = attempts + 1, leased_until = now() + $3::interval
        WHERE seq IN (
          SELECT q.seq FROM notice_queue q
           WHERE q.task_queue = $1 AND q.status = 'pending' AND q.next_attempt_at <= now()
             AND (q.leased_until IS NULL OR q.leased_until < now())
             AND ($4::bigint IS NULL OR q.seq <= $4::bigint)
             AND NOT EXISTS (SELECT 1 FROM notice_queue p
                              WHERE p.order_id = q.order_id AND p.channel = q.channel AND p.status = 'pending' AND p.seq < q.seq)
           ORDER BY q.seq LIMIT $2
           FOR UPDATE SKIP LOCKED)
        RETURNING seq, order_id, shipment_id, event, channel, tracking_number, carrier, attempts`,
      [taskQueue, room, LEASE, upToSeq ?? null],
    );
    return rows;
  }

  /** Changes a notice this claim still holds (pending, not claimed again since, and with `where`). */
  function settle(notice: Claimed, set: string, values: unknown[] = [], where = 'true') {
    return pool.query(`UPDATE notice_queue SET ${set} WHERE seq = $1 AND attempts = $2 AND status = 'pending' AND ${where}`, [
      notice.seq,
      notice.attempts,
      ...values,
    ]);
  }

  async function sendOne(notice: Claimed): Promise<void> {
    const renew = setInterval(() => {
      // Still leased: a renewal that lands after the failure was settled must not hold its retry back.
      // A few failed renewals are harmless: the lease outlasts them.
      settle(notice, `leased_until = now() + $3::interval`, [LEASE], 'leased_until IS NOT NULL').catch(() => undefined);
    }, RENEW_EVERY_MS);
    const { order_id: orderId, shipment_id: shipmentId, event } = notice;
    try {
      await send(
        { orderId, shipmentId, event, trackingNumber: notice.tracking_number ?? undefined, carrier: notice.carrier ?? undefined },
        notice.channel,
      );
    } catch (err) {
      clearInterval(renew);
      return failed(notice, err as Error);
    }
    clearInterval(renew);
    await settle(notice, `status = 'done', leased_until = NULL, last_error = NULL`);
  }

  /** Asked again after a backoff, or given up: a refusal that cannot change, or the last attempt. */
  async function failed(notice: Claimed, err: Error): Promise<void> {
    const final = (err instanceof ApplicationFailure && err.nonRetryable) || notice.attempts >= retry.maxAttempts;
    const delayMs = Math.min(retry.initialMs * 2 ** (notice.attempts - 1), retry.maxMs);
    await settle(notice, `status = $3, leased_until = NULL, last_error = $4, next_attempt_at = now() + $5 * interval '1 millisecond'`, [
      final ? 'given_up' : 'pending',
      err.message,
      delayMs,
    ]);
    const where = { orderId: notice.order_id, event: notice.event, channel: notice.channel, attempts: notice.attempts };
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

  /** LISTENs on a connection of its own (a pooled one cannot keep a LISTEN); on any failure, tries again a second later. */
  async function listen(): Promise<void> {
    reconnect = undefined;
    const connection = new PgClient({ ...pool.options, application_name: `notice pump ${taskQueue}` }); // named in pg_stat_activity
    let lost = false;
    const retry = (err: Error) => {
      if (lost) return; // one retry per connection, however many errors it reports
      lost = true;
      if (listener === connection) listener = undefined;
      void connection.end().catch(() => undefined);
      if (stopped) return;
      logger.warn({ err: err.message }, 'notice pump has no database connection; retrying');
      reconnect = setTimeout(() => void listen(), 1_000);
      reconnect.unref();
    };
    connection.on('notification', ({ payload }) => payload === taskQueue && wake());
    connection.on('error', retry);
    try {
      await connection.connect();
      await connection.query('LISTEN notice_queue');
    } catch (err) {
      retry(err as Error);
      return;
    }
    if (stopped) return void connection.end().catch(() => undefined);
    listener = connection;
    wake(); // whatever was queued while nobody listened
  }

  const timer = setInterval(wake, sweepMs);
  timer.unref();
  await listen();
  return {
    drain,
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(reconnect);
      await listener?.end().catch(() => undefined);
      listener = undefined;
      try {
        const { rows } = await pool.query<{ seq: string | null }>('SELECT max(seq)::text AS seq FROM notice_queue WHERE task_queue = $1', [
          taskQueue,
        ]);
        upToSeq = rows[0]?.seq ?? '0';
        await Promise.race([drain(), new Promise((resolve) => setTimeout(resolve, STOP_WITHIN_MS).unref())]);
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'notice pump could not send what was due as it stopped');
      }
    },
  };
}
