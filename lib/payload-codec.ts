// Keeps customer data (names, addresses, emails, phones) out of Temporal's histories in clear:
// every payload a client or worker sends is encrypted with AES-256-GCM before it leaves the
// process, and decrypted on the way back. The key id travels in the payload's metadata, so keys
// can rotate: new payloads use the current key, old ones name the key they need.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { loadConfig, type Config } from './config';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class AesGcmCodec implements PayloadCodec {
  /**
   * @param keys every key that may still be needed to decrypt, by id (32 bytes each)
   * @param currentKeyId the key new payloads are encrypted with
   */
  constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    private readonly currentKeyId: string,
  ) {
    if (!keys.has(currentKeyId)) throw new Error(`payload key ${currentKeyId} is not among the configured keys`);
    for (const [id, key] of keys) if (key.length !== 32) throw new Error(`payload key ${id} must be 32 bytes (AES-256), not ${key.length}`);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: encoder.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: encoder.encode(this.currentKeyId) }, data };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (decoder.decode(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload; // written before encryption was on
      const keyId = decoder.decode(payload.metadata?.[KEY_ID_METADATA]);
      const key = this.keys.get(keyId);
      if (!key) throw new Error(`payload encrypted with key ${keyId || '(none)'}, which is not configured (PAYLOAD_KEYS)`);
      const data = Buffer.from(payload.data ?? []);
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      // A tampered payload fails GCM's check here instead of being read.
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
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

export function codecFrom(config: Pick<Config, 'PAYLOAD_KEYS' | 'PAYLOAD_KEY_ID'>): AesGcmCodec {
  return new AesGcmCodec(parsePayloadKeys(config.PAYLOAD_KEYS), config.PAYLOAD_KEY_ID);
}

/** Encodes failure messages and stack traces (lib/failure-converter.ts); workflow bundles take it too (bundleWorkflowCode's option). */
export const failureConverterPath = require.resolve('./failure-converter');

/** What every client and worker of this engine uses, so each can read what the others wrote. */
export function payloadDataConverter(config: Pick<Config, 'PAYLOAD_KEYS' | 'PAYLOAD_KEY_ID'> = loadConfig()): DataConverter {
  return { payloadCodecs: [codecFrom(config)], failureConverterPath };
}
