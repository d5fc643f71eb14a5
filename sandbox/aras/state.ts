// The Aras sandbox's memory (a CarrierState): orders keyed by the merchant's IntegrationCode,
// their movements (scans), courier pickups, and the faults to inject.
import { CarrierState } from '../state';

/** The order service's operations (arascargoservice.asmx); SetPickupRequest is the sandbox's name. */
export const ARAS_ORDER_OPERATIONS = ['SetOrder', 'GetOrderWithIntegrationCode', 'CancelDispatch', 'SetPickupRequest'] as const;
/** The query service's operations (ArasCargoIntegrationService.svc). */
export const ARAS_QUERY_OPERATIONS = ['GetQueryJSON', 'GetQueryXML'] as const;
export const ARAS_OPERATIONS = [...ARAS_ORDER_OPERATIONS, ...ARAS_QUERY_OPERATIONS] as const;
export type ArasOrderOperation = (typeof ARAS_ORDER_OPERATIONS)[number];
export type ArasQueryOperation = (typeof ARAS_QUERY_OPERATIONS)[number];

/** The order service takes username and password; the query service also the customer code. */
export interface ArasCredentials {
  username: string;
  password: string;
  customerCode: string;
}

/** Delivery status codes (DURUM KODU) as the carrier names them. */
export const DELIVERY_STATUSES: Record<number, string> = {
  1: 'ÇIKIŞ ŞUBESİNDE',
  2: 'YOLDA',
  3: 'TESLİMAT ŞUBESİNDE',
  4: 'TESLİMATTA',
  5: 'PARÇALI TESLİMAT',
  6: 'TESLİM EDİLDİ',
  7: 'YÖNLENDİRİLDİ',
};

/** Type codes (TİP KODU): the parcel's direction of travel. */
export const TYPE_CODES: Record<number, string> = { 1: 'NORMAL', 2: 'YÖNLENDİRİLMİŞ', 3: 'İADE' };

/** The path a parcel takes when nothing goes wrong: origin branch, on the way, delivery branch, out for delivery, delivered. */
const NEXT_STATUS: Record<number, number> = { 0: 1, 1: 2, 2: 3, 3: 4, 4: 6 };

export interface Scan {
  /** The carrier's number for this movement, unique within the sandbox. */
  movementNo: number;
  statusCode: number;
  typeCode: number;
  at: Date;
  unitName: string;
  cityName: string;
}

export interface SandboxShipment {
  integrationCode: string;
  waybillNumber: string;
  /** The sandbox's field IsReturn: collected at the receiver's address for the merchant. */
  kind: 'shipment' | 'return';
  /** KARGO TAKİP NO: assigned when the branch issues the waybill (the first movement). */
  trackingNumber?: string;
  /** Only what scans and the read-back need: no names, streets or phones. */
  customer: { cityName: string; townName: string };
  pieceCount: number;
  codAmount?: number;
  /** CancelDispatch deletes the order for the carrier's API; the sandbox keeps it for the admin API. */
  cancelled: boolean;
  createdAt: Date;
  scans: Scan[];
}

export interface SandboxPickup {
  pickupCode: string;
  pickupNumber: string;
  addressId: string;
  date: string;
  pieceCount: number;
}

/** `get(integrationCode)` finds an order cancelled ones included; `live` only those the carrier's API still shows. */
export class ArasState extends CarrierState<SandboxShipment> {
  private readonly pickupsByCode = new Map<string, SandboxPickup>();
  private waybillSequence = 0;
  private pickupSequence = 0;
  private movementSequence = 0;

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

  protected isLive(shipment: SandboxShipment): boolean {
    return !shipment.cancelled;
  }

  current(shipment: SandboxShipment): Scan | undefined {
    return shipment.scans[shipment.scans.length - 1];
  }

  /** A new order; it replaces a cancelled one under the same code (the carrier deleted that one). */
  create(
    input: Pick<SandboxShipment, 'integrationCode' | 'waybillNumber' | 'kind' | 'customer' | 'pieceCount' | 'codAmount'>,
  ): SandboxShipment {
    const shipment: SandboxShipment = { ...input, cancelled: false, createdAt: new Date(), scans: [] };
    this.bookings.set(shipment.integrationCode, shipment);
    return shipment;
  }

  /** The carrier deletes an order only until a branch has issued its waybill (the first movement). */
  cancellable(shipment: SandboxShipment): boolean {
    return shipment.scans.length === 0;
  }

  cancel(shipment: SandboxShipment): void {
    shipment.cancelled = true;
  }

  /**
   * The next movement on the happy path, or the named status (and type; the current type when
   * absent, normal at first); undefined at the end of the path.
   */
  advance(shipment: SandboxShipment, statusCode?: number, typeCode?: number): Scan | undefined {
    const next = statusCode ?? NEXT_STATUS[this.current(shipment)?.statusCode ?? 0];
    return next === undefined ? undefined : this.addScan(shipment, next, typeCode ?? this.current(shipment)?.typeCode ?? 1);
  }

  /** A pickup once per PickupCode: a repeated code answers with the first pickup. */
  pickup(input: Omit<SandboxPickup, 'pickupNumber'>): SandboxPickup {
    const existing = this.pickupsByCode.get(input.pickupCode);
    if (existing) return existing;
    this.pickupSequence += 1;
    const pickup = { ...input, pickupNumber: `KT${String(this.pickupSequence).padStart(8, '0')}` };
    this.pickupsByCode.set(pickup.pickupCode, pickup);
    return pickup;
  }

  pickups(): SandboxPickup[] {
    return [...this.pickupsByCode.values()];
  }

  reset(): void {
    super.reset();
    this.pickupsByCode.clear();
  }

  private addScan(shipment: SandboxShipment, statusCode: number, typeCode: number): Scan {
    const at = this.scanTime(this.current(shipment));
    // An outbound parcel reaches the customer's town at the delivery branch; a return leaves it from there.
    const atCustomer = shipment.kind === 'shipment' ? statusCode >= 3 : statusCode <= 2;
    const scan: Scan = {
      movementNo: ++this.movementSequence,
      statusCode,
      typeCode,
      at,
      unitName: atCustomer ? `${shipment.customer.townName} Şube` : 'İstanbul Transfer Merkezi',
      cityName: atCustomer ? shipment.customer.cityName : 'İstanbul',
    };
    shipment.trackingNumber ??= String(3_100_000_000_000 + ++this.waybillSequence);
    shipment.scans.push(scan);
    return scan;
  }
}
