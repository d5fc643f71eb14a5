// Test controls for the Yurtiçi sandbox (never part of the carrier's API): sandbox/admin.ts's
// shipment routes (move parcels along, count bookings, faults), keyed by cargoKey (a return by its
// return code).
import type { Router } from 'express';
import { z } from 'zod';
import { shipmentAdminRouter } from '../admin';
import { YURTICI_OPERATIONS, type SandboxShipment, type Scan, type YurticiState } from './state';

/**
 * `{}`: the next movement on the happy path (its pair: ISR/2, IND/1, IND/1, DLV/5). A named
 * `operationCode` (0–99, any status: unknown ones test 'unknown') changes the pair without a
 * movement; `rejectStatus` / `returnStatus` send the parcel back as the carrier reports it.
 */
const AdvanceSchema = z.object({
  operationCode: z.number().int().min(0).max(99).optional(),
  operationStatus: z
    .string()
    .regex(/^[A-Z]{2,3}$/)
    .optional(),
  rejectStatus: z.number().int().min(0).max(11).optional(),
  returnStatus: z.number().int().min(0).max(3).optional(),
});

const scanSummary = (scan: Scan) => ({
  operationCode: scan.operationCode,
  operationStatus: scan.operationStatus,
  at: scan.at.toISOString(),
});

/** No personal data: keys, codes and times only. */
function summary(state: YurticiState, s: SandboxShipment) {
  const { operationCode, operationStatus } = state.current(s);
  const { cargoKey, invoiceKey, jobId, kind } = s;
  return {
    cargoKey,
    invoiceKey,
    jobId,
    kind,
    user: s.owner,
    docId: s.docId ?? null,
    codAmount: s.codAmount ?? null,
    operationCode,
    operationStatus,
    rejectStatus: s.rejectStatus ?? null,
    returnStatus: s.returnStatus ?? null,
    movements: s.movements.length,
    scans: s.scans.map(scanSummary),
  };
}

export function yurticiAdminRouter(state: YurticiState): Router {
  return shipmentAdminRouter(state, {
    operations: YURTICI_OPERATIONS,
    find: (cargoKey) => state.get(cargoKey),
    key: 'cargoKey',
    summary: (s) => summary(state, s),
    advanceSchema: AdvanceSchema,
    advance(shipment, { operationCode, operationStatus, rejectStatus, returnStatus }) {
      const back = rejectStatus !== undefined || returnStatus !== undefined;
      const named = operationCode === undefined ? undefined : { operationCode, operationStatus };
      const scan = back ? state.sendBack(shipment, { rejectStatus, returnStatus }) : state.advance(shipment, named);
      return scan && { cargoKey: shipment.cargoKey, scan: scanSummary(scan) };
    },
    pathEnded: 'the parcel has no next movement on the happy path; name an operationCode',
  });
}
