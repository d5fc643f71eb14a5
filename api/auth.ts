// API keys with scopes. Keys come from configuration as SHA-256 hashes (never in clear), are
// sent as `Authorization: Bearer <key>`, and are compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { HttpError } from './errors';

export const SCOPES = ['orders', 'ops', 'wms'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiKey {
  name: string;
  hash: Buffer;
  scopes: Scope[];
}

export const hashKey = (key: string): Buffer => createHash('sha256').update(key).digest();

/** `name:scope+scope:<sha256 hex>` entries, comma-separated (API_KEYS). */
export function parseApiKeys(spec: string): ApiKey[] {
  return spec
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [name, scopes, hex] = entry.split(':');
      const parsed = (scopes ?? '').split('+') as Scope[];
      if (!name || !/^[0-9a-f]{64}$/.test(hex ?? '') || !parsed.every((s) => SCOPES.includes(s))) {
        throw new Error(`API_KEYS entry "${name ?? entry}" must be name:scope+scope:<sha256 hex>, scopes from ${SCOPES.join(', ')}`);
      }
      return { name, scopes: parsed, hash: Buffer.from(hex, 'hex') };
    });
}

function find(keys: ApiKey[], presented: string): ApiKey | undefined {
  const hash = hashKey(presented);
  // Every key is compared, so the time taken says nothing about which one nearly matched.
  let match: ApiKey | undefined;
  for (const key of keys) if (timingSafeEqual(key.hash, hash)) match = key;
  return match;
}

/** The configured key a request presents as `Authorization: Bearer <key>`, if any. */
export function presentedKey(keys: ApiKey[], req: Request): ApiKey | undefined {
  const [scheme, token] = (req.headers.authorization ?? '').split(' ');
  return scheme === 'Bearer' && token ? find(keys, token) : undefined;
}

/** 401 without a valid key; 403 when the key lacks every one of `scopes`. */
export function requireScope(keys: ApiKey[], ...scopes: Scope[]): RequestHandler {
  return (req, res, next) => {
    const key = presentedKey(keys, req);
    if (!key) return next(new HttpError(401, 'unauthorized', 'send a valid API key as Authorization: Bearer <key>'));
    if (!scopes.some((s) => key.scopes.includes(s))) {
      return next(new HttpError(403, 'forbidden', `this key lacks the ${scopes.join(' or ')} scope`));
    }
    res.locals.apiKey = key.name;
    next();
  };
}
