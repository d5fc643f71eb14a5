// SOAP 1.1 calls to Sürat Kargo's services.asmx as spec/SuratServices.wsdl describes them: one
// endpoint, an ASP.NET service (namespace http://tempuri.org/, every child element qualified,
// SOAPAction http://tempuri.org/<operation>); replies read by element name, zod on every one.
import { z } from 'zod';
import { createSoapTransport, Opt } from '../transport/soap';
import { SURAT_CODES as CODES, CARRIER, httpFailure, messageFailure } from './errors';
import { codeOf } from './codes';

export const SERVICE_PATH = '/services.asmx';
const SERVICE_NS = 'http://tempuri.org/';

export interface SuratClientConfig {
  /** The carrier's root, e.g. https://webservices.suratkargo.com.tr or the sandbox's http://127.0.0.1:4010/surat; the service path is appended. */
  baseUrl: string;
  /** Per HTTP call, reading the body included. */
  timeoutMs: number;
  /** The account (cari kodu): creates and withdraws with its password, tracks with its web password. */
  username: string;
  password: string;
  webPassword: string;
}

// --- what the adapter sends: Gonderi in the schema's order (undefined fields are left out) ---
export interface SuratGonderi {
  KisiKurum: string;
  AliciAdresi: string;
  Il: string;
  Ilce: string;
  TelefonCep?: string;
  Email?: string;
  /** 3: a parcel (koli). */
  KargoTuru: 3;
  /** 1: the sender pays. */
  OdemeTipi: 1;
  /** Our shipment id, for people. */
  ReferansNo: string;
  /** Our key: the carrier's WebSiparisKodu for tracking and the key it withdraws by. */
  OzelKargoTakipNo: string;
  Adet: number;
  BirimDesi: string;
  BirimKg: string;
  /** 0 none, 1 cash, 2 card at the door. */
  KapidanOdemeTahsilatTipi: 0 | 1 | 2;
  KapidanOdemeTutari?: string;
  /** 1: to the address. */
  TeslimSekli: 1;
  TasimaSekli: 0;
  GonderiSekli: 0;
  Pazaryerimi: 0;
  Iademi: boolean;
}

// --- what the carrier answers (every XML value is a string; an empty element is '') ---
const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const Text = Opt(z.string().max(1000));

const CreateResultSchema = z.object({ isError: Bool, Message: Text, Barcode: Text });

const MovementSchema = z.object({
  IslemTarihi: z.string().regex(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}$/),
  Birim: Text,
  Il: Text,
  Durum: z.string().min(1).max(200),
  Aciklama: Text,
});
export type SuratMovement = z.infer<typeof MovementSchema>;
const TrackResultSchema = z.object({
  isError: Bool,
  Message: Text,
  KargoTakipNo: Text,
  Durum: Text,
  Hareketler: Opt(z.object({ Hareket: z.array(MovementSchema).default([]) })),
});
export type SuratTracking = z.infer<typeof TrackResultSchema>;

/** A withdrawal's answer is text: a success, or `HATA <code>: …`. */
const WithdrawResultSchema = z.string().max(1000);

/** What a withdrawal did: withdrawn now or before, nothing under the key, or refused (the text says why). */
export type Withdrawal = { outcome: 'withdrawn' | 'notFound' } | { outcome: 'refused'; message: string };

export function createSuratClient({ baseUrl, timeoutMs, username, password, webPassword }: SuratClientConfig) {
  const { call, parseReply } = createSoapTransport({
    carrier: CARRIER,
    baseUrl,
    timeoutMs,
    namespace: SERVICE_NS,
    lists: ['Hareket'],
    faultCodeElement: 'HataDetay.HataKodu',
    httpFailure,
  });
  const exchange = (operation: string, body: Record<string, unknown>) => call(SERVICE_PATH, `${SERVICE_NS}${operation}`, operation, body);

  return {
    /** Books one Gonderi; `created: false` when the carrier already holds its OzelKargoTakipNo (a repeat of ours). */
    async createShipment(gonderi: SuratGonderi): Promise<{ created: boolean; barcode?: string }> {
      const operation = 'GonderiyiKargoyaGonderYeniSiparisBarkodOlustur';
      const reply = await exchange(operation, { KullaniciAdi: username, Sifre: password, Gonderi: gonderi });
      const result = parseReply(operation, `${operation}Result`, reply, CreateResultSchema);
      if (!result.isError) return { created: true, barcode: result.Barcode };
      const message = result.Message ?? 'no message';
      if (codeOf(message) === CODES.duplicateKey) return { created: false };
      throw messageFailure(operation, message);
    },

    /** The shipment and its movements under our key; undefined when the carrier holds none (yet). */
    async track(key: string): Promise<SuratTracking | undefined> {
      const operation = 'KargoTakipHareketDetayliV2';
      const reply = await exchange(operation, { CariKodu: username, Sifre: webPassword, WebSiparisKodu: key });
      const result = parseReply(operation, `${operation}Result`, reply, TrackResultSchema);
      if (!result.isError) return result;
      const message = result.Message ?? 'no message';
      if (codeOf(message) === CODES.notFound) return undefined;
      throw messageFailure(operation, message);
    },

    /** Withdraws the shipment under our key (GonderiGeriCek); the caller judges a refusal. */
    async withdraw(key: string, reason: string): Promise<Withdrawal> {
      const operation = 'GonderiGeriCek';
      const reply = await exchange(operation, { KullaniciAdi: username, Sifre: password, OzelKargoTakipNo: key, IptalNeden: reason });
      const message = parseReply(operation, `${operation}Result`, reply, WithdrawResultSchema);
      const code = codeOf(message);
      if (code === undefined || code === CODES.alreadyWithdrawn) return { outcome: 'withdrawn' };
      if (code === CODES.notFound) return { outcome: 'notFound' };
      if (code === CODES.notWithdrawable) return { outcome: 'refused', message };
      throw messageFailure(operation, message);
    },
  };
}

export type SuratClient = ReturnType<typeof createSuratClient>;
