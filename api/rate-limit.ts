// Rate limits (express-rate-limit): per API key on the authenticated /v1 routes, so one busy
// client cannot starve the others however many addresses it calls from; per client address on
// the public routes (storefront webhooks, the tracking page). Over the limit: 429 in our error
// shape, with Retry-After and the IETF RateLimit/RateLimit-Policy headers.
// The counters live in this process: with several API replicas each allows the full limit.
import type { RequestHandler } from 'express';
import { rateLimit, type Options } from 'express-rate-limit';
import { HttpError } from './errors';

export interface RateLimits {
  /** Requests a minute each API key may make (API_RATE_LIMIT_PER_MINUTE). */
  perKeyPerMinute: number;
  /** Requests a minute each client address may make to a public route; generous, as a storefront sends from few addresses. */
  perIpPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perKeyPerMinute: 600, perIpPerMinute: 1200 };

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
