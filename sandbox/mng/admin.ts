// Test controls for the MNG sandbox (never part of the carrier's API): sandbox/admin.ts's shipment
// routes (move parcels along, count bookings, faults, expire tokens), keyed by shipment number.
import type { Router } from 'express';
import { z } from 'zod';
import { shipmentAdminRouter } from '../admin';
import { MNG_OPERATIONS, STATUS_CODES, type MngState, type Movement } from './state';

/** Any code 0–99 is accepted, including ones adapters do not know (to test 'unknown'). */
const AdvanceSchema = z.object({ code: z.number().int().min(0).max(99).optional() });

const scanSummary = (m: Movement) => ({ code: m.code, at: m.at.toISOString() });

export function mngAdminRouter(state: MngState): Router {
  return shipmentAdminRouter(state, {
    operations: MNG_OPERATIONS,
    find: (trackingNumber) => state.byShipment(trackingNumber),
    key: 'tracking number',
    /** No personal data: keys, codes and times only. */
    summary: (o) => {
      const statusCode = state.statusCode(o);
      const { referenceId, kind, service } = o;
      const { shipmentId = null, codAmount = null } = o.shipment ?? {};
      return {
        referenceId,
        trackingNumber: shipmentId,
        kind,
        service,
        codAmount,
        statusCode,
        status: STATUS_CODES[statusCode] ?? null,
        scans: o.movements.map(scanSummary),
      };
    },
    advanceSchema: AdvanceSchema,
    advance(order, { code }) {
      const movement = state.advance(order, code);
      return movement && { trackingNumber: order.shipment?.shipmentId, scan: scanSummary(movement) };
    },
    pathEnded: 'the parcel has no next scan on the happy path; name a code',
    tokens: state.tokens,
  });
}
