// Test controls for the UPS sandbox (never part of the carrier's API): sandbox/admin.ts's shipment
// routes (move parcels along, count bookings, faults, expire tokens) and the tracking webhook's.
import type { Router } from 'express';
import { z } from 'zod';
import { AdminError, parse, shipmentAdminRouter } from '../admin';
import { UPS_OPERATIONS, type SandboxShipment, type UpsState } from './state';

const SubscriptionSchema = z.object({ url: z.url(), secret: z.string().min(16) });

/** Any carrier-style code is accepted, including ones adapters do not know (to test 'unknown'). */
const AdvanceSchema = z.object({
  code: z
    .string()
    .regex(/^[A-Z]{1,3}$/)
    .optional(),
});

function summary(s: SandboxShipment) {
  const { id, kind, idempotencyKey, trackingNumber, service, status } = s;
  return {
    id,
    kind,
    idempotencyKey,
    trackingNumber,
    service,
    status,
    scans: s.scans.map((scan) => ({ code: scan.code, at: scan.at.toISOString() })),
  };
}

/** The tracking webhook: who gets pushed scans, what was delivered, and a resend (replay) of one. */
function webhookRoutes(router: Router, state: UpsState): void {
  router.put('/webhook', (req, res) => {
    state.webhooks.subscription = parse(SubscriptionSchema, req.body);
    res.json({ url: state.webhooks.subscription.url });
  });
  router.delete('/webhook', (_req, res) => {
    state.webhooks.subscription = undefined;
    res.status(204).end();
  });
  router.get('/webhook/deliveries', async (req, res) => {
    if (req.query.wait === 'true') await state.webhooks.idle();
    res.json({ deliveries: state.webhooks.list() });
  });
  router.post('/webhook/deliveries/:eventId/redeliver', (req, res) => {
    if (!state.webhooks.redeliver(String(req.params.eventId))) throw new AdminError(404, `no delivery ${req.params.eventId}`);
    res.status(202).json({ eventId: req.params.eventId });
  });
}

export function upsAdminRouter(state: UpsState): Router {
  return shipmentAdminRouter(state, {
    operations: UPS_OPERATIONS,
    find: (trackingNumber) => state.byTrackingNumber(trackingNumber),
    key: 'tracking number',
    summary,
    advanceSchema: AdvanceSchema,
    advance(shipment, { code }) {
      const scan = state.advance(shipment, code);
      return scan && { trackingNumber: shipment.trackingNumber, scan: { code: scan.code, at: scan.at.toISOString() } };
    },
    pathEnded: 'the parcel has no next scan on the happy path; name a code',
    tokens: state.tokens,
    addRoutes: (router) => webhookRoutes(router, state),
  });
}
