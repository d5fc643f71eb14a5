// The Yurtiçi sandbox's memory (a CarrierState): shipments keyed by the merchant's cargoKey, the
// return codes saved for customers, and the faults to inject. As the carrier reports it, a
// shipment has ONE current status pair (operationStatus/operationCode) and a list of movements
// (where and when, no status); the admin API's `scans` are the pairs it went through.
import { CarrierState } from '../state';

export const YURTICI_OPERATIONS = [
  'createShipment',
  'queryShipment',
  'cancelShipment',
  'saveReturnShipmentCode',
  'cancelReturnShipmentCode',
] as const;
export type YurticiOperation = (typeof YURTICI_OPERATIONS)[number];

/** The standard user (sender pays) and the cash-on-delivery user: the carrier binds the payment type to the user. */
export interface YurticiCredentials {
  username: string;
  password: string;
  codUsername: string;
  codPassword: string;
}

type Language = 'TR' | 'EN';

/** operationCode → operationStatus and operationMessage, as the carrier publishes them (spec README, "operationStatus / operationCode"). */
export const OPERATION_CODES: Record<number, { status: string; message: Record<Language, string> }> = {
  0: { status: 'NOP', message: { TR: 'Kargo İşlem Görmemiş.', EN: 'Not processed.' } },
  1: { status: 'IND', message: { TR: 'Kargo Teslimattadır.', EN: 'In delivery.' } },
  2: { status: 'ISR', message: { TR: 'Faturası henüz düzenlenmemiştir.', EN: 'Processed, invoice pending.' } },
  3: { status: 'CNL', message: { TR: 'Kargo Çıkışı Engellendi.', EN: 'Dispatch blocked.' } },
  4: { status: 'ISC', message: { TR: 'Daha önceden iptal edilmiştir.', EN: 'Already cancelled.' } },
  5: { status: 'DLV', message: { TR: 'Kargo teslim edilmiştir.', EN: 'Delivered.' } },
  6: { status: 'BI', message: { TR: 'Fatura şube tarafından iptal edilmiştir.', EN: 'Invoice cancelled by the branch.' } },
};
export const CANCELLED = 3;

/** One movement (InvDocCargoVO). The event and reason codes are unpublished: these are the sandbox's. */
export interface Movement {
  unitId: string;
  unitName: string;
  eventId: string;
  eventName: string;
  reasonId: string;
  reasonName: string;
  at: Date;
  cityName: string;
  townName: string;
}

/** A status pair the shipment took, for the admin API. */
export interface Scan {
  operationCode: number;
  operationStatus: string;
  at: Date;
}

export interface SandboxShipment {
  cargoKey: string;
  invoiceKey: string;
  /** The user that booked it: query and cancel find it only for that user (82519 otherwise). */
  owner: string;
  /** A return is a return code the customer hands in at a branch; the carrier knows no parcel before that. */
  kind: 'shipment' | 'return';
  jobId: number;
  /** The carrier's document number, once a branch has processed the parcel. */
  docId?: string;
  /** Only what movements need: no names, streets or phones. */
  customer: { cityName: string; townName: string };
  codAmount?: number;
  /** 0–11 once the receiver refused the parcel (going back when 0–3, 9, 10). */
  rejectStatus?: number;
  /** 3 once the parcel is back with the sender. */
  returnStatus?: number;
  scans: Scan[];
  movements: Movement[];
}

/** One step of the happy path: the pair it leaves the parcel in and the movement it adds. */
interface Step {
  operationCode: number;
  unit: 'origin' | 'transfer' | 'destination';
  eventId: string;
  eventName: string;
}

/** The pair the shipment is in now. */
export const currentScan = (shipment: SandboxShipment): Scan => shipment.scans[shipment.scans.length - 1];

const HAPPY_PATH: Step[] = [
  { operationCode: 2, unit: 'origin', eventId: 'KB', eventName: 'Kargo Kabul Edildi' },
  { operationCode: 1, unit: 'transfer', eventId: 'YU', eventName: 'Kargo Yüklendi' },
  { operationCode: 1, unit: 'destination', eventId: 'YK', eventName: 'Kargo İndirildi' },
  { operationCode: 5, unit: 'destination', eventId: 'TS', eventName: 'Kargo Teslim Edildi' },
];

const ORIGIN = { unitId: '1001', unitName: 'Esenyurt Branch', cityName: 'İstanbul', townName: 'Esenyurt' };
const TRANSFER = { unitId: '9001', unitName: 'Istanbul Transfer Centre', cityName: 'İstanbul', townName: 'Hadımköy' };

export class YurticiState extends CarrierState<SandboxShipment> {
  private sequence = 0;

  constructor(readonly credentials: YurticiCredentials) {
    super();
  }

  current(shipment: SandboxShipment): Scan {
    return currentScan(shipment);
  }

  /** The carrier's number for one create call (jobId), shared by the shipments it books. */
  newJob(): number {
    this.sequence += 1;
    return 2_198_800 + this.sequence;
  }

  protected isLive(shipment: SandboxShipment): boolean {
    return this.current(shipment).operationCode !== CANCELLED;
  }

  create(input: Pick<SandboxShipment, 'cargoKey' | 'invoiceKey' | 'owner' | 'kind' | 'jobId' | 'customer' | 'codAmount'>): SandboxShipment {
    const shipment: SandboxShipment = { ...input, scans: [], movements: [] };
    this.setPair(shipment, 0);
    this.bookings.set(shipment.cargoKey, shipment);
    return shipment;
  }

  /** The shipment under `cargoKey` as `user` may see it: its own only. */
  find(cargoKey: string, user: string, kind: SandboxShipment['kind'] = 'shipment'): SandboxShipment | undefined {
    const shipment = this.get(cargoKey);
    return shipment?.owner === user && shipment.kind === kind ? shipment : undefined;
  }

  /** A withdrawn return code is forgotten: the customer can no longer use it. */
  withdraw(shipment: SandboxShipment): void {
    this.bookings.delete(shipment.cargoKey);
  }

  /** The carrier blocks the dispatch only before a branch has processed the parcel (the sandbox's reading: NOP only). */
  cancellable(shipment: SandboxShipment): boolean {
    return this.current(shipment).operationCode === 0;
  }

  cancel(shipment: SandboxShipment): void {
    this.setPair(shipment, CANCELLED);
  }

  /** The next happy-path step, or the named pair (no movement: a status change only); undefined at the end of the path. */
  advance(shipment: SandboxShipment, named?: { operationCode: number; operationStatus?: string }): Scan | undefined {
    if (named) return this.setPair(shipment, named.operationCode, named.operationStatus);
    const step = HAPPY_PATH[shipment.movements.length];
    if (!step || this.current(shipment).operationCode === CANCELLED) return undefined;
    shipment.movements.push({
      ...this.unit(shipment, step.unit),
      ...step,
      reasonId: 'OK',
      reasonName: 'Sorun Yok',
      at: this.nextTime(shipment),
    });
    shipment.docId ??= String(100_000_000_000 + shipment.jobId); // a branch has processed it: the document exists
    return this.setPair(shipment, step.operationCode);
  }

  /** The receiver refused the parcel (rejectStatus) or it is back with the sender (returnStatus 3). */
  sendBack(shipment: SandboxShipment, change: { rejectStatus?: number; returnStatus?: number }): Scan {
    Object.assign(shipment, change);
    return { ...this.current(shipment), at: this.nextTime(shipment) };
  }

  private unit(shipment: SandboxShipment, unit: Step['unit']) {
    // An outbound parcel travels to the customer's town; a return from a branch to the sender (the warehouse).
    const customer = { unitId: '3401', unitName: `${shipment.customer.townName} Branch`, ...shipment.customer };
    if (unit === 'transfer') return TRANSFER;
    return (unit === 'origin') === (shipment.kind === 'shipment') ? ORIGIN : customer;
  }

  /** Movements and pairs report whole seconds; keep them strictly increasing so each is distinct. */
  private nextTime(shipment: SandboxShipment): Date {
    const times = [...shipment.scans, ...shipment.movements].map((s) => s.at.getTime());
    return this.scanTime(times.length ? { at: new Date(Math.max(...times)) } : undefined);
  }

  private setPair(shipment: SandboxShipment, operationCode: number, status?: string): Scan {
    const scan = { operationCode, operationStatus: status ?? OPERATION_CODES[operationCode]?.status ?? 'UNK', at: this.nextTime(shipment) };
    shipment.scans.push(scan);
    return scan;
  }
}
