// POST /v1/webhooks/carriers/:carrier: carriers pushing tracking scans. Verified per carrier,
// deduplicated by event id, handed to the shipment workflow as a signal.
import { Router } from 'express';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Logger } from '../lib/logger';
import { HttpError } from './errors';

export interface CarrierWebhooksDeps {
  client: Client;
  pool: Pool;
  logger: Logger;
}

export function carrierWebhooksRouter(_deps: CarrierWebhooksDeps): Router {
  const router = Router();
  router.post('/:carrier', (req, _res, next) => {
    next(new HttpError(404, 'unknown_carrier', `no webhook for carrier ${req.params.carrier}`));
  });
  return router;
}
