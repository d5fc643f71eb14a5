// What every double's admin API shares: errors as plain {error, message}, body parsing, the fault
// and reset routes, and for a carrier its shipment routes (list, get, advance), so the four admin
// APIs have one shape. Each double adds only what is its own (UPS's webhook, the SMS it recorded).
import express, { Router, type ErrorRequestHandler } from 'express';
import type { z } from 'zod';
import { FaultPlan, faultSchema } from './faults';

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

/** An admin router for one double: `addRoutes` adds its own, then faults, reset and errors follow. */
export function adminRouter(state: AdminState, operations: readonly [string, ...string[]], addRoutes: (router: Router) => void): Router {
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

/** The memory of a double that records what it is sent (an SMS gateway, a webhook inbox): the records in order, and its faults. */
export class RecordsState<Item> implements AdminState {
  readonly faults = new FaultPlan();
  records: Item[] = [];

  reset(): void {
    this.records = [];
    this.faults.clear();
  }
}

/** The admin API of a double that records what it is sent: `GET /<name>` lists the records. */
export function recordsAdminRouter(state: RecordsState<unknown>, operation: string, name: string): Router {
  return adminRouter(state, [operation], (router) => {
    router.get(`/${name}`, (_req, res) => {
      res.json({ [name]: state.records });
    });
  });
}

/** What the admin API needs of a carrier's memory (sandbox/state.ts's CarrierState has it). */
export interface ShipmentsState<Shipment> extends AdminState {
  list(): Shipment[];
  liveCount(): number;
}

/** A carrier's shipment routes: how its shipments are found, shown and moved along their scans. */
export interface ShipmentAdmin<Shipment, Advance> {
  /** The carrier's call names, which a fault's `on` may list. */
  operations: readonly [string, ...string[]];
  /** The shipment a path's `:trackingNumber` names; `key` says what that is in a 404 ("tracking number", "cargoKey"). */
  find(key: string): Shipment | undefined;
  key: string;
  /** One shipment as the admin API shows it: keys, codes and times, no personal data. */
  summary(shipment: Shipment): object;
  /** POST /shipments/:trackingNumber/advance: the body (`{}`: the next scan on the happy path, or a named one). */
  advanceSchema: z.ZodType<Advance>;
  /** Why a shipment takes no scan at all (a 409, before the body is read), when it does not. */
  closed?(shipment: Shipment): string | undefined;
  /** Adds the scan and answers with it; undefined when the happy path has ended and the body named none. */
  advance(shipment: Shipment, body: Advance): object | undefined;
  /** The 409's message at the end of the happy path (what to name instead). */
  pathEnded: string;
  /** The carrier's bearer tokens, when it issues some: `POST /tokens/revoke` expires them all (a credential rotation). */
  tokens?: { revoke(): void };
  /** Routes of the carrier's own (UPS's webhook deliveries and pickups). */
  addRoutes?(router: Router): void;
}

/**
 * A carrier's admin API: `GET /shipments` (`{live, shipments}`), `GET /shipments/:trackingNumber`,
 * `POST /shipments/:trackingNumber/advance`, then faults and reset as every double has them.
 */
export function shipmentAdminRouter<Shipment, Advance>(state: ShipmentsState<Shipment>, admin: ShipmentAdmin<Shipment, Advance>): Router {
  const found = (key: string): Shipment => {
    const shipment = admin.find(key);
    if (!shipment) throw new AdminError(404, `no shipment with ${admin.key} ${key}`);
    return shipment;
  };
  return adminRouter(state, admin.operations, (router) => {
    router.get('/shipments', (_req, res) => {
      res.json({ live: state.liveCount(), shipments: state.list().map((s) => admin.summary(s)) });
    });
    router.get('/shipments/:trackingNumber', (req, res) => {
      res.json(admin.summary(found(String(req.params.trackingNumber))));
    });
    router.post('/shipments/:trackingNumber/advance', (req, res) => {
      const shipment = found(String(req.params.trackingNumber));
      const closed = admin.closed?.(shipment);
      if (closed) throw new AdminError(409, closed);
      const reply = admin.advance(shipment, parse(admin.advanceSchema, req.body ?? {}));
      if (!reply) throw new AdminError(409, admin.pathEnded);
      res.status(201).json(reply);
    });
    const { tokens } = admin;
    if (tokens) {
      router.post('/tokens/revoke', (_req, res) => {
        tokens.revoke();
        res.status(204).end();
      });
    }
    admin.addRoutes?.(router);
  });
}
