// The Sürat sandbox's memory (a CarrierState): shipments keyed by the merchant's OzelKargoTakipNo,
// each with Sürat's barcode and its movements; a movement carries its status in Turkish words
// (Durum), and the shipment's status is its newest movement's.
import { CarrierState } from '../state';

export const SURAT_OPERATIONS = ['GonderiyiKargoyaGonderYeniSiparisBarkodOlustur', 'KargoTakipHareketDetayliV2', 'GonderiGeriCek'] as const;
export type SuratOperation = (typeof SURAT_OPERATIONS)[number];

/** The account (cari kodu) with its password (create, withdraw) and its web password (tracking). */
export interface SuratCredentials {
  username: string;
  password: string;
  webPassword: string;
}

/** One movement: when, where, and the status words the carrier writes. */
export interface Movement {
  at: Date;
  birim: string;
  il: string;
  durum: string;
}

export interface SandboxShipment {
  /** The merchant's OzelKargoTakipNo (its WebSiparisKodu for tracking). */
  key: string;
  reference: string;
  kind: 'shipment' | 'return';
  /** Sürat's own 14-digit barcode. */
  barcode: string;
  /** Boxes in the shipment (Adet) and the weight of each (BirimKg). */
  pieces: number;
  unitKg: number;
  codAmount?: number;
  /** How the courier collects codAmount: KapidanOdemeTahsilatTipi 1 cash, 2 card. */
  codCollection?: 'cash' | 'card';
  /** Only what movements need: no names, streets or phones. */
  customer: { il: string; ilce: string };
  withdrawn: boolean;
  movements: Movement[];
}

/** The shipment's status before any movement (the sandbox's words). */
export const REGISTERED = 'Gönderi Oluşturuldu';
export const WITHDRAWN = 'İptal';

/** The happy path: the words each step writes and where the parcel is. */
const HAPPY_PATH: Array<{ durum: string; unit: 'origin' | 'transfer' | 'destination' }> = [
  { durum: 'Kargo Kabul', unit: 'origin' },
  { durum: 'Aktarma Merkezinde', unit: 'transfer' },
  { durum: 'Dağıtım Şubesinde', unit: 'destination' },
  { durum: 'Dağıtıma Verildi', unit: 'destination' },
  { durum: 'Teslim Edildi', unit: 'destination' },
];

const WAREHOUSE = { birim: 'Esenyurt Şube', il: 'İstanbul' };
const TRANSFER = { birim: 'İstanbul Aktarma Merkezi', il: 'İstanbul' };

export class SuratState extends CarrierState<SandboxShipment> {
  private sequence = 0;

  constructor(readonly credentials: SuratCredentials) {
    super();
  }

  protected isLive(shipment: SandboxShipment): boolean {
    return !shipment.withdrawn;
  }

  /** The carrier's status words now. */
  durum(shipment: SandboxShipment): string {
    return shipment.movements.at(-1)?.durum ?? REGISTERED;
  }

  create(
    input: Pick<SandboxShipment, 'key' | 'reference' | 'kind' | 'pieces' | 'unitKg' | 'codAmount' | 'codCollection' | 'customer'>,
  ): SandboxShipment {
    this.sequence += 1;
    const barcode = String(70_000_000_000_000 + this.sequence * 7919).slice(0, 14);
    const shipment: SandboxShipment = { ...input, barcode, withdrawn: false, movements: [] };
    this.bookings.set(shipment.key, shipment);
    return shipment;
  }

  /** The carrier lets a shipment be withdrawn only before it is taken in (the sandbox's reading: no movement yet). */
  withdrawable(shipment: SandboxShipment): boolean {
    return shipment.movements.length === 0;
  }

  withdraw(shipment: SandboxShipment): void {
    shipment.withdrawn = true;
    this.move(shipment, WITHDRAWN, WAREHOUSE);
  }

  /** The next happy-path movement, or the named words at the parcel's last place; undefined at the end of the path. */
  advance(shipment: SandboxShipment, durum?: string): Movement | undefined {
    if (durum) return this.move(shipment, durum, shipment.movements.at(-1) ?? this.place(shipment, 'origin'));
    const step = HAPPY_PATH[shipment.movements.length];
    if (!step) return undefined;
    return this.move(shipment, step.durum, this.place(shipment, step.unit));
  }

  private move(shipment: SandboxShipment, durum: string, place: { birim: string; il: string }): Movement {
    const last = shipment.movements.at(-1);
    const movement = { at: this.scanTime(last), birim: place.birim, il: place.il, durum };
    shipment.movements.push(movement);
    return movement;
  }

  /** An outbound parcel travels to the customer's district; a return from there to the warehouse. */
  private place(shipment: SandboxShipment, unit: 'origin' | 'transfer' | 'destination') {
    if (unit === 'transfer') return TRANSFER;
    const customer = { birim: `${shipment.customer.ilce} Şube`, il: shipment.customer.il };
    return (unit === 'origin') === (shipment.kind === 'shipment') ? WAREHOUSE : customer;
  }
}
