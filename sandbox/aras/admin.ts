// Test controls for the Aras sandbox (never part of the carrier's API): sandbox/admin.ts's
// shipment routes (move parcels along, count bookings, faults).
import type { Router } from 'express';
import { z } from 'zod';
import { shipmentAdminRouter } from '../admin';
import { ARAS_OPERATIONS, type ArasState, type Scan } from './state';

/**
 * `{}` is the next state on the happy path; `{code, type?, reason?}` names one (reason: a DEVİR
 * KODU). Any status 1–99, type 1–9 and reason 1–99 is accepted, including ones adapters do not know
 * (to test 'unknown').
 */
const AdvanceSchema = z.object({
  code: z.number().int().min(1).max(99).optional(),
  type: z.number().int().min(1).max(9).optional(),
  reason: z.number().int().min(1).max(99).optional(),
});

const scanSummary = (scan: Scan) => ({
  code: scan.statusCode,
  type: scan.typeCode,
  reason: scan.reason ?? null,
  at: scan.at.toISOString(),
});

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
        codCollection: s.codCollection ?? null,
        sends: s.sends,
        cancelled: s.cancelled,
        statusCode: current?.statusCode ?? null,
        typeCode: current?.typeCode ?? null,
        scans: s.scans.map(scanSummary),
      };
    },
    advanceSchema: AdvanceSchema,
    closed: (shipment) => (shipment.cancelled ? 'the order was cancelled (deleted by CancelDispatch)' : undefined),
    advance(shipment, { code, type, reason }) {
      const scan = state.advance(shipment, code, type, reason);
      return scan && { integrationCode: shipment.integrationCode, trackingNumber: shipment.trackingNumber, scan: scanSummary(scan) };
    },
    pathEnded: 'the parcel has no next state on the happy path; name a code',
  });
}
