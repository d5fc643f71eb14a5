// Test controls for the UPS sandbox (never part of the carrier's API): move parcels along,
// count bookings, inject faults, expire tokens. Errors are plain {error, message}.
import express, { Router, type ErrorRequestHandler } from 'express';
import { z } from 'zod';
import { faultSchema } from '../faults';
import { UPS_OPERATIONS, type SandboxShipment, type UpsState } from './state';

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const FaultSchema = faultSchema(UPS_OPERATIONS);
/** Any carrier-style code is accepted, including ones adapters do not know (to test 'unknown'). */
const AdvanceSchema = z.object({ code: z.string().regex(/^[A-Z]{1,3}$/).optional() });

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AdminError(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return parsed.data;
}

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

const adminErrors: ErrorRequestHandler = (err, _req, res, _next) => {
  const status = err instanceof AdminError ? err.status : (err as { type?: string }).type === 'entity.parse.failed' ? 400 : 500;
  res.status(status).json({ error: status === 500 ? 'internal_error' : 'bad_request', message: (err as Error).message });
};

export function upsAdminRouter(state: UpsState): Router {
  const router = Router();
  router.use(express.json());

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

  router.post('/tokens/revoke', (_req, res) => {
    state.revokeTokens();
    res.status(204).end();
  });
  router.post('/reset', (_req, res) => {
    state.reset();
    res.status(204).end();
  });

  router.use(adminErrors);
  return router;
}
