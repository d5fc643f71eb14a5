// Every marketplace the engine takes orders from. Adding one is its folder and one line in
// MARKETPLACES: its accounts' adapters and pull plans come from here.
import { z } from 'zod';
import type { MarketplaceAdapter } from './adapter';
import { amazonConnector } from './amazon';
import { hepsiburadaConnector } from './hepsiburada';
import type { MarketplaceAccount, MarketplaceConnector, MarketplaceContext } from './connector';
import { trendyolConnector } from './trendyol';

export const MARKETPLACES: readonly MarketplaceConnector[] = [amazonConnector, hepsiburadaConnector, trendyolConnector];

/** MARKETPLACE_CREDENTIALS: a JSON object of each account's credentials under its account id. */
export const MarketplaceCredentialsSchema = z.record(z.string(), z.record(z.string(), z.unknown()));
export type MarketplaceCredentials = z.infer<typeof MarketplaceCredentialsSchema>;

/** MARKETPLACE_CREDENTIALS from the environment, checked at start-up so a typo fails there. */
export function marketplaceCredentials(env: Record<string, string | undefined>): MarketplaceCredentials {
  const text = env.MARKETPLACE_CREDENTIALS?.trim();
  if (!text) return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('invalid configuration: MARKETPLACE_CREDENTIALS is not JSON');
  }
  const parsed = MarketplaceCredentialsSchema.safeParse(json);
  if (!parsed.success) throw new Error('invalid configuration: MARKETPLACE_CREDENTIALS must be an object of objects keyed by account id');
  return parsed.data;
}

export function marketplaceConnector(name: string, connectors = MARKETPLACES): MarketplaceConnector {
  const connector = connectors.find((c) => c.name === name);
  if (!connector) throw new Error(`no marketplace connector ${name}`);
  return connector;
}

/** What was wrong, by path only (values may be secrets). */
function parsed<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new Error(`invalid ${what}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
}

/**
 * An account's adapter: its settings and credentials checked first. Without credentials configured
 * the connector's development defaults (the sandbox double's) apply, unless `requireCredentials`
 * (production): those defaults are public, and would point a live account at the sandbox.
 */
export function marketplaceAdapter(
  account: MarketplaceAccount,
  credentials: MarketplaceCredentials,
  context: MarketplaceContext & { requireCredentials?: boolean },
  connectors = MARKETPLACES,
): MarketplaceAdapter {
  const connector = marketplaceConnector(account.marketplace, connectors);
  const settings = parsed(connector.accountSettings, account.settings, `settings of ${account.accountId}`);
  const configured = credentials[account.accountId];
  if (!configured && context.requireCredentials) throw new Error(`no credentials for ${account.accountId} in MARKETPLACE_CREDENTIALS`);
  const values = parsed(connector.credentials, configured ?? {}, `credentials of ${account.accountId}`);
  return connector.create({ ...account, settings }, values, context);
}
