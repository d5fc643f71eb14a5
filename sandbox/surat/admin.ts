// Test controls for the Sürat sandbox (never part of the carrier's API): sandbox/admin.ts's shipment
// routes (move parcels along, count bookings, faults), keyed by OzelKargoTakipNo.
import type { Router } from 'express';
import { z } from 'zod';
import { shipmentAdminRouter } from '../admin';
import { SURAT_OPERATIONS, type Movement, type SandboxShipment, type SuratState } from './state';

/** `{}`: the next movement on the happy path; `{durum}`: a movement with those words (unknown ones test 'unknown'). */
const AdvanceSchema = z.object({ durum: z.string().trim().min(1).max(100).optional() });

const movementSummary = (m: Movement) => ({ durum: m.durum, at: m.at.toISOString() });

/** No personal data: keys, codes and times only. */
function summary(state: SuratState, s: SandboxShipment) {
  const { key, reference, kind, barcode, withdrawn } = s;
  return {
    key,
    reference,
    kind,
    barcode,
    withdrawn,
    pieces: s.pieces,
    unitKg: s.unitKg,
    codAmount: s.codAmount ?? null,
    codCollection: s.codCollection ?? null,
    durum: state.durum(s),
    movements: s.movements.map(movementSummary),
  };
}

export function suratAdminRouter(state: SuratState): Router {
  return shipmentAdminRouter(state, {
    operations: SURAT_OPERATIONS,
    find: (key) => state.get(key),
    key: 'OzelKargoTakipNo',
    summary: (s) => summary(state, s),
    advanceSchema: AdvanceSchema,
    closed: (s) => (s.withdrawn ? 'the shipment was withdrawn' : undefined),
    advance(shipment, { durum }) {
      const movement = state.advance(shipment, durum);
      return movement && { key: shipment.key, movement: movementSummary(movement) };
    },
    pathEnded: 'the parcel has no next movement on the happy path; name a durum',
  });
}
