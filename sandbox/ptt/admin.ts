// Test controls for the PTT sandbox (never part of the carrier's API): sandbox/admin.ts's shipment routes
// (move parcels along, count bookings, faults), keyed by the barcode PTT gave the parcel.
import type { Router } from 'express';
import { z } from 'zod';
import { shipmentAdminRouter } from '../admin';
import { PTT_OPERATIONS, type PttScan, type PttState, type SandboxParcel } from './state';

/** `{}`: the next event on the happy path (1, 77, 11, 7, 100); a named `code` (any: unknown ones test 'unknown') with its words. */
const AdvanceSchema = z.object({
  code: z.number().int().min(0).max(9999).optional(),
  words: z.string().min(1).max(100).optional(),
});

const scanSummary = (scan: PttScan) => ({ code: scan.code, words: scan.words, unit: scan.unit, at: scan.at.toISOString() });

/** No personal data: keys, codes and times only. */
function summary(state: PttState, p: SandboxParcel) {
  const { barcode, reference, kind } = p;
  const state_ = p.deleted ? 'deleted' : state.latest(p).code;
  return { barcode, reference, kind, account: p.owner, codAmount: p.codAmount ?? null, state: state_, scans: p.scans.map(scanSummary) };
}

export function pttAdminRouter(state: PttState): Router {
  return shipmentAdminRouter(state, {
    operations: PTT_OPERATIONS,
    find: (barcode) => state.get(barcode),
    key: 'barcode',
    summary: (p) => summary(state, p),
    advanceSchema: AdvanceSchema,
    closed: (p) => (p.deleted ? 'the record was deleted before acceptance' : undefined),
    advance(parcel, { code, words }) {
      const scan = state.advance(parcel, code === undefined ? undefined : { code, words });
      return scan && { barcode: parcel.barcode, scan: scanSummary(scan) };
    },
    pathEnded: 'the parcel has no next event on the happy path; name a code',
  });
}
