// Test controls for the Aras sandbox (never part of the carrier's API): sandbox/admin.ts's
// shipment routes (move parcels along, count bookings, faults) and the pickups booked.
import type { Router } from 'express';
import { z } from 'zod';
import { shipmentAdminRouter } from '../admin';
import { ARAS_OPERATIONS, type ArasState, type Scan } from './state';

/**
 * `{}` is the next movement on the happy path; `{code, type?}` names one. Any status 1–99 and
 * type 1–9 is accepted, including ones adapters do not know (to test 'unknown').
 */
const AdvanceSchema = z.object({
  code: z.number().int().min(1).max(99).optional(),
  type: z.number().int().min(1).max(9).optional(),
});

const scanSummary = (scan: Scan) => ({ code: scan.statusCode, type: scan.typeCode, at: scan.at.toISOString() });

export function arasAdminRouter(state: ArasState): Router {
  return shipmentAdminRouter(state, {
    operations: ARAS_OPERATIONS,
    // The engine's tracking number is the IntegrationCode; the carrier's KARGO TAKİP NO works too.
    find: (key) => state.find(key),
    key: 'IntegrationCode or tracking number',
    /** No personal data: codes, numbers and times only. */
    summary: (s) => {
      const current = state.current(s);
      return {
        integrationCode: s.integrationCode,
        trackingNumber: s.trackingNumber ?? null,
        kind: s.kind,
        codAmount: s.codAmount ?? null,
        cancelled: s.cancelled,
        statusCode: current?.statusCode ?? null,
        typeCode: current?.typeCode ?? null,
        scans: s.scans.map(scanSummary),
      };
    },
    advanceSchema: AdvanceSchema,
    closed: (shipment) => (shipment.cancelled ? 'the order was cancelled (deleted by CancelDispatch)' : undefined),
    advance(shipment, { code, type }) {
      const scan = state.advance(shipment, code, type);
      return scan && { integrationCode: shipment.integrationCode, trackingNumber: shipment.trackingNumber, scan: scanSummary(scan) };
    },
    pathEnded: 'the parcel has no next movement on the happy path; name a code',
    addRoutes: (router) =>
      router.get('/pickups', (_req, res) => {
        res.json({ pickups: state.pickups() });
      }),
  });
}
