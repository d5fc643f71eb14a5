// The codec server the Temporal UI calls to show encrypted payloads in clear (Temporal's remote
// codec protocol: POST /codec/decode and /codec/encode with {payloads: [{metadata, data}]}, bytes
// in base64). Ops only: the UI forwards the user's token when "pass access token" is on, and the
// browser may call it from the UI's origin alone. The dev server's UI has no login, so no token to
// pass: with `keylessFromUi` (development only) a call from the UI's origin needs no key.
import cors from 'cors';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { HttpError } from './errors';
import { parse } from './validation';

const Base64 = z.base64();
export const CodecBody = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), Base64).default({}), data: Base64.default('') })).max(1_000),
});
type JsonPayload = z.infer<typeof CodecBody>['payloads'][number];

const fromJson = ({ metadata, data }: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(data, 'base64'),
});
const toJson = ({ metadata, data }: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
  data: Buffer.from(data ?? []).toString('base64'),
});

export interface CodecServerOptions {
  codec: PayloadCodec;
  uiOrigin: string;
  auth: RequestHandler[];
  /** Reads the JSON body: mounted after the key check (or the keyless one), so a stranger's body is never read. */
  body: RequestHandler;
  /** DEVELOPMENT ONLY: calls from the UI's origin need no key (a UI without login has none to pass). */
  keylessFromUi?: boolean;
}

/**
 * One payload through the codec. What the UI sends is the caller's: a key id we do not hold, a
 * tampered or truncated ciphertext, bytes that are no payload are a 400 naming the payload.
 */
async function convertOne(codec: PayloadCodec, direction: 'encode' | 'decode', payload: Payload, index: number): Promise<Payload> {
  try {
    const [out] = await codec[direction]([payload]);
    return out;
  } catch (err) {
    const message = (err as Error).message;
    throw new HttpError(400, 'payload_not_decodable', `payloads.${index} cannot be ${direction}d: ${message}`, {
      issues: [{ path: `payloads.${index}`, message }],
    });
  }
}

export function codecRouter({ codec, uiOrigin, auth, body, keylessFromUi = false }: CodecServerOptions): Router {
  const router = Router();
  // Preflights carry no credentials: CORS answers them before the key is checked.
  router.use(cors({ origin: uiOrigin, methods: ['POST'], allowedHeaders: ['Authorization', 'Content-Type', 'X-Namespace'] }));
  // Without a key, only the UI's origin skips the key check; every other call takes the next route, which checks it.
  const fromUiWithoutKey: RequestHandler = (req, _res, next) => next(keylessFromUi && req.get('origin') === uiOrigin ? undefined : 'route');
  for (const direction of ['encode', 'decode'] as const) {
    const convert: RequestHandler = async (req, res) => {
      const { payloads } = parse(CodecBody, req.body);
      const out = await Promise.all(payloads.map((payload, i) => convertOne(codec, direction, fromJson(payload), i)));
      res.json({ payloads: out.map(toJson) });
    };
    router.post(`/${direction}`, fromUiWithoutKey, body, convert);
    router.post(`/${direction}`, ...auth, body, convert);
  }
  return router;
}
