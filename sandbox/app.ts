// The carrier sandbox: real HTTP carriers for tests and the dev stack, each under its own
// prefix (/ups/..., /yurtici/...), with test controls under /_admin/<carrier>/... State lives in memory.
import express, { type Express, type RequestHandler } from 'express';
import pino, { type Logger } from 'pino';
import { upsAdminRouter } from './ups/admin';
import { upsRouter } from './ups/api';
import { UpsState, type UpsCredentials } from './ups/state';
import type { WebhookSubscription } from './ups/webhooks';
import { mountYurtici, YurticiState } from './yurtici';
import { ArasState, mountAras } from './aras';
import { MngState, mountMng } from './mng';
import { InboxState, mountInbox } from './inbox';
import { MailCatcher, mountMailViewer } from './mail';
import { mountSms, SmsState } from './sms';

/** Development-only credentials; main.ts takes others from the environment. */
export const SANDBOX_UPS_CREDENTIALS: UpsCredentials = { clientId: 'sandbox-ups-client', clientSecret: 'sandbox-ups-secret' };

export interface SandboxOptions {
  logger?: Logger;
  ups?: Partial<UpsCredentials> & { tokenTtlSeconds?: number; webhook?: WebhookSubscription };
}

export interface SandboxState {
  ups: UpsState;
  yurtici: YurticiState;
  aras: ArasState;
  mng: MngState;
  /** Not carriers, but what the engine talks to besides them: an SMS gateway, a mail catcher, a webhook subscriber. */
  sms: SmsState;
  mail: MailCatcher;
  inbox: InboxState;
}

/** Method, path, status and duration only: bodies carry names and addresses. */
function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const path = req.path; // read now: routers strip their mount prefix on the way in
    res.on('close', () => {
      const ms = Math.round(performance.now() - started);
      const outcome = res.writableFinished ? { status: res.statusCode } : { status: null, aborted: true };
      logger.info({ method: req.method, path, ...outcome, ms }, 'request');
    });
    next();
  };
}

export function createSandboxApp(options: SandboxOptions = {}): { app: Express; state: SandboxState } {
  const logger = options.logger ?? pino({ level: 'silent' });
  const { webhook, tokenTtlSeconds = 3600, ...upsCredentials } = options.ups ?? {};
  const ups = new UpsState({ ...SANDBOX_UPS_CREDENTIALS, ...upsCredentials }, tokenTtlSeconds, logger);
  ups.webhooks.subscription = webhook;

  const app = express();
  app.disable('x-powered-by');
  app.use(requestLog(logger));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use('/ups', upsRouter(ups, logger));
  app.use('/_admin/ups', upsAdminRouter(ups));
  // One line per carrier: each mounts its API at /<carrier> and its admin API at /_admin/<carrier>.
  const yurtici = mountYurtici(app, { logger });
  const aras = mountAras(app, { logger });
  const mng = mountMng(app, { logger });
  const sms = mountSms(app);
  const mail = new MailCatcher(); // its SMTP port is opened by main.ts or a test
  mountMailViewer(app, mail);
  const inbox = mountInbox(app);
  app.use((req, res) => {
    res.status(404).json({ error: 'not_found', message: `no route for ${req.method} ${req.path}` });
  });
  return { app, state: { ups, yurtici, aras, mng, sms, mail, inbox } };
}
