// Test controls for the MNG sandbox (never part of the carrier's API): sandbox/admin.ts's shipment
// routes (move parcels along, count bookings, faults, expire tokens), keyed by MNG's shipment id,
// or by the referenceId for a return (which has no shipment id).
import type { Router } from 'express';
import { z } from 'zod';
import { shipmentAdminRouter } from '../admin';
import { MNG_OPERATIONS, STATUS_CODES, type MngState, type Movement } from './state';

/** A published code (1–8), or a movement with a text of its own (to test texts adapters do not know). */
const AdvanceSchema = z.object({ code: z.number().int().min(1).max(8).optional(), text: z.string().min(1).max(100).optional() });

const scanSummary = (m: Movement) => ({ code: m.code, text: m.text, at: m.at.toISOString() });

export function mngAdminRouter(state: MngState): Router {
  return shipmentAdminRouter(state, {
    operations: MNG_OPERATIONS,
    find: (trackingNumber) => state.byShipment(trackingNumber),
    key: 'tracking number',
    /** No personal data: keys, codes and times only. */
    summary: (o) => {
      const statusCode = state.statusCode(o);
      const { referenceId, kind, service, cancelled } = o;
      const { shipmentId = null, codAmount = null } = o.shipment ?? {};
      return {
        referenceId,
        trackingNumber: kind === 'return' ? referenceId : shipmentId,
        kind,
        service,
        cancelled,
        codAmount,
        statusCode,
        status: STATUS_CODES[statusCode] ?? null,
        scans: o.movements.map(scanSummary),
      };
    },
    advanceSchema: AdvanceSchema,
    advance(order, scan) {
      const movement = state.advance(order, scan);
      return movement && { trackingNumber: order.shipment?.shipmentId ?? order.referenceId, scan: scanSummary(movement) };
    },
    pathEnded: 'the parcel has no next scan on the happy path; name a code',
    tokens: state.tokens,
  });
}
