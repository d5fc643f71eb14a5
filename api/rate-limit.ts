// Rate limits (express-rate-limit): per API key on the authenticated /v1 routes, so one busy
// client cannot starve the others however many addresses it calls from; per client address on
// the public routes (the tracking page); per verified sender on the webhooks; and per address on
// failed authentication everywhere. Behind a load balancer the address is the client's only when
// TRUST_PROXY names the proxy hops (api/app.ts). Over the limit: 429 in our error
// shape, with Retry-After and the IETF RateLimit/RateLimit-Policy headers.
// The counters live in this process: with several API replicas each allows the full limit.
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, MemoryStore, rateLimit, type Options } from 'express-rate-limit';
import { HttpError } from './errors';

export interface RateLimits {
  /** Requests a minute each API key may make (API_RATE_LIMIT_PER_MINUTE). */
  perKeyPerMinute: number;
  /** Requests a minute each client address may make to a public route; generous, as a storefront sends from few addresses. */
  perIpPerMinute: number;
  /** 401s a minute one client address may earn; past it, every request from that address is 429 until the minute ends. */
  unauthorizedPerIpPerMinute: number;
  /** Accepted webhook deliveries a minute per sender (a storefront's shop, a carrier); refused ones do not count. */
  perSenderPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  perKeyPerMinute: 600,
  perIpPerMinute: 1200,
  unauthorizedPerIpPerMinute: 60,
  perSenderPerMinute: 1200,
};

const WINDOW_MS = 60_000;

function limiter(limit: number, options: Partial<Options>): RequestHandler {
  return rateLimit({
    windowMs: WINDOW_MS,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // express-rate-limit has set Retry-After by the time the handler runs.
    handler: (_req, res, next) => {
      const retryAfter = String(res.getHeader('Retry-After'));
      next(new HttpError(429, 'rate_limited', `more than ${limit} requests a minute; retry after ${retryAfter} s`));
    },
    ...options,
  });
}

/**
 * Per API key, by the key's name; runs after requireScope has named the key. A request that
 * passes several scope checks on its way (a route-specific one, then its router's) counts once.
 */
export function perKeyRateLimit(limit: number): RequestHandler {
  const limitByKey = limiter(limit, { keyGenerator: (_req, res) => `key:${res.locals.apiKey}`, identifier: 'per-api-key' });
  return (req, res, next) => {
    if (res.locals.rateLimitCounted) return next();
    res.locals.rateLimitCounted = true;
    return limitByKey(req, res, next);
  };
}

/** Per client address (req.ip), for routes without an API key. */
export function perIpRateLimit(limit: number): RequestHandler {
  return limiter(limit, { identifier: 'per-address' });
}

/**
 * Counts the 401s each client address earns; past `limit` of them in the window, a request from
 * that address is refused before anything else runs (its body unread) unless `authenticated` says
 * it carries a valid API key. Key guessing and signature forging cost the attacker, not us; a
 * client with a valid key sharing the address (one load balancer, no TRUST_PROXY) goes on.
 */
export function unauthorizedPerIpLimit(limit: number, authenticated: (req: Request) => boolean): RequestHandler {
  const store = new MemoryStore();
  store.init({ windowMs: WINDOW_MS } as Options);
  return async (req, res, next) => {
    const key = `unauthorized:${ipKeyGenerator(req.ip ?? '')}`; // an IPv6 client's /56, as the other limits count it
    const seen = await store.get(key);
    if (seen && seen.totalHits >= limit && !authenticated(req)) {
      const retryAfter = Math.max(1, Math.ceil(((seen.resetTime?.getTime() ?? Date.now() + WINDOW_MS) - Date.now()) / 1000));
      res.set('Retry-After', String(retryAfter));
      return next(
        new HttpError(
          429,
          'rate_limited',
          `more than ${limit} unauthorized requests a minute from this address; retry after ${retryAfter} s`,
        ),
      );
    }
    res.once('finish', () => {
      if (res.statusCode === 401) void store.increment(key);
    });
    next();
  };
}

/**
 * Per webhook sender: `senderOf` names who the request claims to be (from its path and headers),
 * and only deliveries that pass verification count (a refused one is a 4xx, skipped), so forged
 * requests never use up a real storefront's or carrier's budget, whatever address they share.
 */
export function perSenderRateLimit(limit: number, senderOf: (req: Request) => string): RequestHandler {
  return limiter(limit, { keyGenerator: (req) => `sender:${senderOf(req)}`, skipFailedRequests: true, identifier: 'per-sender' });
}
