// The Sürat carrier double: services.asmx as the spec capture describes it (carriers/surat/spec/):
// one SOAP 1.1 endpoint, SOAPAction http://tempuri.org/<operation> naming the Body's element. Every
// request and every reply is validated against the captured WSDL (sandbox/wsdl.ts); the rules the
// schema cannot express (credentials, lengths, duplicates) answer inside a 200 with the carrier's
// words, `HATA <code>: …`. Every call passes the fault plan first.
import { Router, type Request } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { sameSecret } from '../auth';
import { statusKey as foldedKey } from '../../carriers/surat/statuses';
import { TURKISH_PROVINCES } from '../../domain/turkish-provinces';
import { SoapFault, xmlOptional as Optional } from '../soap';
import { turkeyDottedDateTime } from '../turkey-time';
import { soapEndpoint } from '../wsdl';
import { SERVICE_NS, SURAT_CODES as CODES, SURAT_WSDL, refusalText, sendResult, suratSoap } from './soap';
import { SURAT_OPERATIONS, type SandboxShipment, type SuratOperation, type SuratState } from './state';

export const SURAT_SERVICE_PATH = '/services.asmx';

// --- request shapes: the WSDL guard has checked names, order and XML types; these read the values ---
const Text = Optional(z.string());
const GonderiSchema = z.object({
  AliciAdresi: Text,
  Il: Text,
  Ilce: Text,
  TelefonCep: Text,
  ReferansNo: Text,
  OzelKargoTakipNo: Text,
  Adet: z.coerce.number(),
  BirimKg: Optional(z.coerce.number()),
  KapidanOdemeTahsilatTipi: z.enum(['0', '1', '2']).catch('0'),
  KapidanOdemeTutari: Optional(z.coerce.number()),
  Iademi: z.enum(['true', 'false']).transform((v) => v === 'true'),
});
type Gonderi = z.infer<typeof GonderiSchema>;
const CreateSchema = z.object({ KullaniciAdi: Text, Sifre: Text, Gonderi: GonderiSchema });
const TrackSchema = z.object({ CariKodu: Text, Sifre: Text, WebSiparisKodu: Text });
const WithdrawSchema = z.object({ KullaniciAdi: Text, Sifre: Text, OzelKargoTakipNo: Text, IptalNeden: Text });

/** The 81 provinces, as Sürat routes by them (spelt with or without Turkish letters). */
const PROVINCES = new Set(TURKISH_PROVINCES.map(foldedKey));

/** The refusal of a Gonderi the schema accepted, in the double's order of checks; undefined when it books. */
function gonderiRefusal(gonderi: Gonderi): string | undefined {
  if (!gonderi.OzelKargoTakipNo || !Number.isInteger(gonderi.Adet) || gonderi.Adet < 1) return CODES.invalidRequest;
  if ((gonderi.AliciAdresi?.trim().length ?? 0) < 10) return CODES.addressMissing;
  if (!PROVINCES.has(foldedKey(gonderi.Il ?? ''))) return CODES.provinceUnknown;
  if (!gonderi.Ilce?.trim()) return CODES.districtMissing;
  if (!/^0?\d{10}$/.test(gonderi.TelefonCep ?? '')) return CODES.phoneInvalid;
  const cod = gonderi.KapidanOdemeTahsilatTipi !== '0';
  if (cod !== (gonderi.KapidanOdemeTutari !== undefined && gonderi.KapidanOdemeTutari > 0)) return CODES.codAmountInvalid;
  return undefined;
}

/** KapidanOdemeTahsilatTipi as [O] lists it: 0 nothing to collect, 1 cash, 2 card. */
const COLLECTIONS = { '0': undefined, '1': 'cash', '2': 'card' } as const;

const refused = (code: string) => ({ isError: true, Message: refusalText(code) });

export function suratRouter(state: SuratState, logger: Logger): Router {
  const router = Router();
  router.use(suratSoap.bodyParser);
  const { username, password, webPassword } = state.credentials;
  const signedIn = (user = '', secret = '', expected: string) => sameSecret(user, username) && sameSecret(secret, expected);

  function request<T>(req: Request, operation: SuratOperation, schema: z.ZodType<T>): T {
    return suratSoap.parse(schema, suratSoap.envelopeOf(req)[operation], `${operation} request`);
  }

  function create(req: Request) {
    const body = request(req, 'GonderiyiKargoyaGonderYeniSiparisBarkodOlustur', CreateSchema);
    if (!signedIn(body.KullaniciAdi, body.Sifre, password)) return refused(CODES.invalidCredentials);
    const gonderi = body.Gonderi;
    if (gonderi.OzelKargoTakipNo && state.get(gonderi.OzelKargoTakipNo)) return refused(CODES.duplicateKey);
    const refusal = gonderiRefusal(gonderi);
    if (refusal) return refused(refusal);
    const shipment = state.create({
      key: gonderi.OzelKargoTakipNo!,
      reference: gonderi.ReferansNo ?? '',
      kind: gonderi.Iademi ? 'return' : 'shipment',
      pieces: gonderi.Adet,
      unitKg: gonderi.BirimKg ?? 0,
      codAmount: gonderi.KapidanOdemeTutari,
      codCollection: COLLECTIONS[gonderi.KapidanOdemeTahsilatTipi],
      customer: { il: gonderi.Il ?? '', ilce: gonderi.Ilce ?? '' },
    });
    return { isError: false, Message: 'Gönderi kaydedildi', Barcode: shipment.barcode };
  }

  function movements(shipment: SandboxShipment) {
    const Hareket = shipment.movements.map((m) => ({ IslemTarihi: turkeyDottedDateTime(m.at), Birim: m.birim, Il: m.il, Durum: m.durum }));
    return Hareket.length ? { Hareket } : '';
  }

  function track(req: Request) {
    const body = request(req, 'KargoTakipHareketDetayliV2', TrackSchema);
    if (!signedIn(body.CariKodu, body.Sifre, webPassword)) return refused(CODES.invalidCredentials);
    const shipment = state.get(body.WebSiparisKodu ?? '');
    if (!shipment) return refused(CODES.notFound);
    return {
      isError: false,
      Message: 'Başarılı',
      KargoTakipNo: shipment.barcode,
      Durum: state.durum(shipment),
      Hareketler: movements(shipment),
    };
  }

  /** Withdrawn now (or before: 410), nothing under the key (404), or taken in already (409). */
  function withdraw(req: Request): string {
    const body = request(req, 'GonderiGeriCek', WithdrawSchema);
    if (!signedIn(body.KullaniciAdi, body.Sifre, password)) return refusalText(CODES.invalidCredentials);
    if (!body.IptalNeden) return refusalText(CODES.invalidRequest);
    const shipment = state.get(body.OzelKargoTakipNo ?? '');
    if (!shipment) return refusalText(CODES.notFound);
    if (shipment.withdrawn) return refusalText(CODES.alreadyWithdrawn);
    if (!state.withdrawable(shipment)) return refusalText(CODES.notWithdrawable);
    state.withdraw(shipment);
    return 'Gönderi geri çekildi';
  }

  const handlers: Record<SuratOperation, (req: Request) => unknown> = {
    GonderiyiKargoyaGonderYeniSiparisBarkodOlustur: create,
    KargoTakipHareketDetayliV2: track,
    GonderiGeriCek: withdraw,
  };

  /** The Body's element names the operation; SOAPAction must name the same one, as .asmx requires. */
  function operationOf(req: Request): SuratOperation {
    const element = (Object.keys(suratSoap.envelopeOf(req))[0] ?? '').split(':').pop() ?? '';
    if (!(SURAT_OPERATIONS as readonly string[]).includes(element))
      throw new SoapFault('Client', CODES.invalidRequest, `no operation ${element || '(empty Body)'} in this service`);
    const action = String(req.headers.soapaction ?? '').replace(/^"|"$/g, '');
    if (action !== `${SERVICE_NS}${element}`)
      throw new SoapFault('Client', CODES.invalidRequest, `SOAPAction ${action || '(none)'} does not name ${element}`);
    return element as SuratOperation;
  }

  router.post(
    SURAT_SERVICE_PATH,
    ...soapEndpoint({
      wsdl: SURAT_WSDL,
      logger,
      operationOf,
      injectFaults: (operation) => suratSoap.injectFaults(state.faults, operation),
      answer: (req, res, operation) => sendResult(res, operation, handlers[operation](req)),
    }),
  );

  router.use((req) => {
    throw new SoapFault('Client', CODES.invalidRequest, `no endpoint for ${req.method} ${req.path}`, 404);
  });
  router.use(suratSoap.errorHandler(logger));
  return router;
}
