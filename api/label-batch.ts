// Wave printing (issue 21): a station prints many labels at once, listed by id or chosen by a
// filter, as one PDF or one ZPL stream in the floor's order (carrier, then order, then parcel).
// A parcel that cannot print is listed with its reason and the others print. The answer is JSON
// (what printed, what did not, where the document is); the print agent fetches the document at
// that URL within the hour and sends it to the printer as it is.
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { DatabaseError, type Pool } from 'pg';
import { z } from 'zod';
import { text } from '../domain/order';
import { joinZpl, mergePdfs } from '../lib/labels/merge';
import { HttpError, validationError } from './errors';
import { CONTENT_TYPES, LabelQuery, labelFor, type LabelFormat } from './label-formats';
import { ListQuery } from './orders';
import { ShipmentParams } from './shipments';
import { SqlConditions } from './sql-conditions';
import { parse } from './validation';

/** A wave of a few hundred labels: 500 renders in a few seconds from kept renditions and merges to some MB. */
export const MAX_BATCH_LABELS = 500;
/** Renditions in flight at once: the rasterizer is one thread, and 500 PDFs must not wait on it in memory together. */
const RENDER_CONCURRENCY = 4;
/** A progress line every this many labels. */
const PROGRESS_EVERY = 50;
/** How long the document is served: labels carry names and addresses. */
const DOCUMENT_HOURS = 1;

const options = {
  format: z.enum(['pdf', 'zpl']).describe('pdf: one PDF, each label its own page(s); zpl: one stream of ZPL labels (^XA..^XZ each)'),
  page: LabelQuery.shape.page,
  dpi: LabelQuery.shape.dpi,
};

export const PrintFilter = z.object({
  carrier: ListQuery.shape.carrier.describe("the parcels' carrier"),
  warehouse: text(64, { min: 0 }).optional().describe('the warehouse the parcels ship from'),
  channel: ListQuery.shape.channel.describe("the orders' sales channel"),
  labelledSince: ListQuery.shape.from.describe('labelled at or after (date-time, or a date: its start in UTC)'),
  labelledBefore: ListQuery.shape.to.describe('labelled before (date-time, or a date: its start in UTC)'),
});

const ById = z.object({
  shipmentIds: z
    .array(ShipmentParams.shape.shipmentId)
    .min(1)
    .max(MAX_BATCH_LABELS)
    .describe(`up to ${MAX_BATCH_LABELS} shipments; one listed twice prints once`),
  ...options,
});
const ByFilter = z.object({
  filter: PrintFilter.describe("every parcel that is labelled and not yet with its carrier, narrowed by these (none: every warehouse's)"),
  ...options,
});
export const PrintBatchBody = z.union([ById, ByFilter]);
type PrintBatchRequest = z.infer<typeof PrintBatchBody>;

export const BatchParams = z.object({ batchId: z.uuid() });

/** A parcel the batch may print, as the records know it. */
interface Parcel {
  shipment_id: string;
  order_id: string;
  carrier: string | null;
  tracking_number: string | null;
  status: string;
}

interface Unprintable {
  shipmentId: string;
  error: string;
  message: string;
}

const PARCEL_COLUMNS = 's.shipment_id, s.order_id, s.carrier, s.tracking_number, s.status';
/** The floor's order: carrier by carrier, each carrier's parcels by order, an order's parcels by number. */
const FLOOR_ORDER = `s.carrier, s.order_id, substring(s.shipment_id from '-(\\d+)$')::int`;

/** The union's own error names no field: the form the body meant does (the ids, unless it gives only a filter). */
function parseBody(body: unknown): PrintBatchRequest {
  const parsed = PrintBatchBody.safeParse(body);
  if (parsed.success) return parsed.data;
  const meant = typeof body === 'object' && body !== null && 'filter' in body && !('shipmentIds' in body) ? ByFilter : ById;
  throw validationError(meant.safeParse(body).error ?? parsed.error);
}

async function listedParcels(pool: Pool, shipmentIds: string[]): Promise<{ parcels: Parcel[]; errors: Unprintable[] }> {
  const unique = [...new Set(shipmentIds)];
  const { rows } = await pool.query<Parcel>(
    `SELECT ${PARCEL_COLUMNS} FROM shipments s WHERE s.shipment_id = ANY($1) ORDER BY ${FLOOR_ORDER}`,
    [unique],
  );
  const found = new Set(rows.map((r) => r.shipment_id));
  const errors = unique
    .filter((id) => !found.has(id))
    .map((shipmentId) => ({ shipmentId, error: 'shipment_not_found', message: `no shipment ${shipmentId}` }));
  // A cancelled parcel's label was voided with the carrier: printed, it would travel on a dead label.
  for (const r of rows.filter((p) => p.status === 'cancelled'))
    errors.push({ shipmentId: r.shipment_id, error: 'shipment_cancelled', message: `${r.shipment_id} was cancelled: its label is void` });
  return { parcels: rows.filter((p) => p.status !== 'cancelled'), errors };
}

async function filteredParcels(pool: Pool, f: z.infer<typeof PrintFilter>): Promise<Parcel[]> {
  const filter = new SqlConditions();
  filter.push(`s.status = 'labelled'`);
  filter.push(`s.kind = 'outbound'`);
  if (f.carrier) filter.add('s.carrier = ?', f.carrier);
  if (f.warehouse) filter.add('s.warehouse_id = ?', f.warehouse);
  if (f.channel) filter.add('o.channel = ?', f.channel);
  // As Date values: node-postgres writes year 0 as 1 BC, where PostgreSQL refuses the text "0000-01-01".
  if (f.labelledSince) filter.add('m.at >= ?', new Date(f.labelledSince));
  if (f.labelledBefore) filter.add('m.at < ?', new Date(f.labelledBefore));
  const { rows } = await pool.query<Parcel & { matched: string }>(
    `SELECT ${PARCEL_COLUMNS}, count(*) OVER () AS matched
       FROM shipments s JOIN orders o ON o.order_id = s.order_id
       LEFT JOIN shipment_milestones m ON m.shipment_id = s.shipment_id AND m.status = 'labelled'
      ${filter.where()} ORDER BY ${FLOOR_ORDER} LIMIT ${filter.param(MAX_BATCH_LABELS + 1)}`,
    filter.params,
  );
  const matched = Number(rows[0]?.matched ?? 0);
  if (matched > MAX_BATCH_LABELS)
    throw new HttpError(
      409,
      'batch_too_large',
      `${matched} parcels match, over ${MAX_BATCH_LABELS} a batch: narrow the filter (carrier, warehouse, labelledSince, labelledBefore)`,
      { matched, maximum: MAX_BATCH_LABELS },
    );
  return rows;
}

/** A parcel's label (and whether this batch rendered it, or found it kept), or why it cannot print. */
/** A label the rasterizer or pdf-lib cannot read fails that label; the database's or the network's errors (a code) fail the batch. */
const isRenderingFault = (err: unknown) =>
  err instanceof Error && !(err instanceof DatabaseError) && typeof (err as { code?: unknown }).code !== 'string';

type Rendered = { parcel: Parcel; content: Buffer; rendered: boolean } | { parcel: Parcel; error: Unprintable };

/** Each parcel's label in the batch's format, a few at a time, in the parcels' order; progress logged. */
async function renderLabels(
  pool: Pool,
  parcels: Parcel[],
  request: PrintBatchRequest,
  progress: (done: number) => void,
): Promise<Rendered[]> {
  const results = new Array<Rendered>(parcels.length);
  let next = 0;
  let done = 0;
  const renderOne = async (parcel: Parcel): Promise<Rendered> => {
    try {
      const { content, rendered } = await labelFor(pool, parcel.shipment_id, {
        format: request.format,
        page: request.page,
        dpi: request.dpi,
      });
      return { parcel, content, rendered };
    } catch (err) {
      const { shipment_id: shipmentId } = parcel;
      if (err instanceof HttpError) return { parcel, error: { shipmentId, error: err.code, message: err.message } };
      if (!isRenderingFault(err)) throw err;
      const message = `the label of ${shipmentId} could not be drawn as ${request.format}: ${(err as Error).message}`;
      return { parcel, error: { shipmentId, error: 'label_unreadable', message } };
    }
  };
  const lane = async () => {
    while (next < parcels.length) {
      const i = next++;
      results[i] = await renderOne(parcels[i]);
      done += 1;
      if (done % PROGRESS_EVERY === 0) progress(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(RENDER_CONCURRENCY, parcels.length) }, lane));
  return results;
}

/** The labels as one document; a PDF label that cannot be read joins the errors. */
async function mergeLabels(format: LabelFormat, labels: { parcel: Parcel; content: Buffer }[]) {
  if (format === 'zpl') return { document: joinZpl(labels.map((l) => l.content)), printed: labels, errors: [] };
  const { pdf, unreadable } = await mergePdfs(labels.map((l) => l.content));
  const errors = unreadable.map((i) => ({
    shipmentId: labels[i].parcel.shipment_id,
    error: 'label_unreadable',
    message: `the label of ${labels[i].parcel.shipment_id} is not a PDF that can be read`,
  }));
  return { document: pdf, printed: labels.filter((_, i) => !unreadable.includes(i)), errors };
}

export function labelBatchRouter({ pool }: { pool: Pool }): Router {
  const router = Router();
  const documentUrl = (batchId: string) => `/v1/labels/print-batch/${batchId}`;

  router.post('/print-batch', async (req, res) => {
    const request = parseBody(req.body);
    const started = Date.now();
    const batchId = randomUUID();
    const selected =
      'shipmentIds' in request
        ? await listedParcels(pool, request.shipmentIds)
        : { parcels: await filteredParcels(pool, request.filter), errors: [] };
    const total = selected.parcels.length;
    const log = req.log.child({ batchId, format: request.format });
    log.info({ done: 0, total }, 'batch printing');
    const rendered = await renderLabels(pool, selected.parcels, request, (done) => log.info({ done, total }, 'batch printing'));
    const labels = rendered.filter((r) => 'content' in r);
    const merged = await mergeLabels(request.format, labels);
    const errors = [...selected.errors, ...rendered.flatMap((r) => ('error' in r ? [r.error] : [])), ...merged.errors];
    const renderedNow = labels.filter((l) => l.rendered).length;
    log.info(
      { done: total, total, printed: merged.printed.length, errors: errors.length, rendered: renderedNow, ms: Date.now() - started },
      'batch printed',
    );
    if (merged.printed.length === 0) throw new HttpError(404, 'nothing_to_print', 'no label in this batch can print', { errors });

    await pool.query(`DELETE FROM label_batches WHERE created_at < now() - make_interval(hours => $1)`, [DOCUMENT_HOURS]);
    const { rows } = await pool.query<{ expires_at: Date }>(
      `INSERT INTO label_batches (batch_id, format, content, labels) VALUES ($1, $2, $3, $4)
       RETURNING created_at + make_interval(hours => $5) AS expires_at`,
      [batchId, request.format, merged.document, merged.printed.length, DOCUMENT_HOURS],
    );
    res
      .status(201)
      .location(documentUrl(batchId))
      .json({
        batchId,
        document: documentUrl(batchId),
        contentType: CONTENT_TYPES[request.format],
        expiresAt: rows[0].expires_at,
        printed: merged.printed.map(({ parcel }) => ({
          shipmentId: parcel.shipment_id,
          orderId: parcel.order_id,
          carrier: parcel.carrier,
          trackingNumber: parcel.tracking_number,
        })),
        errors,
      });
  });

  router.get('/print-batch/:batchId', async (req, res) => {
    const { batchId } = parse(BatchParams, req.params, 'path');
    const { rows } = await pool.query<{ format: LabelFormat; content: Buffer }>(
      `SELECT format, content FROM label_batches WHERE batch_id = $1 AND created_at >= now() - make_interval(hours => $2)`,
      [batchId, DOCUMENT_HOURS],
    );
    if (rows.length === 0) throw new HttpError(404, 'batch_not_found', `no print batch ${batchId} (or it is over ${DOCUMENT_HOURS} h old)`);
    const { format, content } = rows[0];
    res.type(CONTENT_TYPES[format]).setHeader('Content-Disposition', `attachment; filename="labels-${batchId}.${format}"`);
    res.send(content);
  });

  return router;
}
