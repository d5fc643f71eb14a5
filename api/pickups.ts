// Courier pickups (issue 21, item 4): book the carrier's driver for a warehouse's day by hand (the
// day's first label books it otherwise), list them, cancel and reschedule. The API asks the carrier
// itself (a pickup is one call a day, nothing a workflow waits on) and answers with its outcome:
// a refusal names the carrier's reason, a carrier out of reach is a 503 to retry. WMS and ops scopes.
import { Router, type Response } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import { CARRIER_PATTERN, WAREHOUSE_PATTERN } from '../domain/handovers';
import { LOCAL_TIME_PATTERN, PICKUP_ID_PATTERN, type Pickup, type PickupCarrier } from '../domain/pickups';
import {
  cancelPickup,
  getPickup,
  listPickups,
  PickupCarrierFailed,
  PickupRefused,
  requestPickup,
  reschedulePickup,
} from '../lib/pickups/store';
import { CARRIERS, carrierDisplayName } from '../carriers/registry';
import { HttpError } from './errors';
import { parse } from './validation';

const carrier = z.string().regex(CARRIER_PATTERN, 'must be a carrier code: 1-32 of a-z 0-9 _ -');
const warehouseId = z.string().regex(WAREHOUSE_PATTERN, 'must be a warehouse id such as IST-1: 1-32 of A-Z a-z 0-9 _ -');
const date = z.iso.date().regex(/^20\d{2}-/, 'must be a day of this century');
const time = z.string().regex(LOCAL_TIME_PATTERN, 'must be a local time HH:MM (24 hours)');

/** The day and window, as booking and rescheduling both take them. */
const window = {
  date: date.describe("the day the courier comes, YYYY-MM-DD in the warehouse's time zone; a day already past there is refused (409)"),
  readyTime: time.optional().describe("HH:MM local: from when the parcels are ready; default the warehouse's cut-off"),
  closeTime: time.optional().describe('HH:MM local: the latest the courier may come, after readyTime; default two hours after readyTime'),
  parcels: z.number().int().min(1).max(999).optional().describe('how many parcels the carrier should expect; default 1'),
};

export const PickupBody = z.strictObject({ carrier, warehouseId, ...window });
export const RescheduleBody = z.strictObject(window);
// Strict: a misspelt filter is refused instead of silently listing everything.
export const PickupQuery = z.strictObject({ carrier: carrier.optional(), warehouseId: warehouseId.optional(), date: date.optional() });
export const PickupParams = z.object({
  pickupId: z.string().regex(PICKUP_ID_PATTERN, 'must be a pickup id: <carrier>.<warehouseId>.<YYYY-MM-DD>'),
});

/** Statuses of refusals made before the carrier is asked; window_not_open names its field as validation does. */
const REFUSED_STATUS = {
  warehouse_not_found: 404,
  pickup_not_found: 404,
  pickups_not_offered: 422,
  date_past: 409,
  window_not_open: 400,
  pickup_booking: 409,
  pickup_exists: 409,
} as const;

/** What the API answers for a pickup: the pickup and the carrier's name. */
const view = (p: Pickup) => ({ ...p, carrierName: carrierDisplayName(p.carrier) });

/** How soon to ask again after the carrier was out of reach. */
const RETRY_AFTER_SECONDS = 60;

function refused(err: PickupRefused): HttpError {
  if (err.reason !== 'window_not_open') return new HttpError(REFUSED_STATUS[err.reason], err.reason, err.message);
  return new HttpError(400, 'validation_failed', `invalid body: closeTime: ${err.message}`, {
    issues: [{ path: 'closeTime', message: err.message }],
  });
}

/** The carrier refused (409, its reason in the message), or could not be reached (503 with Retry-After); the pickup as it now stands either way. */
function carrierFailed(err: PickupCarrierFailed, res: Response): HttpError {
  const details = { carrierFailure: err.failureType, ...(err.pickup && { pickup: view(err.pickup) }) };
  if (!err.retryable) return new HttpError(409, 'pickup_refused', `the carrier refused: ${err.message}`, details);
  res.set('Retry-After', String(RETRY_AFTER_SECONDS));
  return new HttpError(503, 'carrier_unavailable', `the carrier could not be reached: ${err.message}; retry later`, details);
}

export function pickupsRouter({ pool, carriers }: { pool: Pool; carriers: PickupCarrier[] }): Router {
  const router = Router();

  /** The carrier by its code: 404 when none is registered; its adapter, or one that offers none (the store refuses it, 422). */
  function carrierNamed(name: string): PickupCarrier {
    const connector = CARRIERS.find((c) => c.name === name);
    if (!connector) throw new HttpError(404, 'carrier_not_found', `no carrier ${name} is registered`);
    const adapter = carriers.find((c) => c.name === name);
    if (adapter) return adapter;
    if (connector.capabilities.pickups) throw new HttpError(503, 'carrier_not_configured', `this API has no ${name} client configured`);
    return { name, capabilities: { pickups: false } };
  }

  /** Runs a pickup call, its refusals and the carrier's failures turned into answers. */
  async function answering<T>(res: Response, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof PickupRefused) throw refused(err);
      if (err instanceof PickupCarrierFailed) throw carrierFailed(err, res);
      throw err;
    }
  }

  async function found(id: string): Promise<Pickup> {
    const pickup = await getPickup(pool, id);
    if (!pickup) throw new HttpError(404, 'pickup_not_found', `no pickup ${id}`);
    return pickup;
  }

  router.post('/', async (req, res) => {
    const { carrier: name, ...ask } = parse(PickupBody, req.body);
    const { pickup, created } = await answering(res, () => requestPickup(pool, carrierNamed(name), ask));
    if (created) req.log.info({ pickupId: pickup.pickupId, carrierPickupId: pickup.carrierPickupId }, 'courier pickup scheduled');
    res.status(created ? 201 : 200).json(view(pickup));
  });

  router.get('/', async (req, res) => {
    const filter = parse(PickupQuery, req.query, 'query');
    res.json({ pickups: (await listPickups(pool, filter)).map(view) });
  });

  router.get('/:pickupId', async (req, res) => {
    const { pickupId } = parse(PickupParams, req.params, 'path');
    res.json(view(await found(pickupId)));
  });

  router.delete('/:pickupId', async (req, res) => {
    const { pickupId } = parse(PickupParams, req.params, 'path');
    const { carrier: name } = await found(pickupId);
    const pickup = await answering(res, () => cancelPickup(pool, carrierNamed(name), pickupId));
    req.log.info({ pickupId }, 'courier pickup cancelled');
    res.json(view(pickup));
  });

  router.post('/:pickupId/reschedule', async (req, res) => {
    const { pickupId } = parse(PickupParams, req.params, 'path');
    const to = parse(RescheduleBody, req.body);
    const { carrier: name } = await found(pickupId);
    const pickup = await answering(res, () => reschedulePickup(pool, carrierNamed(name), pickupId, to));
    req.log.info({ from: pickupId, pickupId: pickup.pickupId, carrierPickupId: pickup.carrierPickupId }, 'courier pickup rescheduled');
    res.json(view(pickup));
  });

  return router;
}
