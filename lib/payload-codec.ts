// Keeps customer data (names, addresses, emails, phones) out of Temporal's histories in clear:
// every payload a client or worker sends is encrypted with AES-256-GCM before it leaves the
// process, and decrypted on the way back. The key id travels in the payload's metadata, so keys
// can rotate: new payloads use the current key, old ones name the key they need.
//
// With PAYLOAD_COMPRESSION=deflate a payload is compressed (raw deflate) before it is encrypted,
// and says so by its encoding. Every process of this release reads both; an earlier release reads
// only the first, so compression is off until none of those runs (docs/upgrading.md). Compressing
// before encrypting lets a payload's length depend on its content: someone who reads the histories
// and puts chosen text into a payload beside a secret could, over many tries, learn the secret
// (CRIME). A payload here holds one order's or one parcel's data, whose parts come from the merchant,
// the customer and the carrier, so that needs one of them reading Temporal's store as well.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { loadConfig, type Config } from './config';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Compressed, then encrypted. */
export const COMPRESSED_ENCODING = 'binary/encrypted-deflate';
/** Authenticated with the ciphertext, so a payload cannot be read as the other form (the first form, older, has none). */
const COMPRESSED_AAD = Buffer.from(COMPRESSED_ENCODING);
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Smaller payloads (ids, statuses, empty results) gain nothing from a deflate stream's own bytes. */
const COMPRESS_FROM_BYTES = 200;
/** Far above Temporal's 2 MB limit on a payload: a stream that inflates past it is refused, not read. */
const MAX_INFLATED_BYTES = 8 * 1024 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class AesGcmCodec implements PayloadCodec {
  /**
   * @param keys every key that may still be needed to decrypt, by id (32 bytes each)
   * @param currentKeyId the key new payloads are encrypted with
   * @param compress whether new payloads are compressed first (where that makes them smaller)
   */
  constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    private readonly currentKeyId: string,
    private readonly compress = false,
  ) {
    if (!keys.has(currentKeyId)) throw new Error(`payload key ${currentKeyId} is not among the configured keys`);
    for (const [id, key] of keys) if (key.length !== 32) throw new Error(`payload key ${id} must be 32 bytes (AES-256), not ${key.length}`);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
      const { bytes, encoding } = this.packed(temporal.api.common.v1.Payload.encode(payload).finish());
      if (encoding === COMPRESSED_ENCODING) cipher.setAAD(COMPRESSED_AAD); // a swapped encoding then fails GCM's check
      const data = Buffer.concat([iv, cipher.update(bytes), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: encoder.encode(encoding), [KEY_ID_METADATA]: encoder.encode(this.currentKeyId) }, data };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = decoder.decode(payload.metadata?.encoding);
      if (encoding !== ENCRYPTED_ENCODING && encoding !== COMPRESSED_ENCODING) return payload; // written before encryption was on
      const keyId = decoder.decode(payload.metadata?.[KEY_ID_METADATA]);
      const key = this.keys.get(keyId);
      if (!key) throw new Error(`payload encrypted with key ${keyId || '(none)'}, which is not configured (PAYLOAD_KEYS)`);
      const data = Buffer.from(payload.data ?? []);
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      if (encoding === COMPRESSED_ENCODING) decipher.setAAD(COMPRESSED_AAD);
      // A tampered payload fails GCM's check here instead of being read.
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(
        encoding === COMPRESSED_ENCODING ? inflateRawSync(plain, { maxOutputLength: MAX_INFLATED_BYTES }) : plain,
      );
    });
  }

  /** The bytes to encrypt: compressed when that is on and makes them smaller. */
  private packed(plain: Uint8Array): { bytes: Uint8Array; encoding: string } {
    if (!this.compress || plain.length < COMPRESS_FROM_BYTES) return { bytes: plain, encoding: ENCRYPTED_ENCODING };
    const deflated = deflateRawSync(plain);
    return deflated.length < plain.length
      ? { bytes: deflated, encoding: COMPRESSED_ENCODING }
      : { bytes: plain, encoding: ENCRYPTED_ENCODING };
  }
}

/** `id:<base64 of 32 bytes>,id2:…` → keys by id. */
export function parsePayloadKeys(text: string): Map<string, Buffer> {
  return new Map(
    text
      .split(',')
      .filter(Boolean)
      .map((entry) => {
        const [id, key] = entry.split(':');
        return [id.trim(), Buffer.from(key ?? '', 'base64')] as const;
      }),
  );
}

/** What the codec needs of the configuration; compression is off where it is not given. */
type CodecConfig = Pick<Config, 'PAYLOAD_KEYS' | 'PAYLOAD_KEY_ID'> & Partial<Pick<Config, 'PAYLOAD_COMPRESSION'>>;

export function codecFrom(config: CodecConfig): AesGcmCodec {
  return new AesGcmCodec(parsePayloadKeys(config.PAYLOAD_KEYS), config.PAYLOAD_KEY_ID, config.PAYLOAD_COMPRESSION === 'deflate');
}

/** Encodes failure messages and stack traces (lib/failure-converter.ts); workflow bundles take it too (bundleWorkflowCode's option). */
export const failureConverterPath = require.resolve('./failure-converter');

/** What every client and worker of this engine uses, so each can read what the others wrote. */
export function payloadDataConverter(config: CodecConfig = loadConfig()): DataConverter {
  return { payloadCodecs: [codecFrom(config)], failureConverterPath };
}
