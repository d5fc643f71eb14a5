// Every marketplace the engine takes orders from. Adding one is its folder and one line in
// MARKETPLACES: its accounts' adapters, secrets and pull plans come from here.
import { z } from 'zod';
import type { MarketplaceAdapter } from './adapter';
import { amazonConnector } from './amazon';
import type { MarketplaceAccount, MarketplaceConnector, MarketplaceContext } from './connector';

export const MARKETPLACES: readonly MarketplaceConnector[] = [amazonConnector];

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

/** An account's adapter: its settings and credentials (the connector's development defaults where none are configured) checked first. */
export function marketplaceAdapter(
  account: MarketplaceAccount,
  credentials: MarketplaceCredentials,
  context: MarketplaceContext,
  connectors = MARKETPLACES,
): MarketplaceAdapter {
  const connector = marketplaceConnector(account.marketplace, connectors);
  const settings = parsed(connector.accountSettings, account.settings, `settings of ${account.accountId}`);
  const secrets = parsed(connector.credentials, credentials[account.accountId] ?? {}, `credentials of ${account.accountId}`);
  return connector.create({ ...account, settings }, secrets, context);
}

/** The values of every configured account's secret credentials (chaos runs look for them in logs). */
export function marketplaceSecrets(
  credentials: MarketplaceCredentials,
  marketplaceOf: (accountId: string) => string | undefined,
): string[] {
  return Object.entries(credentials).flatMap(([accountId, values]) => {
    const connector = MARKETPLACES.find((c) => c.name === marketplaceOf(accountId));
    return connector ? connector.secrets.map((name) => String(values[name])) : [];
  });
}
