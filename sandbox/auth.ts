// What the carrier doubles share to check a caller: secrets compared in constant time, bearer
// tokens read from the header, and the tokens a double has issued with their expiry.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

/** Constant-time, so the sandbox does not teach clients a timing leak. */
export function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** The token of an `Authorization: Bearer <token>` header, if the request has one. */
export function bearerToken(req: Request): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(req.header('Authorization') ?? '')?.[1];
}

/** Bearer tokens a carrier has issued, each until its expiry. */
export class TokenStore {
  private readonly expiries = new Map<string, number>(); // token → expiry (epoch ms)

  add(token: string, expiresAt: number): void {
    this.expiries.set(token, expiresAt);
  }

  valid(token: string): boolean {
    return (this.expiries.get(token) ?? 0) > Date.now();
  }

  /** Expires every issued token early, as a carrier does on a credential rotation. */
  revoke(): void {
    this.expiries.clear();
  }
}
