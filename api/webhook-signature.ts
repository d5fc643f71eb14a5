// What every inbound webhook (carriers, storefronts) needs: the exact bytes that were signed
// (checked with lib/hmac.ts).
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
