// POST /v1/webhooks/carriers/:carrier: carriers pushing tracking scans. Verified per carrier
// (carriers/<carrier>/webhook.ts), deduplicated by the carrier's event id, handed to
// the shipment workflow as a signal. A delivery is acknowledged only once it is signalled, so a
// carrier's retry covers any failure on our side.
import express, { Router } from 'express';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { z } from 'zod';
import { WebhookRejected, type CarrierWebhook } from '../carriers/adapter';
import type { TrackingEvent } from '../domain/shipment';
import { shipmentFinished, type ShipmentStatus } from '../domain/statuses';
import type { Logger } from '../lib/logger';
import { PARCEL_WORKFLOW_SQL } from '../lib/parcels';
import { trackingEventSignal } from '../workflows/definitions';
import { HttpError } from './errors';
import { parse } from './validation';
import { rawBodyOf } from './webhook-signature';

export interface CarrierWebhooksDeps {
  client: Client;
  pool: Pool;
  logger: Logger;
  webhooks: CarrierWebhook[];
}

export const CarrierWebhookParams = z.object({ carrier: z.string().regex(/^[a-z0-9_-]{1,32}$/, 'must be a carrier name such as ups') });

const REJECTION_STATUS = { invalid_signature: 401, stale_timestamp: 401, malformed_payload: 400, invalid_credentials: 401 } as const;

export function carrierWebhooksRouter({ client, pool, logger, webhooks }: CarrierWebhooksDeps): Router {
  const byCarrier = new Map(webhooks.map((w) => [w.carrier, w]));
  const router = Router();

  function receive(webhook: CarrierWebhook, headers: Record<string, string | string[] | undefined>, rawBody: Buffer) {
    try {
      return webhook.receive({ headers, rawBody, receivedAt: Date.now() });
    } catch (err) {
      if (!(err instanceof WebhookRejected)) throw err;
      logger.warn({ carrier: webhook.carrier, reason: err.reason }, 'carrier webhook rejected');
      throw new HttpError(REJECTION_STATUS[err.reason], err.reason, err.message);
    }
  }

  /** The parcel with this tracking number, and the workflow its scans go to (lib/parcels.ts). */
  async function shipmentOf(
    carrier: string,
    trackingNumber: string,
  ): Promise<{ shipmentId: string; workflowId: string; finished: boolean } | undefined> {
    const { rows } = await pool.query<{ shipment_id: string; workflow_id: string; status: ShipmentStatus }>(
      `SELECT shipment_id, ${PARCEL_WORKFLOW_SQL} AS workflow_id, status FROM shipments WHERE carrier = $1 AND tracking_number = $2`,
      [carrier, trackingNumber],
    );
    const [row] = rows;
    return row && { shipmentId: row.shipment_id, workflowId: row.workflow_id, finished: shipmentFinished(row.status) };
  }

  /** Whether a delivery with this event id was signalled already. */
  async function processed(carrier: string, deliveryId: string): Promise<boolean> {
    const { rowCount } = await pool.query('SELECT 1 FROM carrier_webhook_events WHERE carrier = $1 AND event_id = $2', [
      carrier,
      deliveryId,
    ]);
    return rowCount === 1;
  }

  /** Recorded only once signalled, so a delivery is never marked done before its scans reached the parcel. */
  async function remember(carrier: string, deliveryId: string, trackingNumber: string): Promise<void> {
    await pool.query('INSERT INTO carrier_webhook_events (carrier, event_id, tracking_number) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      carrier,
      deliveryId,
      trackingNumber,
    ]);
  }

  /**
   * Signals every scan; false when the parcel has ended: its record says so (a parcel inside its
   * order ends before the order does), or its own workflow has finished.
   */
  async function signal({ workflowId, finished }: { workflowId: string; finished: boolean }, events: TrackingEvent[]): Promise<boolean> {
    if (finished) return false;
    try {
      for (const event of events) await client.workflow.getHandle(workflowId).signal(trackingEventSignal, event);
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  // A carrier that authenticates as our OAuth client (UPS Track Alert) fetches its bearer token here first.
  router.post('/:carrier/token', express.urlencoded({ extended: false, limit: '4kb' }), (req, res) => {
    const { carrier } = parse(CarrierWebhookParams, req.params, 'path');
    const webhook = byCarrier.get(carrier);
    if (!webhook?.token) throw new HttpError(404, 'unknown_carrier', `no token endpoint for carrier ${carrier}`);
    const { status, body } = webhook.token({
      authorization: req.header('authorization'),
      grantType: (req.body as { grant_type?: string } | undefined)?.grant_type,
    });
    if (status !== 200) logger.warn({ carrier, status }, 'carrier webhook token refused');
    res.status(status).set('Cache-Control', 'no-store').json(body);
  });

  router.post('/:carrier', async (req, res) => {
    const { carrier } = parse(CarrierWebhookParams, req.params, 'path');
    const webhook = byCarrier.get(carrier);
    if (!webhook) throw new HttpError(404, 'unknown_carrier', `no tracking webhook for carrier ${carrier}`);
    const { deliveryId, events } = receive(webhook, req.headers, rawBodyOf(req));
    const trackingNumber = events[0]?.trackingNumber;
    if (!trackingNumber) return void res.json({ status: 'ignored', reason: 'no scans' });
    // Unknown yet (the push can beat our own record of the booking): the carrier's retry will find it.
    const parcel = await shipmentOf(webhook.carrier, trackingNumber);
    if (!parcel)
      throw new HttpError(404, 'unknown_tracking_number', `no shipment with ${webhook.carrier} tracking number ${trackingNumber}`);
    if (await processed(webhook.carrier, deliveryId)) return void res.json({ status: 'duplicate', deliveryId });
    // Signal first, remember after: a carrier resending while a slow first attempt is still under
    // way gets its scans signalled twice, which the workflow drops by event id; remembering first
    // would answer that resend "duplicate" and lose the scans if the first attempt then failed.
    const live = await signal(parcel, events);
    await remember(webhook.carrier, deliveryId, trackingNumber);
    res.json({
      status: live ? 'accepted' : 'ignored',
      reason: live ? undefined : 'the shipment has finished',
      deliveryId,
      shipmentId: parcel.shipmentId,
      events: events.length,
    });
  });
  return router;
}
