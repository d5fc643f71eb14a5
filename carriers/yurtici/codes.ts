// Yurtiçi Kargo's error codes, one table for the connector and its sandbox double so the two cannot
// drift. `published`: as public integrations of ShippingOrderDispatcherServices give them; `chosen`:
// where public material is silent and the sandbox picked a code (verify first with real credentials).
import codes from './codes.json';

export const YURTICI_CODES = { ...codes.published, ...codes.chosen };
