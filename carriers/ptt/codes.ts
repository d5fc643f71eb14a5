// PTT Kargo's result codes (hataKodu, donguHataKodu, sonucKodu), one table for the connector and its sandbox
// double so the two cannot drift. `published`: as public integrations show them (README.md, "Sources");
// `chosen`: where public material is silent and the sandbox picked a code (verify first with real credentials).
import codes from './codes.json';

export const PTT_CODES = { ...codes.published, ...codes.chosen };
