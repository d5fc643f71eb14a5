// The Yurtiçi sandbox's memory (a CarrierState): shipments keyed by the merchant's cargoKey,
// their scans, and the faults to inject.
import { CarrierState } from '../state';

export const YURTICI_OPERATIONS = ['createShipment', 'queryShipment', 'cancelShipment'] as const;
export type YurticiOperation = (typeof YURTICI_OPERATIONS)[number];

export interface YurticiCredentials {
  username: string;
  password: string;
}

/**
 * operationCode → the operationStatus the carrier reports with it, and a description.
 * Public material gives the statuses (NOP, IND, ISR, CNL, DLV) and codes 0–6; which status
 * goes with 4 and 6 was not found, so the sandbox chose (see README.md).
 */
export const OPERATION_CODES: Record<number, { status: string; message: string }> = {
  0: { status: 'NOP', message: 'Shipment registered; the parcel has not reached a branch yet' },
  1: { status: 'ISR', message: 'Accepted by the branch' },
  2: { status: 'IND', message: 'In transit' },
  3: { status: 'CNL', message: 'Cancelled' },
  4: { status: 'IND', message: 'Out for delivery' },
  5: { status: 'DLV', message: 'Delivered' },
  6: { status: 'DLV', message: 'Returned to the sender' },
};

/** The path a parcel takes when nothing goes wrong; 3, 5 and 6 end it. */
const NEXT_CODE: Record<number, number> = { 0: 1, 1: 2, 2: 4, 4: 5 };

export interface Scan {
  /** The carrier's number for this scan, unique within the sandbox. */
  eventNo: number;
  operationCode: number;
  operationStatus: string;
  message: string;
  at: Date;
  unitName: string;
  cityName: string;
}

export interface SandboxShipment {
  cargoKey: string;
  invoiceKey: string;
  jobId: number;
  kind: 'shipment' | 'return';
  /** The carrier's document number, assigned when a branch accepts the parcel. */
  docId?: string;
  /** Only what scans need: no names, streets or phones. */
  customer: { cityName: string; townName: string };
  codAmount?: number;
  createdAt: Date;
  scans: Scan[];
}

export class YurticiState extends CarrierState<SandboxShipment> {
  private sequence = 0;
  private eventSequence = 0;

  constructor(readonly credentials: YurticiCredentials) {
    super();
  }

  current(shipment: SandboxShipment): Scan {
    return shipment.scans[shipment.scans.length - 1];
  }

  protected isLive(shipment: SandboxShipment): boolean {
    return this.current(shipment).operationCode !== 3;
  }

  create(input: Pick<SandboxShipment, 'cargoKey' | 'invoiceKey' | 'kind' | 'customer' | 'codAmount'>): SandboxShipment {
    this.sequence += 1;
    const shipment: SandboxShipment = { ...input, jobId: 700_000 + this.sequence, createdAt: new Date(), scans: [] };
    this.addScan(shipment, 0);
    this.bookings.set(shipment.cargoKey, shipment);
    return shipment;
  }

  /** The carrier lets a shipment be cancelled only before a branch has accepted the parcel. */
  cancellable(shipment: SandboxShipment): boolean {
    return this.current(shipment).operationCode === 0;
  }

  cancel(shipment: SandboxShipment): void {
    this.addScan(shipment, 3);
  }

  /** The next scan on the happy path, or the named code (status optional, for codes the table lacks); undefined at the end of the path. */
  advance(shipment: SandboxShipment, code?: number, status?: string): Scan | undefined {
    const next = code ?? NEXT_CODE[this.current(shipment).operationCode];
    return next === undefined ? undefined : this.addScan(shipment, next, status);
  }

  private addScan(shipment: SandboxShipment, operationCode: number, status?: string): Scan {
    const at = this.scanTime(shipment.scans.at(-1));
    const known = OPERATION_CODES[operationCode];
    // An outbound parcel reaches the customer's town at the end; a return leaves it at acceptance.
    const atCustomer = shipment.kind === 'shipment' ? operationCode >= 4 : operationCode <= 1;
    const scan: Scan = {
      eventNo: ++this.eventSequence,
      operationCode,
      operationStatus: status ?? known?.status ?? 'IND',
      message: known?.message ?? 'Status update',
      at,
      unitName: atCustomer ? `${shipment.customer.townName} Branch` : 'Istanbul Transfer Centre',
      cityName: atCustomer ? shipment.customer.cityName : 'İstanbul',
    };
    if (operationCode === 1 && !shipment.docId) shipment.docId = String(100_000_000_000 + shipment.jobId);
    shipment.scans.push(scan);
    return scan;
  }
}
