// What a carrier connector tells the rest of the engine about itself. Each carrier folder's
// index.ts exports one; registry.ts lists them, and configuration, the workers, rate limits, the
// API's webhooks and customer-facing names all loop over that one list.
import type { z } from 'zod';
import type { CarrierAdapter, CarrierCapabilities, CarrierWebhook } from './adapter';
import type { StatusLog } from './status-mapper';

/** What every connector is built with, beside its own settings. */
export interface ConnectorContext {
  /** Per HTTP call (CARRIER_TIMEOUT_MS). */
  timeoutMs: number;
  /** Where unmapped tracking codes are reported; the process logger by default. */
  log?: StatusLog;
}

export interface CarrierConnector<Settings extends z.ZodObject = z.ZodObject> {
  /** The code used everywhere (task queues, records, search attributes): lower-case, stable. */
  readonly name: string;
  /** The name customers and merchants know the carrier by. */
  readonly displayName: string;
  readonly capabilities: CarrierCapabilities;
  /** Calls per second the carrier's API allows by default; CARRIER_RATE_LIMITS overrides it. */
  readonly rateLimit: number;
  /** Its settings in the environment; the defaults are the carrier sandbox's development values. */
  readonly settings: Settings;
  /** Which settings are secrets: chaos runs check that none reaches a log. */
  readonly secrets: ReadonlyArray<keyof z.infer<Settings> & string>;
  create(settings: z.infer<Settings>, context: ConnectorContext): CarrierAdapter;
  /** For a carrier that pushes tracking: the receiver of its webhook deliveries. */
  webhook?(settings: z.infer<Settings>): CarrierWebhook;
}

/** Types a connector's settings through to its factory. */
export const defineCarrier = <Settings extends z.ZodObject>(connector: CarrierConnector<Settings>): CarrierConnector<Settings> => connector;
