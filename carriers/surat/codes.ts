// Sürat Kargo's codes, one table for the connector and its sandbox double so the two cannot drift.
// `published`: what public integrations show (050: the account may not create barcodes); `chosen`:
// where public material is silent and the sandbox picked a code (README.md, assumptions 2 and 3).
import codes from './codes.json';

export const SURAT_CODES = { ...codes.published, ...codes.chosen };

/**
 * The code at the start of a refusal's text: Sürat answers in words (`Message`, `GonderiGeriCekResult`);
 * the sandbox writes `HATA <code>: <text>`, and a bare code ("050") is read as itself.
 */
export function codeOf(text: string): string | undefined {
  return /^\s*(?:HATA\s+)?(\d{3})\b/i.exec(text)?.[1];
}
