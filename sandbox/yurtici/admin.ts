// Test controls for the Yurtiçi sandbox (never part of the carrier's API): move parcels along,
// count bookings, inject faults. Errors are plain {error, message}, as UPS's admin API.
import type { Router } from 'express';
import { z } from 'zod';
import { AdminError, carrierAdminRouter, parse } from '../admin';
import { YURTICI_OPERATIONS, type SandboxShipment, type YurticiState } from './state';

/** Any code 0–99 is accepted, including ones adapters do not know (to test 'unknown'); the status defaults to the carrier's for that code. */
const AdvanceSchema = z.object({
  operationCode: z.number().int().min(0).max(99).optional(),
  operationStatus: z.string().regex(/^[A-Z]{3}$/).optional(),
});

/** No personal data: keys, codes and times only. */
function summary(state: YurticiState, s: SandboxShipment) {
  const current = state.current(s);
  return {
    cargoKey: s.cargoKey,
    invoiceKey: s.invoiceKey,
    jobId: s.jobId,
    kind: s.kind,
    docId: s.docId ?? null,
    codAmount: s.codAmount ?? null,
    operationCode: current.operationCode,
    operationStatus: current.operationStatus,
    scans: s.scans.map((scan) => ({ operationCode: scan.operationCode, operationStatus: scan.operationStatus, at: scan.at.toISOString() })),
  };
}

export function yurticiAdminRouter(state: YurticiState): Router {
  return carrierAdminRouter(state, YURTICI_OPERATIONS, (router) => {
    router.get('/shipments', (_req, res) => {
      res.json({ live: state.liveCount(), shipments: state.list().map((s) => summary(state, s)) });
    });

    router.post('/shipments/:cargoKey/advance', (req, res) => {
      const shipment = state.get(String(req.params.cargoKey));
      if (!shipment) throw new AdminError(404, `no shipment with cargoKey ${req.params.cargoKey}`);
      const { operationCode, operationStatus } = parse(AdvanceSchema, req.body ?? {});
      const scan = state.advance(shipment, operationCode, operationStatus);
      if (!scan) throw new AdminError(409, 'the parcel has no next scan on the happy path; name an operationCode');
      res.status(201).json({ cargoKey: shipment.cargoKey, scan: { operationCode: scan.operationCode, operationStatus: scan.operationStatus, at: scan.at.toISOString() } });
    });
  });
}
