// The Aras sandbox's memory (a CarrierState): orders keyed by the merchant's IntegrationCode, on
// the shipping or the return account; the states a parcel passes through once a branch has it;
// and the faults to inject.
import { CarrierState } from '../state';

/** The order service's operations (arascargoservice.asmx). */
export const ARAS_ORDER_OPERATIONS = ['SetOrder', 'GetOrderWithIntegrationCode', 'CancelDispatch'] as const;
/** The query service's operations (ArasCargoIntegrationService.svc). */
export const ARAS_QUERY_OPERATIONS = ['GetQueryJSON', 'GetQueryXML'] as const;
export const ARAS_OPERATIONS = [...ARAS_ORDER_OPERATIONS, ...ARAS_QUERY_OPERATIONS] as const;
export type ArasOrderOperation = (typeof ARAS_ORDER_OPERATIONS)[number];
export type ArasQueryOperation = (typeof ARAS_QUERY_OPERATIONS)[number];

/**
 * Two services, two logins: the order service's accounts (shipping, and returns under the return
 * agreement) and the query membership (user, password, customer code). `senderAddressIds`: the
 * SenderAccountAddressIds the accounts have (an order without one ships from the account's own address).
 */
export interface ArasCredentials {
  orderUserName: string;
  orderPassword: string;
  returnUserName: string;
  returnPassword: string;
  queryUserName: string;
  queryPassword: string;
  customerCode: string;
  senderAddressIds: string[];
}

/** DURUM KODU as the query document names them (§2.2.1). */
export const DELIVERY_STATUSES: Record<number, string> = {
  1: 'ÇIKIŞ ŞUBESİNDE',
  2: 'YOLDA',
  3: 'TESLİMAT ŞUBESİNDE',
  4: 'TESLİMATTA',
  5: 'PARÇALI TESLİMAT',
  6: 'TESLİM EDİLDİ',
  7: 'YÖNLENDİRİLDİ',
};

/** TİP KODU: the parcel's direction of travel. */
export const TYPE_CODES: Record<number, string> = { 1: 'NORMAL', 2: 'YÖNLENDİRİLMİŞ', 3: 'İADE' };

/** DEVİR KODU (§2.3): why a parcel stays at its delivery branch. */
export const NON_DELIVERY_REASONS = [10, 11, 12, 14, 15, 17, 18, 20, 22, 26, 32, 33, 34, 45, 47, 51];

/** The path a parcel takes when nothing goes wrong: origin branch, on the way, delivery branch, out for delivery, delivered. */
const NEXT_STATUS: Record<number, number> = { 0: 1, 1: 2, 2: 3, 3: 4, 4: 6 };

/** How often one IntegrationCode may be sent (the carrier's 70035). */
export const MAX_SENDS = 20;

/** One state the parcel reached: the query service shows the latest. */
export interface Scan {
  statusCode: number;
  typeCode: number;
  /** DEVİR KODU: set when the parcel waits at its delivery branch for this reason. */
  reason?: number;
  at: Date;
}

export interface SandboxShipment {
  integrationCode: string;
  waybillNumber: string;
  /** Which account booked it: the shipping one, or the return agreement's. */
  kind: 'shipment' | 'return';
  /** KARGO TAKİP NO: assigned when the branch issues the waybill (the first state). */
  trackingNumber?: string;
  /** Only what the query and the read-back need: no names, streets or phones. */
  customer: { cityName: string; townName: string };
  pieceCount: number;
  barcodes: string[];
  codAmount?: number;
  /** How the courier collects codAmount: CodCollectionType 0 cash, 1 card. */
  codCollection?: 'cash' | 'card';
  /** How often SetOrder sent this IntegrationCode (the first booking included). */
  sends: number;
  /** CancelDispatch deletes the order for the carrier's API; the sandbox keeps it for the admin API. */
  cancelled: boolean;
  createdAt: Date;
  scans: Scan[];
}

export type OrderInput = Pick<
  SandboxShipment,
  'integrationCode' | 'waybillNumber' | 'kind' | 'customer' | 'pieceCount' | 'barcodes' | 'codAmount' | 'codCollection'
>;

/** `get(integrationCode)` finds an order cancelled ones included; `live` only those the carrier's API still shows. */
export class ArasState extends CarrierState<SandboxShipment> {
  private waybillSequence = 0;

  constructor(readonly credentials: ArasCredentials) {
    super();
  }

  /** An order the carrier's API still shows: booked and not cancelled (deleted). */
  live(integrationCode: string): SandboxShipment | undefined {
    const shipment = this.get(integrationCode);
    return shipment && this.isLive(shipment) ? shipment : undefined;
  }

  /** By IntegrationCode or by the carrier's KARGO TAKİP NO (for the admin API). */
  find(key: string): SandboxShipment | undefined {
    return this.get(key) ?? this.list().find((s) => s.trackingNumber === key);
  }

  /** A live order other than `integrationCode` whose piece carries this barcode (the carrier's 70027). */
  barcodeTaken(barcode: string, integrationCode: string): boolean {
    return this.list().some((s) => this.isLive(s) && s.integrationCode !== integrationCode && s.barcodes.includes(barcode));
  }

  protected isLive(shipment: SandboxShipment): boolean {
    return !shipment.cancelled;
  }

  current(shipment: SandboxShipment): Scan | undefined {
    return shipment.scans[shipment.scans.length - 1];
  }

  /** The branch has issued the waybill once the parcel has a state: the order can no longer change. */
  waybillIssued(shipment: SandboxShipment): boolean {
    return shipment.scans.length > 0;
  }

  /** A new order, or the live one under the same IntegrationCode updated (the carrier's resend semantics). */
  send(input: OrderInput): SandboxShipment {
    const existing = this.live(input.integrationCode);
    if (existing) {
      Object.assign(existing, input, { sends: existing.sends + 1 });
      return existing;
    }
    const shipment: SandboxShipment = { ...input, sends: 1, cancelled: false, createdAt: new Date(), scans: [] };
    this.bookings.set(shipment.integrationCode, shipment);
    return shipment;
  }

  cancel(shipment: SandboxShipment): void {
    shipment.cancelled = true;
  }

  /**
   * The next state on the happy path, or the named one (and type: the current type when absent,
   * normal at first; a reason with it); undefined at the end of the path.
   */
  advance(shipment: SandboxShipment, statusCode?: number, typeCode?: number, reason?: number): Scan | undefined {
    const next = statusCode ?? NEXT_STATUS[this.current(shipment)?.statusCode ?? 0];
    if (next === undefined) return undefined;
    const scan: Scan = {
      statusCode: next,
      typeCode: typeCode ?? this.current(shipment)?.typeCode ?? 1,
      reason,
      at: this.scanTime(this.current(shipment)),
    };
    shipment.trackingNumber ??= String(3_100_000_000_000 + ++this.waybillSequence);
    shipment.scans.push(scan);
    return scan;
  }
}
