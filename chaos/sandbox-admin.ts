// The carrier sandbox's admin API, as the chaos run uses it: faults on and off, every booking
// each carrier holds (in one shape for all of them), parcels moved along their scans, and the UPS
// webhook deliveries (to resend them). sandbox/README.md describes the routes.
import { hashedKey } from '../carriers/keys';
import { cargoKeyFor } from '../carriers/yurtici';
import { integrationCodeFor } from '../carriers/aras';
import { referenceIdFor } from '../carriers/mng';
import { suratKeyFor } from '../carriers/surat';
import { referenceFor } from '../carriers/ptt';
import type { WebhookDelivery } from '../sandbox/ups/webhooks';
import type { CarrierName } from './stack';

/** A fault as sandbox/faults.ts takes it. */
export interface FaultSpec {
  kind: 'latency' | 'error' | 'rate-limit' | 'hang' | 'down' | 'malformed' | 'lose-response';
  on?: string[];
  times?: number;
  probability?: number;
  seed?: number;
  status?: number;
  retryAfterSeconds?: number;
}

/** The call that creates a booking, per carrier (its operation names in sandbox/<carrier>/state.ts). */
export const BOOKING_OPERATIONS: Record<CarrierName, string[]> = {
  ups: ['ship'],
  yurtici: ['createShipment'],
  aras: ['SetOrder'],
  mng: ['createOrder', 'createbarcode'],
  surat: ['GonderiyiKargoyaGonderYeniSiparisBarkodOlustur'],
  ptt: ['kabulEkle2'],
};

/** One booking the carrier holds, whatever the carrier. */
export interface SandboxBooking {
  carrier: CarrierName;
  /** The carrier's key for it: UPS's Idempotency-Key, Yurtiçi's cargoKey, Aras's IntegrationCode, MNG's referenceId, Sürat's OzelKargoTakipNo, PTT's reference. */
  key: string;
  /** What the engine records as the tracking number (and advances the parcel by). */
  trackingNumber: string | null;
  kind: 'shipment' | 'return';
  live: boolean;
  /** The carrier's scan codes so far, oldest first. */
  scans: { code: string; at: string }[];
}

interface UpsSummary {
  /** The shipment's ReferenceNumber values: the first is our hashed key. */
  references: string[];
  trackingNumber: string;
  kind: 'shipment' | 'return';
  status: 'active' | 'voided';
  scans: { code: string; at: string }[];
}
interface YurticiSummary {
  cargoKey: string;
  kind: 'shipment' | 'return';
  operationCode: number;
  scans: { operationCode: number; at: string }[];
}
interface ArasSummary {
  integrationCode: string;
  kind: 'shipment' | 'return';
  cancelled: boolean;
  scans: { code: number; at: string }[];
}
interface SuratSummary {
  key: string;
  kind: 'shipment' | 'return';
  withdrawn: boolean;
  movements: { durum: string; at: string }[];
}

interface PttSummary {
  reference: string;
  barcode: string;
  kind: 'shipment' | 'return';
  /** The last event's code, or `deleted`. */
  state: number | 'deleted';
  scans: { code: number; at: string }[];
}
interface MngSummary {
  referenceId: string;
  trackingNumber: string | null;
  kind: 'shipment' | 'return';
  statusCode: number;
  cancelled: boolean;
  scans: { code: number; at: string }[];
}

/** A UPS webhook delivery as the sandbox keeps it (GET /_admin/ups/webhook/deliveries). */
export type UpsDelivery = WebhookDelivery;

interface Summaries {
  ups: UpsSummary;
  yurtici: YurticiSummary;
  aras: ArasSummary;
  mng: MngSummary;
  surat: SuratSummary;
  ptt: PttSummary;
}

const YURTICI_CANCELLED = 3;

/**
 * The carrier's key for an engine idempotency key (`<shipmentId>:<carrier>:<round>`): the adapters'
 * own functions, so a booking the sandbox holds is traced back to its shipment.
 */
const CARRIER_KEYS: Record<CarrierName, (idempotencyKey: string) => string> = {
  ups: hashedKey,
  yurtici: cargoKeyFor,
  aras: integrationCodeFor,
  mng: referenceIdFor,
  surat: suratKeyFor,
  ptt: referenceFor,
};

export function carrierKeyFor(carrier: CarrierName, idempotencyKey: string): string {
  return CARRIER_KEYS[carrier](idempotencyKey);
}

/** Numbered scan codes as text, as UPS's are. */
const codesAsText = (scans: { code: number; at: string }[]) => scans.map(({ code, at }) => ({ code: String(code), at }));

type BookingFields = Pick<SandboxBooking, 'key' | 'trackingNumber' | 'live' | 'scans'>;

/** What each carrier's summary (GET /_admin/<carrier>/shipments) says of a booking, in the one shape. */
const BOOKING_FIELDS: { [C in CarrierName]: (s: Summaries[C]) => BookingFields } = {
  ups: (s) => ({ key: s.references[0], trackingNumber: s.trackingNumber, live: s.status === 'active', scans: s.scans }),
  yurtici: (s) => ({
    key: s.cargoKey,
    trackingNumber: s.cargoKey,
    live: s.operationCode !== YURTICI_CANCELLED,
    scans: s.scans.map(({ operationCode, at }) => ({ code: String(operationCode), at })),
  }),
  aras: (s) => ({ key: s.integrationCode, trackingNumber: s.integrationCode, live: !s.cancelled, scans: codesAsText(s.scans) }),
  mng: (s) => ({ key: s.referenceId, trackingNumber: s.trackingNumber, live: !s.cancelled, scans: codesAsText(s.scans) }),
  surat: (s) => ({
    key: s.key,
    trackingNumber: s.key,
    live: !s.withdrawn,
    scans: s.movements.map(({ durum, at }) => ({ code: durum, at })),
  }),
  ptt: (s) => ({ key: s.reference, trackingNumber: s.barcode, live: s.state !== 'deleted', scans: codesAsText(s.scans) }),
};

export class SandboxAdmin {
  constructor(private readonly baseUrl: string) {}

  private async call(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.baseUrl}/_admin${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.call(method, path, body);
    if (!res.ok) throw new Error(`${method} /_admin${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  async addFault(carrier: CarrierName, fault: FaultSpec): Promise<void> {
    await this.json('POST', `/${carrier}/faults`, fault);
  }

  async clearFaults(carrier: CarrierName): Promise<void> {
    const res = await this.call('DELETE', `/${carrier}/faults`);
    if (!res.ok) throw new Error(`DELETE /_admin/${carrier}/faults: ${res.status}`);
  }

  async bookings(carrier: CarrierName): Promise<SandboxBooking[]> {
    const { shipments } = await this.json<{ shipments: Summaries[CarrierName][] }>('GET', `/${carrier}/shipments`);
    const fields = BOOKING_FIELDS[carrier] as (s: Summaries[CarrierName]) => BookingFields; // the summaries are this carrier's
    return shipments.map((s) => ({ carrier, kind: s.kind, ...fields(s) }));
  }

  /** The next scan on the happy path: 'moved', 'end' (nothing further), or 'unknown' (the carrier has no such parcel). */
  async advance(carrier: CarrierName, trackingNumber: string): Promise<'moved' | 'end' | 'unknown'> {
    const res = await this.call('POST', `/${carrier}/shipments/${encodeURIComponent(trackingNumber)}/advance`, {});
    await res.arrayBuffer();
    if (res.status === 201) return 'moved';
    if (res.status === 409) return 'end';
    if (res.status === 404) return 'unknown';
    throw new Error(`advance ${carrier} ${trackingNumber}: ${res.status}`);
  }

  async upsDeliveries(): Promise<UpsDelivery[]> {
    return (await this.json<{ deliveries: UpsDelivery[] }>('GET', '/ups/webhook/deliveries')).deliveries;
  }

  /** What customers and the OMS were sent: the mail catcher, the SMS gateway and the webhook inbox. */
  async mails(): Promise<{ messages: { messageId?: string; subject?: string }[]; deduplicated: number }> {
    return this.json('GET', '/mail/messages');
  }

  async smsMessages(): Promise<{ idempotencyKey: string }[]> {
    return (await this.json<{ messages: { idempotencyKey: string }[] }>('GET', '/sms/messages')).messages;
  }

  async inboxDeliveries(): Promise<{ eventId?: string; signatureValid: boolean }[]> {
    return (await this.json<{ deliveries: { eventId?: string; signatureValid: boolean }[] }>('GET', '/inbox/deliveries')).deliveries;
  }

  /** The sandbox sends a delivery again, with its event id: a carrier's resend or an ops replay. */
  async redeliver(eventId: string): Promise<boolean> {
    const res = await this.call('POST', `/ups/webhook/deliveries/${encodeURIComponent(eventId)}/redeliver`);
    await res.arrayBuffer();
    return res.status === 202;
  }
}
