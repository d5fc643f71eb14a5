// Test controls for the Aras sandbox (never part of the carrier's API): move parcels along,
// count bookings and pickups, inject faults. Errors are plain {error, message}, as the other
// carriers' admin APIs.
import type { Router } from 'express';
import { z } from 'zod';
import { AdminError, carrierAdminRouter, parse } from '../admin';
import { ARAS_OPERATIONS, type ArasState, type SandboxShipment } from './state';

/**
 * `{}` is the next movement on the happy path; `{code, type?}` names one. Any status 1–99 and
 * type 1–9 is accepted, including ones adapters do not know (to test 'unknown').
 */
const AdvanceSchema = z.object({
  code: z.number().int().min(1).max(99).optional(),
  type: z.number().int().min(1).max(9).optional(),
});

/** No personal data: codes, numbers and times only. */
function summary(state: ArasState, s: SandboxShipment) {
  const current = state.current(s);
  return {
    integrationCode: s.integrationCode,
    trackingNumber: s.trackingNumber ?? null,
    kind: s.kind,
    codAmount: s.codAmount ?? null,
    cancelled: s.cancelled,
    statusCode: current?.statusCode ?? null,
    typeCode: current?.typeCode ?? null,
    scans: s.scans.map((scan) => ({ code: scan.statusCode, type: scan.typeCode, at: scan.at.toISOString() })),
  };
}

export function arasAdminRouter(state: ArasState): Router {
  return carrierAdminRouter(state, ARAS_OPERATIONS, (router) => {
    router.get('/shipments', (_req, res) => {
      res.json({ live: state.liveCount(), shipments: state.list().map((s) => summary(state, s)) });
    });

    // The engine's tracking number is the IntegrationCode; the carrier's KARGO TAKİP NO works too.
    router.post('/shipments/:trackingNumber/advance', (req, res) => {
      const shipment = state.find(String(req.params.trackingNumber));
      if (!shipment) throw new AdminError(404, `no shipment with IntegrationCode or tracking number ${req.params.trackingNumber}`);
      if (shipment.cancelled) throw new AdminError(409, 'the order was cancelled (deleted by CancelDispatch)');
      const { code, type } = parse(AdvanceSchema, req.body ?? {});
      const scan = state.advance(shipment, code, type);
      if (!scan) throw new AdminError(409, 'the parcel has no next movement on the happy path; name a code');
      res.status(201).json({
        integrationCode: shipment.integrationCode,
        trackingNumber: shipment.trackingNumber,
        scan: { code: scan.statusCode, type: scan.typeCode, at: scan.at.toISOString() },
      });
    });

    router.get('/pickups', (_req, res) => {
      res.json({ pickups: state.pickups() });
    });
  });
}
