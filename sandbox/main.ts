// Runs the carrier sandbox: `npx tsx sandbox/main.ts` (SANDBOX_PORT, default 4010).
// Tests call startSandbox({ port: 0 }) instead, for a free port in-process.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import pino from 'pino';
import { z } from 'zod';
import { createSandboxApp, type SandboxOptions, type SandboxState } from './app';
import { CARRIER_DOUBLES } from './carriers';
import { MARKETPLACE_DOUBLES } from './marketplaces';
import { NO_LATENCY, SLOW_API } from './ptt';

export interface RunningSandbox {
  url: string;
  app: Express;
  state: SandboxState;
  close(): Promise<void>;
}

export function startSandbox({
  port,
  host = '127.0.0.1',
  ...options
}: SandboxOptions & { port: number; host?: string }): Promise<RunningSandbox> {
  const { app, state } = createSandboxApp(options);
  return new Promise((resolve, reject) => {
    const server: Server = app.listen(port, host, (err?: Error) => {
      if (err) return reject(err);
      const { port: bound } = server.address() as AddressInfo;
      return resolve({ url: `http://${host}:${bound}`, app, state, close: () => closeServer(server) });
    });
  });
}

/** Hung calls (the hang fault) hold sockets open: drop them, or close would wait forever. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

const EnvSchema = z.object({
  SANDBOX_PORT: z.coerce.number().int().min(1).max(65535).default(4010),
  SANDBOX_HOST: z.string().min(1).default('127.0.0.1'),
  // The mail catcher's SMTP port (the engine's SMTP_URL default points here).
  SANDBOX_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(1025),
  SANDBOX_UPS_CLIENT_ID: z.string().min(1).optional(),
  SANDBOX_UPS_CLIENT_SECRET: z.string().min(1).optional(),
  // Where the UPS sandbox pushes Track Alert events (the API's carrier webhook), and the OAuth client
  // registered for it (UPS gets tokens from <url>/token with it).
  SANDBOX_UPS_WEBHOOK_URL: z.url().optional(),
  UPS_WEBHOOK_CLIENT_ID: z.string().min(1).default('sandbox-ups-track-alert'),
  UPS_WEBHOOK_SECRET: z.string().min(16).default('sandbox-ups-webhook-secret-dev-only'),
  // PTT's double answers as slowly as PTT does (sandbox/ptt/README.md) unless `none`.
  SANDBOX_PTT_LATENCY: z.enum(['slow', 'none']).default('slow'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

async function main(): Promise<void> {
  const env = EnvSchema.parse(process.env);
  const logger = pino({ level: env.LOG_LEVEL, base: { service: 'carrier-sandbox' } });
  const ups = { clientId: env.SANDBOX_UPS_CLIENT_ID, clientSecret: env.SANDBOX_UPS_CLIENT_SECRET };
  const sandbox = await startSandbox({
    port: env.SANDBOX_PORT,
    host: env.SANDBOX_HOST,
    logger,
    ups: {
      ...Object.fromEntries(Object.entries(ups).filter(([, v]) => v !== undefined)),
      webhook: env.SANDBOX_UPS_WEBHOOK_URL
        ? {
            url: env.SANDBOX_UPS_WEBHOOK_URL,
            tokenUrl: `${env.SANDBOX_UPS_WEBHOOK_URL}/token`,
            clientId: env.UPS_WEBHOOK_CLIENT_ID,
            clientSecret: env.UPS_WEBHOOK_SECRET,
          }
        : undefined,
    },
    ptt: { latency: env.SANDBOX_PTT_LATENCY === 'none' ? NO_LATENCY : SLOW_API },
  });
  const smtpPort = await sandbox.state.mail.listen(env.SANDBOX_SMTP_PORT, env.SANDBOX_HOST);
  const carriers = CARRIER_DOUBLES.map((d) => d.name);
  const marketplaces = MARKETPLACE_DOUBLES.map((d) => d.name);
  logger.info(
    { url: sandbox.url, carriers, marketplaces, smtpPort, mailViewer: `${sandbox.url}/_admin/mail` },
    'carrier sandbox listening',
  );
  const stop = () => {
    logger.info('carrier sandbox stopping');
    void Promise.all([sandbox.close(), sandbox.state.mail.close()]).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
