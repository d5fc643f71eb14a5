// Moving parcels along in the carrier sandbox (POST /_admin/<carrier>/shipments/:tn/advance),
// one scan at a time, as each carrier's own codes: UPS pushes every scan to the API by signed
// webhook at once; Yurtiçi, Aras, MNG, Sürat and PTT are polled by the shipment workflow (first an hour
// after the label, then backing off), so the engine hears of their scans later.
import type { Fate } from './orders';
import { CARRIERS, type Carrier } from './faults';
import type { HttpClient } from './http';

/** A carrier-neutral step; each carrier has its own scan for it (or none). */
export type Step = 'pickup' | 'transit' | 'out' | 'deliver' | 'fail' | 'return_to_sender' | 'returned';

/** The scans each fate puts an outbound parcel through. */
export const OUTBOUND_STEPS: Record<Fate, Step[]> = {
  deliver: ['pickup', 'transit', 'out', 'deliver'],
  picked_up: ['pickup'],
  in_transit: ['pickup', 'transit'],
  out_for_delivery: ['pickup', 'transit', 'out'],
  delivery_failed: ['pickup', 'transit', 'out', 'fail'],
  return_to_sender: ['pickup', 'transit', 'out', 'fail', 'return_to_sender', 'returned'],
  return_after_delivery: ['pickup', 'transit', 'out', 'deliver'],
  return_label_only: ['pickup', 'transit', 'out', 'deliver'],
  cancel: [],
  wait: [],
  fix_address: ['pickup', 'transit', 'out', 'deliver'],
  bad_address: [],
  backorder_wait: [],
  backorder_cancel: [],
};

/** A customer's return parcel: collected from them, back to the warehouse. */
export const RETURN_STEPS: Step[] = ['pickup', 'transit', 'deliver'];

/**
 * Each carrier's admin body per step (see sandbox/README.md and each carrier's README); a step
 * the carrier has no scan for is skipped. UPS: X is an exception (on hold), RS return to sender.
 * Yurtiçi: {} the next movement (accepted ISR/2, loaded IND/1, at the customer's branch IND/1; it has
 * no out-for-delivery code), DLV/5 delivered, rejectStatus 9 going back, returnStatus 3 returned. Aras: status/type, type 3
 * is the way back. MNG: 6 delivery failed, 7 coming back, 10 back with the sender. Sürat: a movement with
 * the status words it writes.
 * PTT: its event codes (1 accepted,
 * 77 dispatched, 7 out, 100 delivered, 124 not at the address, 99 to be returned, 120 back with the sender).
 */
export const SCANS: Record<Carrier, Partial<Record<Step, Record<string, unknown>>>> = {
  ups: {
    pickup: { code: 'I/PU' },
    transit: { code: 'I/OR' },
    out: { code: 'I/OT' },
    deliver: { code: 'D/FS' },
    fail: { code: 'X' },
    return_to_sender: { code: 'RS' },
  },
  yurtici: {
    pickup: {},
    transit: {},
    out: {},
    deliver: { operationCode: 5 },
    return_to_sender: { rejectStatus: 9 },
    returned: { returnStatus: 3 },
  },
  aras: {
    pickup: { code: 1, type: 1 },
    transit: { code: 2, type: 1 },
    out: { code: 4, type: 1 },
    deliver: { code: 6, type: 1 },
    return_to_sender: { code: 1, type: 3 },
    returned: { code: 6, type: 3 },
  },
  mng: {
    pickup: { code: 1 },
    transit: { code: 2 },
    out: { code: 4 },
    deliver: { code: 5 },
    fail: { code: 6 },
    return_to_sender: { code: 7 },
    returned: { code: 7 }, // MNG's REST codes end at "coming back" (7)
  },
  surat: {
    pickup: { durum: 'Kargo Kabul' },
    transit: { durum: 'Aktarma Merkezinde' },
    out: { durum: 'Dağıtıma Verildi' },
    deliver: { durum: 'Teslim Edildi' },
    fail: { durum: 'Teslim Edilemedi' },
    return_to_sender: { durum: 'İade Sürecinde' },
    returned: { durum: 'İade Edildi' },
  },
  ptt: {
    pickup: { code: 1 },
    transit: { code: 77 },
    out: { code: 7 },
    deliver: { code: 100 },
    fail: { code: 124 },
    return_to_sender: { code: 99 },
    returned: { code: 120 },
  },
};

/** Carriers whose scans reach the engine during the demo (pushed); the others wait for the next poll. */
export const PUSH_CARRIERS: ReadonlySet<string> = new Set(['ups']);

export function isCarrier(name: string | null | undefined): name is Carrier {
  return (CARRIERS as readonly string[]).includes(name ?? '');
}

/** The steps this carrier has scans for. */
export function stepsFor(carrier: Carrier, steps: Step[]): Step[] {
  return steps.filter((s) => SCANS[carrier][s] !== undefined);
}

export type AdvanceOutcome = 'moved' | 'end' | 'unknown' | 'error';

/** One scan for one parcel. */
export async function advanceParcel(sandbox: HttpClient, carrier: Carrier, trackingNumber: string, step: Step): Promise<AdvanceOutcome> {
  const body = SCANS[carrier][step];
  if (!body) return 'end';
  const reply = await sandbox.request('POST', `/_admin/${carrier}/shipments/${encodeURIComponent(trackingNumber)}/advance`, body);
  if (reply.status === 201 || reply.status === 200) return 'moved';
  if (reply.status === 409) return 'end';
  if (reply.status === 404) return 'unknown';
  return 'error';
}
