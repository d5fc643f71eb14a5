// Test controls for the UPS sandbox (never part of the carrier's API): sandbox/admin.ts's shipment
// routes (move parcels along, count bookings, faults, expire tokens), the tracking webhook's and
// the on-call pickups booked.
import type { Router } from 'express';
import { z } from 'zod';
import { AdminError, parse, shipmentAdminRouter } from '../admin';
import { UPS_OPERATIONS, type SandboxPickup, type SandboxShipment, type UpsState } from './state';

/** What UPS's portal registers for Track Alert ("Manage Webhook Credentials"): the URL, and the OAuth client UPS gets tokens with. */
const SubscriptionSchema = z.object({ url: z.url(), tokenUrl: z.url(), clientId: z.string().min(1), clientSecret: z.string().min(16) });

/** `type/code` (I/OT) or a type alone (X); any UPS-style value, including ones adapters do not know (to test 'unknown'). */
const AdvanceSchema = z.object({
  code: z
    .string()
    .regex(/^[A-Z]{1,2}(\/[A-Z0-9]{2})?$/)
    .optional(),
});

function summary(state: UpsState, s: SandboxShipment) {
  const { id, kind, references, service, status } = s;
  return {
    id,
    kind,
    references,
    trackingNumber: id,
    service,
    status,
    subscribed: (state.subscriptions.get(id) ?? 0) > Date.now(),
    scans: s.scans.map((scan) => ({ code: scan.raw, at: scan.at.toISOString() })),
    ...(s.customs && { customs: s.customs }),
    ...(s.iossNumber && { iossNumber: s.iossNumber }),
  };
}

/** A pickup as the admin API shows it: no names, streets or phones. */
const pickupSummary = ({ prn, date, readyTime, closeTime, address, pieces, reference, status, createdAt }: SandboxPickup) => ({
  prn,
  date,
  readyTime,
  closeTime,
  postalCode: address.postalCode,
  countryCode: address.countryCode,
  pieces,
  reference: reference ?? null,
  status,
  createdAt: createdAt.toISOString(),
});

/** `GET /pickups`: every on-call pickup booked (`scheduled` counts those not cancelled); `GET /pickups/:prn` one of them. */
function pickupRoutes(router: Router, state: UpsState): void {
  router.get('/pickups', (_req, res) => {
    const pickups = [...state.pickups.values()];
    res.json({ scheduled: pickups.filter((p) => p.status === 'scheduled').length, pickups: pickups.map(pickupSummary) });
  });
  router.get('/pickups/:prn', (req, res) => {
    const pickup = state.pickups.get(String(req.params.prn));
    if (!pickup) throw new AdminError(404, `no pickup ${req.params.prn}`);
    res.json(pickupSummary(pickup));
  });
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
    find: (trackingNumber) => state.get(trackingNumber),
    key: 'tracking number',
    summary: (s) => summary(state, s),
    advanceSchema: AdvanceSchema,
    advance(shipment, { code }) {
      const scan = state.advance(shipment, code);
      return scan && { trackingNumber: shipment.id, scan: { code: scan.raw, at: scan.at.toISOString() } };
    },
    pathEnded: 'the parcel has no next scan on the happy path; name a code',
    tokens: state.tokens,
    addRoutes: (router) => {
      webhookRoutes(router, state);
      pickupRoutes(router, state);
    },
  });
}
