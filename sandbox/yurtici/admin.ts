// Test controls for the Yurtiçi sandbox (never part of the carrier's API): sandbox/admin.ts's
// shipment routes (move parcels along, count bookings, faults), keyed by cargoKey.
import type { Router } from 'express';
import { z } from 'zod';
import { shipmentAdminRouter } from '../admin';
import { YURTICI_OPERATIONS, type Scan, type YurticiState } from './state';

/** Any code 0–99 is accepted, including ones adapters do not know (to test 'unknown'); the status defaults to the carrier's for that code. */
const AdvanceSchema = z.object({
  operationCode: z.number().int().min(0).max(99).optional(),
  operationStatus: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
});

const scanSummary = (scan: Scan) => ({
  operationCode: scan.operationCode,
  operationStatus: scan.operationStatus,
  at: scan.at.toISOString(),
});

export function yurticiAdminRouter(state: YurticiState): Router {
  return shipmentAdminRouter(state, {
    operations: YURTICI_OPERATIONS,
    find: (cargoKey) => state.get(cargoKey),
    key: 'cargoKey',
    /** No personal data: keys, codes and times only. */
    summary: (s) => {
      const { operationCode, operationStatus } = state.current(s);
      const { cargoKey, invoiceKey, jobId, kind } = s;
      return {
        cargoKey,
        invoiceKey,
        jobId,
        kind,
        docId: s.docId ?? null,
        codAmount: s.codAmount ?? null,
        operationCode,
        operationStatus,
        scans: s.scans.map(scanSummary),
      };
    },
    advanceSchema: AdvanceSchema,
    advance(shipment, { operationCode, operationStatus }) {
      const scan = state.advance(shipment, operationCode, operationStatus);
      return scan && { cargoKey: shipment.cargoKey, scan: scanSummary(scan) };
    },
    pathEnded: 'the parcel has no next scan on the happy path; name an operationCode',
  });
}
