// Error texts of mail, SMS and other providers may quote an address or a phone number: scrubbed
// before a log, a ledger row or an API answer holds them. Each pattern runs in time linear in the
// text (a provider's error can be tens of KB): test/security/scrub.test.ts checks their shape.

/**
 * An e-mail address: a run of non-separators holding an @. The look-behind lets a match start only
 * where a run starts; without it the engine tried every position of a long run with no @ to its
 * end, quadratic (2.4 s for a 40 KB error).
 */
export const EMAIL_PATTERN = /(?<![^\s<>"'])[^\s<>"']+@[^\s<>"']+/g;
/** A phone number: nine or more digits, spaces and dashes, starting and ending with a digit. */
export const PHONE_PATTERN = /\+?\d[\d\s-]{7,}\d/g;

/** The text with e-mail addresses and phone numbers replaced, cut to `maxLength`. */
export function scrubContactData(text: string, maxLength = 500): string {
  return text.replace(EMAIL_PATTERN, '[email]').replace(PHONE_PATTERN, '[phone]').slice(0, maxLength);
}
