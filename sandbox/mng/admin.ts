// Test controls for the MNG sandbox (never part of the carrier's API): move parcels along,
// count bookings, inject faults, expire tokens. Errors are plain {error, message}, as the other
// carriers' admin APIs.
import type { Router } from 'express';
import { z } from 'zod';
import { AdminError, carrierAdminRouter, parse } from '../admin';
import { MNG_OPERATIONS, STATUS_CODES, type MngState, type SandboxOrder } from './state';

/** Any code 0–99 is accepted, including ones adapters do not know (to test 'unknown'). */
const AdvanceSchema = z.object({ code: z.number().int().min(0).max(99).optional() });

/** No personal data: keys, codes and times only. */
function summary(state: MngState, o: SandboxOrder) {
  const code = state.statusCode(o);
  return {
    referenceId: o.referenceId,
    trackingNumber: o.shipment?.shipmentId ?? null,
    kind: o.kind,
    service: o.service,
    codAmount: o.shipment?.codAmount ?? null,
    statusCode: code,
    status: STATUS_CODES[code] ?? null,
    scans: o.movements.map((m) => ({ code: m.code, at: m.at.toISOString() })),
  };
}

export function mngAdminRouter(state: MngState): Router {
  return carrierAdminRouter(state, MNG_OPERATIONS, (router) => {
    router.get('/shipments', (_req, res) => {
      res.json({ live: state.liveCount(), shipments: state.list().map((o) => summary(state, o)) });
    });

    router.post('/shipments/:trackingNumber/advance', (req, res) => {
      const order = state.byShipment(String(req.params.trackingNumber));
      if (!order) throw new AdminError(404, `no shipment with tracking number ${req.params.trackingNumber}`);
      const { code } = parse(AdvanceSchema, req.body ?? {});
      const movement = state.advance(order, code);
      if (!movement) throw new AdminError(409, 'the parcel has no next scan on the happy path; name a code');
      res.status(201).json({ trackingNumber: order.shipment?.shipmentId, scan: { code: movement.code, at: movement.at.toISOString() } });
    });

    router.post('/tokens/revoke', (_req, res) => {
      state.revokeTokens();
      res.status(204).end();
    });
  });
}
