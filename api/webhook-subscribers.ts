// Ops: the outbound webhook subscribers and how far each is behind, and resuming one that was
// paused after its deliveries kept failing (its events waited in the outbox meanwhile).
import { Router } from 'express';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { HttpError } from './errors';
import { parse } from './validation';
import { signalWorkflow } from './workflow-calls';
import { resumeDeliveriesSignal, webhookDispatcherWorkflowId } from '../workflows/definitions';

export const SubscriberParams = z.object({
  // 64 configured, mkt-<accountId of up to 64> for a marketplace account.
  subscriberId: z.string().regex(/^[a-z0-9_-]{1,68}$/, 'must be 1-68 characters of a-z 0-9 _ -'),
});

export function webhookSubscribersRouter({ client, pool }: { client: Client; pool: Pool }): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    const { rows } = await pool.query(
      `SELECT s.subscriber_id AS "subscriberId", s.active, s.channels, s.events, s.paused_at AS "pausedAt", s.paused_reason AS "pausedReason",
              count(d.event_id)::int AS pending, min(e.occurred_at) AS "oldestPendingAt",
              (array_agg(d.last_error ORDER BY d.seq) FILTER (WHERE d.last_error IS NOT NULL))[1] AS "lastError"
         FROM webhook_subscribers s
         LEFT JOIN webhook_deliveries d ON d.subscriber_id = s.subscriber_id AND d.status = 'pending'
         LEFT JOIN outbound_events e ON e.event_id = d.event_id
        GROUP BY s.subscriber_id
        ORDER BY s.subscriber_id`,
    );
    res.json({ subscribers: rows });
  });

  router.post('/:subscriberId/resume', async (req, res) => {
    const { subscriberId } = parse(SubscriberParams, req.params, 'path');
    const { rows } = await pool.query<{ paused_at: Date | null }>('SELECT paused_at FROM webhook_subscribers WHERE subscriber_id = $1', [
      subscriberId,
    ]);
    if (rows.length === 0) throw new HttpError(404, 'subscriber_not_found', `no webhook subscriber ${subscriberId}`);
    if (!rows[0].paused_at) throw new HttpError(409, 'not_paused', `${subscriberId} is not paused`);
    await signalWorkflow(client, webhookDispatcherWorkflowId(subscriberId), resumeDeliveriesSignal, [], 'subscriber_not_found');
    res.status(202).json({ subscriberId, accepted: 'resumeDeliveries' });
  });

  return router;
}
