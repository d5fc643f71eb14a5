// What every inbound webhook (carriers, storefronts) needs: the exact bytes that were signed,
// and a comparison of signatures that takes the same time whether or not they match.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

declare module 'http' {
  interface IncomingMessage {
    /** The body as received, kept by express.json's `verify` hook: signatures are over these bytes. */
    rawBody?: Buffer;
  }
}

/** For express.json({ verify }): keeps the raw bytes next to the parsed body. */
export function keepRawBody(req: { rawBody?: Buffer }, _res: unknown, buf: Buffer): void {
  req.rawBody = buf;
}

export function rawBodyOf(req: Request): Buffer {
  return req.rawBody ?? Buffer.alloc(0);
}

export function hmacSha256(secret: string, data: Buffer | string): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

/** Whether `given` (hex or base64 text) is the HMAC we expect; constant time in the length of the digest. */
export function signatureMatches(expected: Buffer, given: string | undefined, encoding: 'hex' | 'base64'): boolean {
  if (!given) return false;
  const decoded = Buffer.from(given, encoding);
  return decoded.length === expected.length && timingSafeEqual(decoded, expected);
}
