// The signature on every webhook we send: Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 over
// "<t>.<raw body>" with the subscriber's secret>. Receivers check it in constant time and refuse
// a t more than 5 minutes away (README: "Verifying our webhooks").
import { hmacSha256 } from '../../lib/hmac';

export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${hmacSha256(secret, `${unixSeconds}.${body}`).toString('hex')}`;
}
