// What every carrier's admin API shares: errors as plain {error, message}, body parsing, and
// the fault and reset routes. Each carrier adds its own shipment routes.
import express, { Router, type ErrorRequestHandler } from 'express';
import type { z } from 'zod';
import { faultSchema, type FaultPlan } from './faults';

export class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AdminError(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return parsed.data;
}

const adminErrors: ErrorRequestHandler = (err, _req, res, _next) => {
  const status = err instanceof AdminError ? err.status : (err as { type?: string }).type === 'entity.parse.failed' ? 400 : 500;
  res.status(status).json({ error: status === 500 ? 'internal_error' : 'bad_request', message: (err as Error).message });
};

export interface AdminState {
  faults: FaultPlan;
  reset(): void;
}

/** An admin router for one carrier: `addRoutes` adds its own, then faults, reset and errors follow. */
export function carrierAdminRouter(state: AdminState, operations: readonly [string, ...string[]], addRoutes: (router: Router) => void): Router {
  const FaultSchema = faultSchema(operations);
  const router = Router();
  router.use(express.json());
  addRoutes(router);

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
