// A shipment's label in the format the station's printer takes (issue 21): the carrier's own label
// as it came where it is the one asked for, otherwise a rendition of the label's PDF (the
// carrier's, ours for a barcode-only carrier, or ours re-rendered from the booking where the
// carrier gave ZPL) rendered once and kept in label_renditions.
import type { Pool } from 'pg';
import { z } from 'zod';
import { pdfOnA4, pdfToPng, pdfToZpl, type Dpi } from '../lib/labels/convert';
import { HttpError } from './errors';

export const LABEL_FORMATS = ['pdf', 'zpl', 'png'] as const;
export type LabelFormat = (typeof LABEL_FORMATS)[number];

// An option that does not apply to the format asked for is ignored (a PDF has no resolution, a ZPL
// or PNG label no sheet): the contract cannot tie one query parameter to another's value.
export const LabelQuery = z.object({
  format: z.enum(LABEL_FORMATS).optional().describe("pdf, zpl or png; without it, the carrier's own label (PDF where it gave one)"),
  page: z
    .enum(['4x6', 'a4'])
    .optional()
    .describe('PDF only (ignored otherwise): a 4x6 in page (default) or the label at the top left of an A4 label sheet'),
  dpi: z.enum(['203', '300']).optional().describe("ZPL and PNG only (ignored otherwise): the printer's resolution (default 203)"),
});
export type LabelRequest = z.infer<typeof LabelQuery>;

export const CONTENT_TYPES: Record<LabelFormat, string> = { pdf: 'application/pdf', zpl: 'application/zpl', png: 'image/png' };

export interface Label {
  format: LabelFormat;
  content: Buffer;
  /** Whether this request rendered it (the next one reads it from label_renditions). */
  rendered: boolean;
}

/** A PDF's page, a ZPL or PNG label's resolution: what label_renditions keys a format's variants by. */
const variantOf = (format: LabelFormat, { page, dpi }: LabelRequest) => (format === 'pdf' ? (page ?? '4x6') : `${dpi ?? '203'}dpi`);

/** The carrier's label is 4x6 in; its ZPL is for a 203 dpi printer (the labels the engine renders are too). */
const CARRIER_VARIANTS: Record<string, string> = { pdf: '4x6', zpl: '203dpi' };

function render(master: Buffer, format: LabelFormat, variant: string): Promise<Buffer> {
  const dpi = Number.parseInt(variant, 10) as Dpi;
  if (format === 'pdf') return variant === 'a4' ? pdfOnA4(master) : Promise.resolve(master);
  if (format === 'png') return pdfToPng(master, dpi);
  return pdfToZpl(master, dpi).then((zpl) => Buffer.from(zpl));
}

async function rendition(pool: Pool, shipmentId: string, format: LabelFormat, variant: string): Promise<Buffer | undefined> {
  const { rows } = await pool.query<{ content: Buffer }>(
    'SELECT content FROM label_renditions WHERE shipment_id = $1 AND format = $2 AND variant = $3',
    [shipmentId, format, variant],
  );
  return rows[0]?.content;
}

export async function labelFor(pool: Pool, shipmentId: string, request: LabelRequest): Promise<Label> {
  const { rows } = await pool.query<{ format: LabelFormat; content: Buffer }>(
    'SELECT format, content FROM labels WHERE shipment_id = $1 ORDER BY format',
    [shipmentId],
  );
  if (rows.length === 0) throw new HttpError(404, 'label_not_found', `no label for ${shipmentId} (yet)`);
  const carrier = new Map(rows.map((r) => [r.format, r.content]));
  const format = request.format ?? rows[0].format;
  const variant = variantOf(format, request);

  const own = carrier.get(format);
  if (own && CARRIER_VARIANTS[format] === variant) return { format, content: own, rendered: false };
  const kept = await rendition(pool, shipmentId, format, variant);
  if (kept) return { format, content: kept, rendered: false };

  // Where the carrier gave ZPL only, the booking kept our PDF rendition of it.
  const master = carrier.get('pdf') ?? (await rendition(pool, shipmentId, 'pdf', '4x6'));
  if (!master) {
    const available = rows.map((r) => r.format);
    throw new HttpError(404, 'label_format_unavailable', `the label of ${shipmentId} was booked as ${available.join(', ')} only`, {
      available,
    });
  }
  const content = await render(master, format, variant);
  await pool.query(
    `INSERT INTO label_renditions (shipment_id, format, variant, content) VALUES ($1, $2, $3, $4)
     ON CONFLICT (shipment_id, format, variant) DO NOTHING`,
    [shipmentId, format, variant, content],
  );
  return { format, content, rendered: true };
}
