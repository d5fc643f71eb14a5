// The carrier sandbox's admin API, as the chaos run uses it: faults on and off, every booking
// each carrier holds (in one shape for all four), parcels moved along their scans, and the UPS
// webhook deliveries (to resend them). sandbox/README.md describes the routes.
import { cargoKeyFor } from '../carriers/yurtici';
import { integrationCodeFor } from '../carriers/aras';
import { referenceIdFor } from '../carriers/mng';
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
};

/** One booking the carrier holds, whatever the carrier. */
export interface SandboxBooking {
  carrier: CarrierName;
  /** The carrier's key for it: UPS's Idempotency-Key, Yurtiçi's cargoKey, Aras's IntegrationCode, MNG's referenceId. */
  key: string;
  /** What the engine records as the tracking number (and advances the parcel by). */
  trackingNumber: string | null;
  kind: 'shipment' | 'return';
  live: boolean;
  /** The carrier's scan codes so far, oldest first. */
  scans: { code: string; at: string }[];
}

interface UpsSummary {
  idempotencyKey: string;
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
interface MngSummary {
  referenceId: string;
  trackingNumber: string | null;
  kind: 'shipment' | 'return';
  statusCode: number;
  scans: { code: number; at: string }[];
}

export interface UpsDelivery {
  eventId: string;
  trackingNumber: string;
  code: string;
  attempts: number;
  state: 'pending' | 'delivered' | 'failed';
  last?: number | string;
}

const MNG_CANCELLED = 9; // sandbox/mng/state.ts CANCELLED
const YURTICI_CANCELLED = 3;

/**
 * The carrier's key for an engine idempotency key (`<shipmentId>:<carrier>:<round>`): the adapters'
 * own functions, so a booking the sandbox holds is traced back to its shipment.
 */
export function carrierKeyFor(carrier: CarrierName, idempotencyKey: string): string {
  switch (carrier) {
    case 'ups':
      return idempotencyKey;
    case 'yurtici':
      return cargoKeyFor(idempotencyKey);
    case 'aras':
      return integrationCodeFor(idempotencyKey);
    case 'mng':
      return referenceIdFor(idempotencyKey);
  }
}

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
    const { shipments } = await this.json<{ shipments: unknown[] }>('GET', `/${carrier}/shipments`);
    switch (carrier) {
      case 'ups':
        return (shipments as UpsSummary[]).map((s) => ({
          carrier,
          key: s.idempotencyKey,
          trackingNumber: s.trackingNumber,
          kind: s.kind,
          live: s.status === 'active',
          scans: s.scans,
        }));
      case 'yurtici':
        return (shipments as YurticiSummary[]).map((s) => ({
          carrier,
          key: s.cargoKey,
          trackingNumber: s.cargoKey,
          kind: s.kind,
          live: s.operationCode !== YURTICI_CANCELLED,
          scans: s.scans.map((scan) => ({ code: String(scan.operationCode), at: scan.at })),
        }));
      case 'aras':
        return (shipments as ArasSummary[]).map((s) => ({
          carrier,
          key: s.integrationCode,
          trackingNumber: s.integrationCode,
          kind: s.kind,
          live: !s.cancelled,
          scans: s.scans.map((scan) => ({ code: String(scan.code), at: scan.at })),
        }));
      case 'mng':
        return (shipments as MngSummary[]).map((s) => ({
          carrier,
          key: s.referenceId,
          trackingNumber: s.trackingNumber,
          kind: s.kind,
          live: s.statusCode !== MNG_CANCELLED,
          scans: s.scans.map((scan) => ({ code: String(scan.code), at: scan.at })),
        }));
    }
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
  async mails(): Promise<{ messageId?: string; subject?: string }[]> {
    return (await this.json<{ messages: { messageId?: string; subject?: string }[] }>('GET', '/mail/messages')).messages;
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
