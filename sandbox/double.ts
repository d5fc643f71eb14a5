// One shape for every carrier double, so app.ts (and later a registry) mounts them all alike:
// sandbox/<carrier>/index.ts exports a CarrierDouble, and the list of them is sandbox/carriers.ts.
import type { Express, Router } from 'express';
import pino, { type Logger } from 'pino';

/** What every double is given; a double's own options type adds its settings (credentials, token TTL, …). */
export interface DoubleOptions {
  logger: Logger;
}

/** A double whose state is built from credentials: the sandbox's development ones, or (some of) a test's own. */
export interface CredentialOptions<Credentials> extends DoubleOptions {
  credentials?: Partial<Credentials>;
}

export interface CarrierDouble<Name extends string = string, State = unknown, Options extends DoubleOptions = DoubleOptions> {
  /** The prefix: the carrier's API is served at /<name>, its admin API at /_admin/<name>. */
  readonly name: Name;
  /** Mounts both on the app; returns the double's state, which tests and scripts read and drive. */
  mount(app: Express, options: Options): State;
}

/** What a carrier double is made of: its state (from its options), its API's router and its admin API's. */
export interface DoubleParts<State, Options extends DoubleOptions> {
  state(options: Options): State;
  api(state: State, logger: Logger): Router;
  admin(state: State): Router;
}

/** A double from its parts, mounted where every double is: its API at /<name>, its admin API at /_admin/<name>. */
export function carrierDouble<Name extends string, State, Options extends DoubleOptions>(
  name: Name,
  parts: DoubleParts<State, Options>,
): CarrierDouble<Name, State, Options> {
  return {
    name,
    mount(app, options) {
      const state = parts.state(options);
      app.use(`/${name}`, parts.api(state, options.logger));
      app.use(`/_admin/${name}`, parts.admin(state));
      return state;
    },
  };
}

/**
 * Mounts one double on an app of its own, as a carrier's contract test does: the logger is silent
 * unless given, and the double's other options are optional as they are in its own options type.
 */
export function mountAlone<State, Options extends DoubleOptions>(
  double: CarrierDouble<string, State, Options>,
  app: Express,
  options: Omit<Options, 'logger'> & { logger?: Logger },
): State {
  return double.mount(app, { ...options, logger: options.logger ?? pino({ level: 'silent' }) } as Options);
}
