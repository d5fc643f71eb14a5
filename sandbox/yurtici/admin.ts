// Test controls for the Yurtiçi sandbox (never part of the carrier's API): move parcels along,
// count bookings, inject faults. Errors are plain {error, message}, as UPS's admin API.
import express, { Router, type ErrorRequestHandler } from 'express';
import { z } from 'zod';
import { faultSchema } from '../faults';
import { YURTICI_OPERATIONS, type SandboxShipment, type YurticiState } from './state';

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const FaultSchema = faultSchema(YURTICI_OPERATIONS);
/** Any code 0–99 is accepted, including ones adapters do not know (to test 'unknown'); the status defaults to the carrier's for that code. */
const AdvanceSchema = z.object({
  operationCode: z.number().int().min(0).max(99).optional(),
  operationStatus: z.string().regex(/^[A-Z]{3}$/).optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AdminError(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return parsed.data;
}

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

const adminErrors: ErrorRequestHandler = (err, _req, res, _next) => {
  const status = err instanceof AdminError ? err.status : (err as { type?: string }).type === 'entity.parse.failed' ? 400 : 500;
  res.status(status).json({ error: status === 500 ? 'internal_error' : 'bad_request', message: (err as Error).message });
};

export function yurticiAdminRouter(state: YurticiState): Router {
  const router = Router();
  router.use(express.json());

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

  router.get('/faults', (_req, res) => {
    res.json({ faults: state.faults.list() });
  });
  router.post('/faults', (req, res) => {
    state.faults.add(parse(FaultSchema, req.body));
    res.status(201).json({ faults: state.faults.list() });
  });
  router.delete('/faults', (_req, res) => {
    state.faults.clear();
    res.status(204).end();
  });

  router.post('/reset', (_req, res) => {
    state.reset();
    res.status(204).end();
  });

  router.use(adminErrors);
  return router;
}
