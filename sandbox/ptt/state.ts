// The PTT sandbox's memory (a CarrierState): parcels keyed by the barcode PTT gives them, found also by our
// reference (musteriReferansNo) on the account that uploaded them, each with its numbered events as
// barkodSorgu reports them (code, words, unit, time). A record deleted before acceptance keeps its events
// (the last one the deletion) but no longer answers to its reference.
import { randomInt } from 'node:crypto';
import { CarrierState } from '../state';
import type { Latency } from './api';

export const PTT_OPERATIONS = ['kabulEkle2', 'referansVeriSil', 'barkodSorgu'] as const;
export type PttOperation = (typeof PTT_OPERATIONS)[number];

/** The shipping account and the returns account, each a customer number and its password. */
export interface PttCredentials {
  customerId: string;
  password: string;
  returnCustomerId: string;
  returnPassword: string;
}

/** One event: PTT's numeric code (IKODU), its words (ISLEM), the unit (IMERK), when, and its number (siraNo). */
export interface PttScan {
  code: number;
  words: string;
  unit: string;
  at: Date;
}

export interface SandboxParcel {
  barcode: string;
  reference: string;
  /** The customer number that uploaded it: deletion and queries find it only there. */
  owner: string;
  kind: 'shipment' | 'return';
  codAmount?: number;
  /** Only what events need: the districts it is handed in at and goes to, the receiving province; no names, streets or phones. */
  from: string;
  to: { il: string; ilce: string };
  deleted: boolean;
  scans: PttScan[];
}

/** Event codes and words as integrations list them (carriers/ptt/README.md, [D]). */
export const EVENT_WORDS: Record<number, string> = {
  1: 'Kabul Edildi',
  2: 'Silindi',
  7: 'Dağıtıcıya Verildi',
  11: 'Gönderinin Geliş Kaydı Yapıldı',
  77: 'Sevk Edildi',
  99: 'İade Edilecek',
  100: 'Teslim Edildi',
  112: 'PTT İşyerine Teslim',
  120: 'Göndericisine Teslim Edildi',
  124: 'Adreste Yok/Kapalı',
  701: 'Kayıt Edildi',
};
export const REGISTERED = 701;
export const ACCEPTED = 1;
const DELETED = 2;

/** The happy path after registration: accepted at the origin office, dispatched, arrived, out for delivery, delivered. */
const HAPPY_PATH: Array<{ code: number; unit: 'origin' | 'hub' | 'destination' }> = [
  { code: ACCEPTED, unit: 'origin' },
  { code: 77, unit: 'hub' },
  { code: 11, unit: 'destination' },
  { code: 7, unit: 'destination' },
  { code: 100, unit: 'destination' },
];

export class PttState extends CarrierState<SandboxParcel> {
  constructor(
    readonly credentials: PttCredentials,
    /** How slow the double answers (api.ts's SLOW_API unless given). */
    readonly latency?: Latency,
  ) {
    super();
  }

  protected isLive(parcel: SandboxParcel): boolean {
    return !parcel.deleted;
  }

  /** The live record our reference names on an account. */
  byReference(reference: string, owner: string): SandboxParcel | undefined {
    return this.list().find((p) => p.reference === reference && p.owner === owner && !p.deleted);
  }

  /**
   * Registers an uploaded parcel under a new barcode (KP and 11 digits, as PTT's look), random so that a restarted
   * sandbox never gives again a barcode the engine has recorded (PTT's are unique for ever).
   */
  register(input: Pick<SandboxParcel, 'reference' | 'owner' | 'kind' | 'codAmount' | 'from' | 'to'>): SandboxParcel {
    let barcode: string;
    do barcode = `KP${String(randomInt(0, 100_000_000_000)).padStart(11, '0')}`;
    while (this.bookings.has(barcode));
    const parcel: SandboxParcel = { ...input, barcode, deleted: false, scans: [] };
    this.bookings.set(barcode, parcel);
    this.addScan(parcel, REGISTERED, 'GENEL MÜDÜRLÜK/WEB SERVİS');
    return parcel;
  }

  /** PTT deletes a record only before an office has accepted the parcel. */
  deletable(parcel: SandboxParcel): boolean {
    return parcel.scans.every((s) => s.code === REGISTERED);
  }

  delete(parcel: SandboxParcel): void {
    parcel.deleted = true;
    this.addScan(parcel, DELETED, 'GENEL MÜDÜRLÜK/WEB SERVİS');
  }

  latest(parcel: SandboxParcel): PttScan {
    return parcel.scans[parcel.scans.length - 1];
  }

  /** The next happy-path event, or the named one; undefined at the end of the path or once deleted. */
  advance(parcel: SandboxParcel, named?: { code: number; words?: string }): PttScan | undefined {
    if (parcel.deleted) return undefined;
    const done = parcel.scans.length - 1; // after the registration
    const step = named ? { code: named.code, unit: 'destination' as const } : HAPPY_PATH[done];
    if (!step) return undefined;
    return this.addScan(parcel, step.code, this.unit(parcel, step.unit), named?.words);
  }

  private unit(parcel: SandboxParcel, unit: 'origin' | 'hub' | 'destination'): string {
    if (unit === 'hub') return 'İSTANBUL KARGO İŞLEME MERKEZİ';
    const district = unit === 'origin' ? parcel.from : parcel.to.ilce;
    return `${district.toLocaleUpperCase('tr-TR')} PTT MERKEZİ`;
  }

  private addScan(parcel: SandboxParcel, code: number, unit: string, words?: string): PttScan {
    const scan = { code, words: words ?? EVENT_WORDS[code] ?? 'Diğer', unit, at: this.scanTime(parcel.scans.at(-1)) };
    parcel.scans.push(scan);
    return scan;
  }
}
