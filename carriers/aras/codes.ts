// Aras Kargo's result codes, one table for the connector and its sandbox double so the two cannot
// drift. `published`: as the carrier's SetOrder/CancelDispatch documents give them (1006 from a
// captured production reply; carriers/aras/spec/README.md); `chosen`: where public material is
// silent and the sandbox picked a code (verify first with real credentials).
import codes from './codes.json';

export const ARAS_CODES = { ...codes.published, ...codes.chosen };
