// Wakes the webhook dispatchers when the outbox has new events. The database triggers call
// pg_notify('outbound_events') with each event; this process LISTENs, and after a burst (or every
// sweep interval, in case a notification was missed while disconnected) signals the dispatcher
// workflow of every subscriber with pending deliveries, starting it if it is not running.
import type { Client } from '@temporalio/client';
import { Client as PgClient, type Pool } from 'pg';
import { MARKETPLACE_PUSH_ATTEMPTS, MARKETPLACE_SUBSCRIBER_PREFIX, type Subscriber } from '../domain/webhooks';
import { NOT_HELD, syncSubscribers } from '../activities/webhooks/subscribers';
import type { Logger } from '../lib/logger';
import { outboxWakeSignal, webhookDispatcherWorkflowId } from '../workflows/definitions';
import type { webhookDispatcherWorkflow } from '../workflows/webhook-dispatcher';

const WAKE_DEBOUNCE_MS = 500;

export interface OutboxPumpOptions {
  client: Client;
  pool: Pool;
  /** Where LISTEN connects: a pooled connection cannot hold a LISTEN. */
  databaseUrl: string;
  subscribers: Subscriber[];
  /** This process pushes to marketplace accounts: their dispatchers are woken too, accounts connected since start included. */
  marketplaces?: boolean;
  taskQueue: string;
  logger: Logger;
  sweepMs?: number;
}

export interface OutboxPump {
  /** Signals every subscriber that has pending deliveries. */
  sweep(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts pumping. A database that is down at start-up does not stop the worker: the pump keeps
 * trying in the background, and its first sweep delivers whatever waited meanwhile.
 */
export async function startOutboxPump({
  client,
  pool,
  databaseUrl,
  subscribers,
  marketplaces = false,
  taskQueue,
  logger,
  sweepMs = 30_000,
}: OutboxPumpOptions): Promise<OutboxPump> {
  const byId = new Map(subscribers.map((s) => [s.id, s]));
  let stopped = false;
  let listener: PgClient | undefined;
  let pending: NodeJS.Timeout | undefined;

  /** An account connected after this process started (POST /v1/marketplace-accounts made its row). */
  const connectedSince = (id: string): Pick<Subscriber, 'id' | 'kind' | 'maxAttempts'> => ({
    id,
    kind: 'marketplace',
    maxAttempts: MARKETPLACE_PUSH_ATTEMPTS,
  });

  async function wake(subscriber: Pick<Subscriber, 'id' | 'kind' | 'maxAttempts'>): Promise<void> {
    await client.workflow.signalWithStart<typeof webhookDispatcherWorkflow>('webhookDispatcherWorkflow', {
      workflowId: webhookDispatcherWorkflowId(subscriber.id),
      taskQueue,
      args: [{ subscriberId: subscriber.id, maxAttempts: subscriber.maxAttempts }],
      signal: outboxWakeSignal,
      signalArgs: [],
      staticSummary: `Outbound webhooks to ${subscriber.id} (${subscriber.kind}), in order`,
    });
  }

  async function sweep(): Promise<void> {
    const { rows } = await pool.query<{ subscriber_id: string }>(
      // Held deliveries (behind a refusal that waits for ops) wake no one: there is nothing to deliver.
      `SELECT DISTINCT d.subscriber_id FROM webhook_deliveries d JOIN outbound_events e ON e.event_id = d.event_id
        WHERE d.status = 'pending' AND ${NOT_HELD}
          AND CASE WHEN left(d.subscriber_id, $3) = $4
                   -- a marketplace account's, while it is connected: DELETE switches it off, whoever started with it
                   THEN ($2 OR d.subscriber_id = ANY ($1))
                        AND EXISTS (SELECT 1 FROM webhook_subscribers s WHERE s.subscriber_id = d.subscriber_id AND s.active)
                   ELSE d.subscriber_id = ANY ($1) END`,
      [[...byId.keys()], marketplaces, MARKETPLACE_SUBSCRIBER_PREFIX.length, MARKETPLACE_SUBSCRIBER_PREFIX],
    );
    await Promise.all(rows.map((r) => wake(byId.get(r.subscriber_id) ?? connectedSince(r.subscriber_id))));
  }

  /** One sweep at a time: a busy server is not sent a second round of signals while the first waits. */
  let sweeping: Promise<void> | undefined;
  const sweepQuietly = () => {
    if (stopped || sweeping) return;
    sweeping = sweep()
      .catch((err) =>
        logger.warn(
          {
            err: (err as Error).message,
            cause: (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : undefined,
          },
          'outbox sweep failed; the next one tries again',
        ),
      )
      .finally(() => (sweeping = undefined));
  };

  /**
   * Events of the next half second make one sweep: each signal costs the dispatcher a workflow
   * task, and one wake-up delivers everything pending anyway.
   */
  const soon = () => {
    pending ??= setTimeout(() => {
      pending = undefined;
      sweepQuietly();
    }, WAKE_DEBOUNCE_MS);
  };

  /** Syncs the subscribers and LISTENs; on any failure, tries again a second later. */
  async function listen(): Promise<void> {
    const connection = new PgClient({ connectionString: databaseUrl });
    let failed = false;
    const retry = (err: Error) => {
      if (failed) return; // one retry per connection, however many errors it reports
      failed = true;
      logger.warn({ err: err.message }, 'outbox listener has no database connection; retrying');
      void connection.end().catch(() => undefined);
      if (!stopped) setTimeout(() => void listen(), 1_000).unref();
    };
    connection.on('notification', soon);
    connection.on('error', retry);
    try {
      await syncSubscribers(pool, subscribers);
      await connection.connect();
      await connection.query('LISTEN outbound_events');
    } catch (err) {
      retry(err as Error);
      return;
    }
    listener = connection;
    logger.info({ subscribers: subscribers.map((s) => s.id) }, 'outbox pump listening');
    sweepQuietly(); // whatever arrived while nobody listened
  }

  const timer = setInterval(sweepQuietly, sweepMs);
  timer.unref();
  await listen();
  return {
    sweep,
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (pending) clearTimeout(pending);
      await listener?.end().catch(() => undefined);
    },
  };
}
