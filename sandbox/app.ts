// The carrier sandbox: real HTTP carriers and marketplaces for tests and the dev stack, each under
// its own prefix (/ups/..., /yurtici/..., /amazon/...), with test controls under /_admin/<name>/...
// State lives in memory.
import express, { type Express, type RequestHandler } from 'express';
import pino, { type Logger } from 'pino';
import { CARRIER_DOUBLES, type CarrierOptions, type CarrierStates } from './carriers';
import type { CarrierDouble } from './double';
import { InboxState, mountInbox } from './inbox';
import { MailCatcher, mountMailViewer } from './mail';
import { MARKETPLACE_DOUBLES, type MarketplaceOptions, type MarketplaceStates } from './marketplaces';
import { mountSms, SmsState } from './sms';

export { SANDBOX_UPS_CREDENTIALS } from './ups'; // where tests and scripts have always imported it from

/** Each carrier's options under its name, e.g. `ups: {clientId, clientSecret, tokenTtlSeconds, webhook}`. */
export interface SandboxOptions extends CarrierOptions, MarketplaceOptions {
  logger?: Logger;
}

/** Each carrier's state under its name (`ups: UpsState`, …; sandbox/carriers.ts), then the other doubles'. */
export interface SandboxState extends CarrierStates, MarketplaceStates {
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
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLog(logger));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Each carrier double mounts its API at /<carrier> and its admin API at /_admin/<carrier>.
  const carriers: Record<string, unknown> = {};
  for (const double of CARRIER_DOUBLES) {
    // The list's doubles take different options; each gets its own (by its name) and the logger.
    carriers[double.name] = (double as CarrierDouble).mount(app, { ...options[double.name], logger });
  }
  // The marketplaces' doubles the same way (sandbox/marketplaces/).
  const marketplaces: Record<string, unknown> = {};
  for (const double of MARKETPLACE_DOUBLES) {
    marketplaces[double.name] = double.mount(app, { ...options[double.name], logger });
  }
  const sms = mountSms(app);
  const mail = new MailCatcher(); // its SMTP port is opened by main.ts or a test
  mountMailViewer(app, mail);
  const inbox = mountInbox(app);
  app.use((req, res) => {
    res.status(404).json({ error: 'not_found', message: `no route for ${req.method} ${req.path}` });
  });
  // Keyed by each double's name, so the records are CarrierStates and MarketplaceStates (which TypeScript cannot follow through the loops).
  return { app, state: { ...(carriers as CarrierStates), ...(marketplaces as MarketplaceStates), sms, mail, inbox } };
}
