// Sürat Kargo (domestic Turkey, SOAP): the connector. The protocol is client.ts, failures
// errors.ts, status words statuses.ts, the engine's shapes ↔ the carrier's adapter.ts.
import { z } from 'zod';
import { defineCarrier } from '../connector';
import { createSuratAdapter, SURAT, SURAT_CAPABILITIES } from './adapter';

export { createSuratAdapter, suratKeyFor, type SuratAdapterConfig } from './adapter';

export const suratConnector = defineCarrier({
  name: SURAT,
  displayName: 'Sürat Kargo',
  capabilities: SURAT_CAPABILITIES,
  rateLimit: 10,
  settings: z.object({
    SURAT_BASE_URL: z.url().default('http://127.0.0.1:4010/surat'),
    // The account (cari kodu) and its password create and withdraw; its web password tracks.
    SURAT_USERNAME: z.string().min(1).default('sandbox-surat-user'),
    SURAT_PASSWORD: z.string().min(1).default('sandbox-surat-pass'),
    SURAT_WEB_PASSWORD: z.string().min(1).default('sandbox-surat-web-pass'),
  }),
  secrets: ['SURAT_PASSWORD', 'SURAT_WEB_PASSWORD'],
  create: (s, { timeoutMs, log }) =>
    createSuratAdapter({
      baseUrl: s.SURAT_BASE_URL,
      username: s.SURAT_USERNAME,
      password: s.SURAT_PASSWORD,
      webPassword: s.SURAT_WEB_PASSWORD,
      timeoutMs,
      log,
    }),
});
