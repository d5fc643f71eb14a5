// HMAC-SHA256 signing and timing-safe checking, for every webhook we receive or send.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function hmacSha256(secret: string, data: Buffer | string): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

/** Whether `given` (hex or base64 text) is the HMAC we expect; constant time in the length of the digest. */
export function signatureMatches(expected: Buffer, given: string | undefined, encoding: 'hex' | 'base64' | 'base64url'): boolean {
  if (!given) return false;
  const decoded = Buffer.from(given, encoding);
  return decoded.length === expected.length && timingSafeEqual(decoded, expected);
}
