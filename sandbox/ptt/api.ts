// The PTT carrier double: two Axis2 services as carriers/ptt/spec/ captures them, the acceptance service
// (kabulEkle2, referansVeriSil) and the movement service (barkodSorgu), SOAPAction urn:<operation>, the
// operation named by the Body's element, the customer's number and password in every body. Every request
// and reply is validated against the service's WSDL (sandbox/wsdl.ts); a refusal is a code inside a 200,
// as PTT answers. PTT's API is slow at times: every call first waits a realistic latency with occasional
// multi-second stalls (`latency`, seeded; tests set it to none), then passes the fault plan.
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { TURKISH_PROVINCES } from '../../domain/turkish-provinces';
import { mulberry32 } from '../../lib/random';
import { sameSecret } from '../auth';
import { SoapFault, xmlOptional as Optional } from '../soap';
import { turkeyLocal } from '../turkey-time';
import { wsdlEndpoint } from '../wsdl';
import { ACCEPTANCE_NS, ACCEPTANCE_WSDL, MOVEMENT_NS, MOVEMENT_WSDL, PTT_CODES as CODES, pttSoap, sendResult } from './soap';
import type { PttOperation, PttState, SandboxParcel } from './state';

export const PTT_ACCEPTANCE_PATH = '/PttVeriYukleme/services/Sorgu';
export const PTT_MOVEMENT_PATH = '/GonderiHareketV2/services/Sorgu';
/** The web-service user every integration sends beside the customer's own credentials. */
const WS_USER = 'PttWs';

/** How slow the double answers: a base and a random share on every call, and now and then a stall of seconds. */
export interface Latency {
  baseMs: number;
  jitterMs: number;
  stallProbability: number;
  stallMs: number;
  seed?: number;
}

/** What merchants report of PTT: about half a second to a second and a half, one call in twenty stalling for seconds. */
export const SLOW_API: Latency = { baseMs: 400, jitterMs: 1_000, stallProbability: 0.05, stallMs: 6_000 };
export const NO_LATENCY: Latency = { baseMs: 0, jitterMs: 0, stallProbability: 0, stallMs: 0 };

/** The carrier's words for the codes it answers (published where codes.json says so; the rest the sandbox's). */
const MESSAGES: Record<string, string> = {
  [CODES.success]: 'BASARILI',
  [CODES.invalidCredentials]: 'Kullanıcı Şifre Hatalı',
  [CODES.duplicateReference]: 'Müşteri referans numarası daha önce yüklenmiş',
  [CODES.notFound]: 'Kayıt bulunamadı',
};

// --- request shapes: the WSDL guard has checked names, order and XML types; these read the values ---
const Text = Optional(z.string());
const Amount = Optional(z.coerce.number());
const ParcelSchema = z.object({
  aAdres: Text,
  aIlKodu: Amount,
  agirlik: Amount,
  aliciAdi: Text,
  aliciIlAdi: Text,
  aliciIlceAdi: Text,
  musteriReferansNo: Text,
  odeme_sart_ucreti: Amount,
  gondericibilgi: Optional(z.object({ gonderici_ilce_ad: Text })),
});
type Parcel = z.infer<typeof ParcelSchema>;
const Account = { musteriId: Text, sifre: Text };
const UploadSchema = z.object({ input: z.object({ ...Account, dongu: z.array(ParcelSchema).default([]), kullanici: Text }) });
const DeleteSchema = z.object({ inpRefDelete: z.object({ ...Account, referansNo: Text }) });
const QuerySchema = z.object({ input: z.object({ barkod: Text, musteri_no: Text, sifre: Text }) });

const sameName = (a: string, b: string) => a.toLocaleUpperCase('tr-TR') === b.toLocaleUpperCase('tr-TR');

/** The sandbox's checks of a parcel (PTT's are unpublished): a routable address, a name, a sensible weight. */
function parcelRefusal(parcel: Parcel): string | undefined {
  const address = parcel.aAdres?.trim() ?? '';
  if (address.length < 10 || address.length > 500) return 'Alıcı adresi 10-500 karakter olmalıdır';
  if (!parcel.aliciAdi) return 'Alıcı adı boş olamaz';
  const province = TURKISH_PROVINCES.findIndex((p) => sameName(p, parcel.aliciIlAdi ?? ''));
  if (province < 0) return 'Alıcı il adı hatalı';
  if (parcel.aIlKodu !== undefined && parcel.aIlKodu !== province + 1) return 'Alıcı il kodu il adıyla uyuşmuyor';
  if (!parcel.aliciIlceAdi) return 'Alıcı ilçe adı boş olamaz';
  return undefined;
}

/** dd/MM/yyyy and HH:mm:ss in Turkey's local time, as barkodSorgu writes them. */
function pttDateTime(at: Date): { date: string; time: string } {
  const { date, time } = turkeyLocal(at);
  return { date: `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`, time };
}

/** Waits `latency` on every call, drawing the random share and the stalls from its seed. */
function slowly(latency: Latency): RequestHandler {
  const random = mulberry32(latency.seed ?? 7);
  return (_req, _res, next) => {
    const stall = random() < latency.stallProbability ? latency.stallMs : 0;
    const ms = latency.baseMs + Math.round(random() * latency.jitterMs) + stall;
    if (ms === 0) return next();
    setTimeout(next, ms);
  };
}

export function pttRouter(state: PttState, logger: Logger, latency: Latency = SLOW_API): Router {
  const router = Router();
  router.use(pttSoap.bodyParser);
  router.use(slowly(latency));

  /** The account the credentials name; undefined when they are wrong (PTT answers -1 inside a 200). */
  function accountOf(customerId = '', password = ''): { id: string; kind: SandboxParcel['kind'] } | undefined {
    const { customerId: shipping, password: shippingPassword, returnCustomerId, returnPassword } = state.credentials;
    if (sameSecret(customerId, shipping) && sameSecret(password, shippingPassword)) return { id: shipping, kind: 'shipment' };
    if (sameSecret(customerId, returnCustomerId) && sameSecret(password, returnPassword)) return { id: returnCustomerId, kind: 'return' };
    return undefined;
  }

  const outcome = (code: string, message = MESSAGES[code]) => ({ aciklama: message, hataKodu: code });

  function request<T>(req: Request, operation: PttOperation, schema: z.ZodType<T>): T {
    return pttSoap.parse(schema, pttSoap.envelopeOf(req)[operation], `${operation} request`);
  }

  function upload(parcel: Parcel, account: { id: string; kind: SandboxParcel['kind'] }) {
    const reference = parcel.musteriReferansNo ?? '';
    const held = reference ? state.byReference(reference, account.id) : undefined;
    if (held) return { barkod: held.barcode, ...dongu(CODES.duplicateReference, MESSAGES[CODES.duplicateReference]) };
    const refused = reference ? parcelRefusal(parcel) : 'Müşteri referans numarası boş olamaz';
    if (refused) return dongu(CODES.addressInvalid, refused);
    const to = { il: parcel.aliciIlAdi!, ilce: parcel.aliciIlceAdi! };
    const codAmount = parcel.odeme_sart_ucreti || undefined;
    // A shipment is handed in at the sandbox warehouse's office; a return at its sender's (the customer's).
    const from = parcel.gondericibilgi?.gonderici_ilce_ad ?? 'Esenyurt';
    const { barcode } = state.register({ reference, owner: account.id, kind: account.kind, codAmount, from, to });
    return { barkod: barcode, ...dongu(CODES.success, MESSAGES[CODES.success]) };
  }

  const dongu = (code: string, message: string) => ({ donguAciklama: message, donguHataKodu: code, donguSonuc: code === CODES.success });

  function kabulEkle2(req: Request) {
    const { input } = request(req, 'kabulEkle2', UploadSchema);
    const account = input.kullanici === WS_USER ? accountOf(input.musteriId, input.sifre) : undefined;
    if (!account) return outcome(CODES.invalidCredentials);
    // The upload succeeds as a whole; each parcel says its own outcome.
    return { aciklama: MESSAGES[CODES.success], dongu: input.dongu.map((parcel) => upload(parcel, account)), hataKodu: CODES.success };
  }

  function referansVeriSil(req: Request) {
    const { inpRefDelete } = request(req, 'referansVeriSil', DeleteSchema);
    const account = accountOf(inpRefDelete.musteriId, inpRefDelete.sifre);
    if (!account) return outcome(CODES.invalidCredentials);
    const parcel = state.byReference(inpRefDelete.referansNo ?? '', account.id);
    if (!parcel) return outcome(CODES.notFound);
    if (!state.deletable(parcel)) {
      const { code, words } = state.latest(parcel);
      return outcome(CODES.alreadyAccepted, `Gönderi kabul edilmiş, silinemez: ${code} ${words}`);
    }
    state.delete(parcel);
    return outcome(CODES.success, '1 adet kayit silindi.');
  }

  function barkodSorgu(req: Request) {
    const { input } = request(req, 'barkodSorgu', QuerySchema);
    const account = accountOf(input.musteri_no, input.sifre);
    if (!account) return { sonucAciklama: MESSAGES[CODES.invalidCredentials], sonucKodu: CODES.invalidCredentials };
    const parcel = state.get(input.barkod ?? '');
    if (parcel?.owner !== account.id) return { sonucAciklama: MESSAGES[CODES.notFound], sonucKodu: CODES.notFound };
    const latest = state.latest(parcel);
    return {
      BARNO: parcel.barcode,
      IMERK: latest.unit,
      ITARIH: turkeyLocal(latest.at).date.replaceAll('-', ''),
      VMERK: parcel.to.il.toLocaleUpperCase('tr-TR'),
      dongu: parcel.scans.map((scan, i) => {
        const { date, time } = pttDateTime(scan.at);
        return { IKODU: scan.code, IMERK: scan.unit, ISAAT: time, ISLEM: scan.words, ITARIH: date, siraNo: i + 1 };
      }),
      sonucAciklama: `https://pttws.ptt.gov.tr/Gonderi_Sorgu/faces/index.xhtml?barkod=${parcel.barcode}`,
      sonucKodu: CODES.success,
    };
  }

  const services = [
    { path: PTT_ACCEPTANCE_PATH, wsdl: ACCEPTANCE_WSDL, namespace: ACCEPTANCE_NS, handlers: { kabulEkle2, referansVeriSil } },
    { path: PTT_MOVEMENT_PATH, wsdl: MOVEMENT_WSDL, namespace: MOVEMENT_NS, handlers: { barkodSorgu } },
  ];
  for (const { path, wsdl, namespace, handlers } of services) {
    const operations = Object.keys(handlers) as Array<keyof typeof handlers>;
    const answer = (operation: keyof typeof handlers, req: Request, res: Response) =>
      sendResult(res, namespace, operation, (handlers[operation] as (req: Request) => object)(req));
    router.post(path, ...wsdlEndpoint({ dialect: pttSoap, operations, faults: state.faults, wsdl, logger, answer }));
  }

  router.use((req) => {
    throw new SoapFault('Client', CODES.invalidRequest, `no endpoint for ${req.method} ${req.path}`, 404);
  });
  router.use(pttSoap.errorHandler(logger));
  return router;
}
