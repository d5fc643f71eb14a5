// The Express app: JSON in, JSON out, every route under /v1 except health checks.
import express, { type Express } from 'express';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Logger } from '../lib/logger';
import { HttpError, errorHandler, notFound } from './errors';
import { inventoryRouter } from './inventory';
import { orderActionsRouter } from './order-actions';
import { ordersRouter } from './orders';
import { shipmentsRouter } from './shipments';

export interface AppDeps {
  client: Client;
  pool: Pool;
  logger: Logger;
}

export function createApp({ client, pool, logger }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use((req, _res, next) => {
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && req.headers['content-length'] !== '0';
    if (hasBody && !req.is('application/json')) {
      next(new HttpError(415, 'unsupported_media_type', 'send the body as application/json'));
      return;
    }
    next();
  });
  app.use(express.json({ limit: '1mb' }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use('/v1/orders', ordersRouter({ client, pool }));
  app.use('/v1/orders', orderActionsRouter({ client, pool }));
  app.use('/v1/shipments', shipmentsRouter({ client }));
  app.use('/v1/inventory', inventoryRouter({ client, pool, logger }));

  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}
