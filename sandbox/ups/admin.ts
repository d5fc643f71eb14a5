// Test controls for the UPS sandbox (never part of the carrier's API): move parcels along,
// count bookings, inject faults, expire tokens. Errors are plain {error, message}.
import type { Router } from 'express';
import { z } from 'zod';
import { AdminError, carrierAdminRouter, parse } from '../admin';
import { UPS_OPERATIONS, type SandboxShipment, type UpsState } from './state';

/** Any carrier-style code is accepted, including ones adapters do not know (to test 'unknown'). */
const SubscriptionSchema = z.object({ url: z.url(), secret: z.string().min(16) });

const AdvanceSchema = z.object({ code: z.string().regex(/^[A-Z]{1,3}$/).optional() });

function summary(s: SandboxShipment) {
  return {
    id: s.id,
    kind: s.kind,
    idempotencyKey: s.idempotencyKey,
    trackingNumber: s.trackingNumber,
    service: s.service,
    status: s.status,
    scans: s.scans.map((scan) => ({ code: scan.code, at: scan.at.toISOString() })),
  };
}

export function upsAdminRouter(state: UpsState): Router {
  return carrierAdminRouter(state, UPS_OPERATIONS, (router) => {
    router.get('/shipments', (_req, res) => {
      const shipments = state.list().map(summary);
      res.json({ live: state.liveCount(), shipments });
    });

    router.post('/shipments/:trackingNumber/advance', (req, res) => {
      const shipment = state.byTrackingNumber(String(req.params.trackingNumber));
      if (!shipment) throw new AdminError(404, `no shipment with tracking number ${req.params.trackingNumber}`);
      const { code } = parse(AdvanceSchema, req.body ?? {});
      const scan = state.advance(shipment, code);
      if (!scan) throw new AdminError(409, 'the parcel has no next scan on the happy path; name a code');
      res.status(201).json({ trackingNumber: shipment.trackingNumber, scan: { code: scan.code, at: scan.at.toISOString() } });
    });

    // The tracking webhook: who gets pushed scans, what was delivered, and a resend (replay) of one.
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

    router.post('/tokens/revoke', (_req, res) => {
      state.revokeTokens();
      res.status(204).end();
    });
  });
}
