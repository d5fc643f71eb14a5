// SOAP 1.1 calls to PTT Kargo's two Axis2 services, as carriers/ptt/spec/ captures them: the acceptance
// service (PttVeriYukleme: kabulEkle2 books, referansVeriSil deletes a record before PTT has the parcel)
// and the movement service (GonderiHareketV2: barkodSorgu, a parcel's events). Both take the customer's
// number and password in every body, qualify their beans in a namespace of their own, and answer a
// refusal as a code inside a 200. Timeouts and dropped connections are the shared transport's; zod
// checks every parsed result.
import { z } from 'zod';
import { createSoapTransport, Opt } from '../transport/soap';
import { CARRIER, httpFailure, malformedFailure, PTT_CODES as CODES, resultFailure } from './errors';

export const ACCEPTANCE_PATH = '/PttVeriYukleme/services/Sorgu';
export const MOVEMENT_PATH = '/GonderiHareketV2/services/Sorgu';
const ACCEPTANCE_NS = 'http://kabul.ptt.gov.tr';
const MOVEMENT_NS = 'http://hareket.ptt.gov.tr';
/** Every integration sends this web-service user beside the customer's own number and password ([T]). */
const WS_USER = 'PttWs';

/** A PTT customer account: shipments book on one, returns on another (their own credentials). */
export interface PttAccount {
  customerId: string;
  password: string;
}

export interface PttClientConfig {
  /** The carrier's root: production and test https://pttws.ptt.gov.tr (the test services' paths end in Test). */
  baseUrl: string;
  /** Per HTTP call, reading the body included. */
  timeoutMs: number;
}

/** The sender of a return (the customer), gondericibilgi in the schema's order. */
export interface PttSender {
  gonderici_adi: string;
  gonderici_adresi: string;
  gonderici_il_ad: string;
  gonderici_ilce_ad: string;
  gonderici_sms?: string;
  gonderici_telefonu?: string;
}

/** One parcel (dongu), fields in the schema's order (Axis2 reads a bean in order); absent ones are left out. */
export interface PttParcel {
  aAdres: string;
  aIlKodu: number;
  aIlceKodu?: number;
  /** Grams. */
  agirlik: number;
  aliciAdi: string;
  aliciEmail?: string;
  aliciIlAdi: string;
  aliciIlceAdi: string;
  aliciSms?: string;
  aliciTel?: string;
  boy: number;
  deger_ucreti: number;
  desi: number;
  /** Extra services: OS ("ödeme şartlı") when the receiver pays the goods on delivery ([T]'s list). */
  ekhizmet?: string;
  en: number;
  gondericibilgi?: PttSender;
  /** Ours: the idempotency key's hash, the record's identity at PTT. */
  musteriReferansNo: string;
  /** Cash to collect from the receiver ("ödeme şartlı"), 0 without. */
  odeme_sart_ucreti: number;
  yukseklik: number;
}

// --- what the carrier answers (every XML value is a string; an empty element is '') ---
const Int = z
  .string()
  .trim()
  .regex(/^-?\d+$/)
  .transform(String);
const Text = Opt(z.string().max(2000));

const AcceptanceSchema = z.object({
  aciklama: Text,
  dongu: z.array(z.object({ barkod: Text, donguAciklama: Text, donguHataKodu: Int, donguSonuc: Text })).default([]),
  hataKodu: Int,
});
const DeleteSchema = z.object({ aciklama: Text, hataKodu: Int });
const EventSchema = z.object({
  IKODU: z.string().trim().regex(/^\d+$/),
  IMERK: Text,
  ISAAT: z.string().regex(/^\d{2}:\d{2}:\d{2}$/),
  ISLEM: Text,
  ITARIH: z.string().regex(/^\d{2}\/\d{2}\/\d{4}$/),
  siraNo: Opt(Int),
});
export type PttEvent = z.infer<typeof EventSchema>;
const MovementSchema = z.object({ BARNO: Text, dongu: z.array(EventSchema).default([]), sonucAciklama: Text, sonucKodu: Int });

/** The keys of a bean with the prefix of the namespace its elements are qualified in (`ax:`), nested beans too. */
function qualified(bean: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(bean)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [`ax:${key}`, value && typeof value === 'object' ? qualified(value as object) : value]),
  );
}

export function createPttClient({ baseUrl, timeoutMs }: PttClientConfig) {
  /** One service at `path`: each operation's SOAPAction is urn:<operation> (Axis2), its parameter element in the service's namespace. */
  function service(path: string, namespace: string, prefix: string) {
    const soap = createSoapTransport({
      carrier: CARRIER,
      baseUrl,
      timeoutMs,
      namespace,
      prefix,
      namespaces: { ax: `${namespace}/xsd` },
      lists: ['dongu'],
      faultCodeElement: 'hataKodu',
      httpFailure,
    });
    return {
      call: (operation: string, parameter: string, bean: object) =>
        soap.call(path, `urn:${operation}`, operation, { [`${prefix}:${parameter}`]: qualified(bean) }),
      parseReply: soap.parseReply,
    };
  }
  const acceptance = service(ACCEPTANCE_PATH, ACCEPTANCE_NS, 'kab');
  const movement = service(MOVEMENT_PATH, MOVEMENT_NS, 'har');

  return {
    /**
     * Uploads one parcel as a file of its own (dosyaAdi: our reference). `created: false` when PTT already
     * holds the reference (a repeat of ours): the barcode is the one it gave then.
     */
    async kabulEkle2(account: PttAccount, parcel: PttParcel): Promise<{ created: boolean; barcode: string }> {
      const input = {
        dongu: parcel,
        dosyaAdi: parcel.musteriReferansNo,
        gonderiTip: 'NORMAL',
        gonderiTur: 'KARGO',
        kullanici: WS_USER,
        musteriId: account.customerId,
        sifre: account.password,
      };
      const reply = await acceptance.call('kabulEkle2', 'input', input);
      const result = acceptance.parseReply('kabulEkle2', 'return', reply, AcceptanceSchema);
      const [record] = result.dongu;
      if (!record && result.hataKodu !== CODES.success) {
        throw resultFailure('kabulEkle2', 'hataKodu', { code: result.hataKodu, message: result.aciklama ?? 'no message' });
      }
      if (!record) throw malformedFailure('kabulEkle2', 'no dongu for the parcel sent');
      const repeat = record.donguHataKodu === CODES.duplicateReference;
      if (!repeat && record.donguHataKodu !== CODES.success) {
        throw resultFailure('kabulEkle2', 'donguHataKodu', { code: record.donguHataKodu, message: record.donguAciklama ?? 'no message' });
      }
      if (!record.barkod) throw malformedFailure('kabulEkle2', 'no barkod for the parcel taken');
      return { created: !repeat, barcode: record.barkod };
    },

    /** Deletes the record under our reference; `false` when PTT holds none (never booked, or deleted before). */
    async referansVeriSil(account: PttAccount, reference: string): Promise<boolean> {
      const inpRefDelete = { dosyaAdi: reference, musteriId: account.customerId, referansNo: reference, sifre: account.password };
      const reply = await acceptance.call('referansVeriSil', 'inpRefDelete', inpRefDelete);
      const result = acceptance.parseReply('referansVeriSil', 'return', reply, DeleteSchema);
      if (result.hataKodu === CODES.notFound) return false;
      if (result.hataKodu !== CODES.success) {
        throw resultFailure('referansVeriSil', 'hataKodu', { code: result.hataKodu, message: result.aciklama ?? 'no message' });
      }
      return true;
    },

    /** The parcel's events, oldest first as PTT numbers them; none when PTT does not know the barcode (yet). */
    async barkodSorgu(account: PttAccount, barcode: string): Promise<PttEvent[]> {
      const input = { barkod: barcode, musteri_no: account.customerId, sifre: account.password };
      const reply = await movement.call('barkodSorgu', 'input', input);
      const result = movement.parseReply('barkodSorgu', 'return', reply, MovementSchema);
      if (result.sonucKodu === CODES.notFound) return [];
      if (result.sonucKodu === CODES.invalidCredentials || result.sonucKodu === CODES.unexpected) {
        throw resultFailure('barkodSorgu', 'sonucKodu', { code: result.sonucKodu, message: result.sonucAciklama ?? 'no message' });
      }
      return result.dongu;
    },
  };
}

export type PttClient = ReturnType<typeof createPttClient>;
