// Every carrier the engine can book with. Adding one is its folder and one line in CARRIERS:
// its settings are read, its worker and rate limit set up, its webhook served and its name shown
// from here (test/carriers/registry.test.ts registers a made-up carrier to prove it).
import type { CarrierAdapter, CarrierWebhook } from './adapter';
import { arasConnector } from './aras';
import type { CarrierConnector, ConnectorContext } from './connector';
import { mngConnector } from './mng';
import { suratConnector } from './surat';
import { pttConnector } from './ptt';
import { upsConnector } from './ups';
import { yurticiConnector } from './yurtici';

export const CARRIERS: readonly CarrierConnector[] = [
  upsConnector,
  yurticiConnector,
  arasConnector,
  mngConnector,
  suratConnector,
  pttConnector,
];

type Environment = Record<string, string | undefined>;

/** A connector's settings from the environment, checked at start-up so a typo fails there, not on the first parcel. */
function settingsOf(connector: CarrierConnector, env: Environment) {
  const parsed = connector.settings.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new Error(`invalid configuration for ${connector.name}: ${problems}`);
}

/** The adapters the worker books with. */
export function carrierAdapters(env: Environment, context: ConnectorContext, connectors = CARRIERS): CarrierAdapter[] {
  return connectors.map((c) => c.create(settingsOf(c, env), context));
}

/** The receivers of the carriers that push tracking, for the API. */
export function carrierWebhooks(env: Environment, connectors = CARRIERS): CarrierWebhook[] {
  return connectors.flatMap((c) => (c.webhook ? [c.webhook(settingsOf(c, env))] : []));
}

/** Calls per second per carrier: each connector's default, then CARRIER_RATE_LIMITS. */
export function carrierRateLimits(overrides: Record<string, number>, connectors = CARRIERS): Record<string, number> {
  return { ...Object.fromEntries(connectors.map((c) => [c.name, c.rateLimit])), ...overrides };
}

/** The name customers know a carrier by; the code itself for one no longer registered. */
export function carrierDisplayName(name: string, connectors = CARRIERS): string {
  return connectors.find((c) => c.name === name)?.displayName ?? name;
}

/** The values of every carrier's secret settings in this environment (chaos runs look for them in logs). */
export function carrierSecrets(env: Environment, connectors = CARRIERS): string[] {
  return connectors.flatMap((c) => {
    const settings = settingsOf(c, env);
    return c.secrets.map((name) => String(settings[name]));
  });
}
