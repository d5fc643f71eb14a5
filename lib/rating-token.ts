// The delivered notice's rating link carries a token bound to one parcel and expiring, so a
// customer rates without logging in and nobody can rate a parcel that is not theirs:
// <shipment id, base64url>.<expiry, epoch seconds>.<HMAC-SHA256 of both, base64url>.
import { hmacSha256, signatureMatches } from './hmac';

/** How long a delivered notice's link can be used. */
export const RATING_LINK_DAYS = 30;
const DAY_MS = 86_400_000;

const signed = (secret: string, id: string, expires: string) => hmacSha256(secret, `rating:${id}.${expires}`);

export function signRatingToken(secret: string, shipmentId: string, now = Date.now()): string {
  const id = Buffer.from(shipmentId).toString('base64url');
  const expires = String(Math.floor((now + RATING_LINK_DAYS * DAY_MS) / 1000));
  return `${id}.${expires}.${signed(secret, id, expires).toString('base64url')}`;
}

export type RatingTokenCheck = { ok: true; shipmentId: string } | { ok: false; problem: 'malformed' | 'forged' | 'expired' };

/** Which parcel the token is for, or why it is refused: the signature is checked (in constant time) before anything it says is used. */
export function checkRatingToken(secret: string, token: string, now = Date.now()): RatingTokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3 || !/^\d{1,12}$/.test(parts[1])) return { ok: false, problem: 'malformed' };
  const [id, expires, signature] = parts;
  if (!signatureMatches(signed(secret, id, expires), signature, 'base64url')) return { ok: false, problem: 'forged' };
  if (Number(expires) * 1000 < now) return { ok: false, problem: 'expired' };
  return { ok: true, shipmentId: Buffer.from(id, 'base64url').toString('utf8') };
}
