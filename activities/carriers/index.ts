// Carrier activities: quoting, booking, cancelling and tracking through the adapters. They run
// on each carrier's own task queue (workflows/definitions.ts carrierTaskQueue), whose
// activities-per-second limit keeps the carrier's API limit across every worker.
// Booking is keyed by an idempotency key, so a retried activity never books twice. The day's first
// label for a carrier that offers courier pickups also books the day's pickup (activities/pickups.ts).
import { ApplicationFailure } from '@temporalio/activity';
import { labelUrl, type Booking, type Quote, type ShipmentRequest, type TrackingEvent } from '../../domain/shipment';
import type { Pool } from 'pg';
import { renderPdfLabel, renderZplLabel, type LabelContent } from '../labels/render';
import { LABEL_DATA_URL, type CarrierAdapter } from '../../carriers/adapter';
import { zplTextFields } from '../../lib/labels/zpl';
import { commercialInvoiceDue } from '../../domain/customs';
import { invoiceContent, renderCommercialInvoice } from '../labels/commercial-invoice';
import { createCustomsResolver } from './customs';
import { logger as processLogger, type Logger } from '../../lib/logger';
import { createPickupActivities } from '../pickups';

/** A booking (outbound or return) with one carrier, once per idempotency key. */
interface BookingInput {
  carrier: string;
  request: ShipmentRequest;
  idempotencyKey: string;
}

export function createCarrierActivities(adapters: CarrierAdapter[], pool: Pool, logger: Logger = processLogger) {
  const byName = new Map(adapters.map((a) => [a.name, a]));
  const withCustoms = createCustomsResolver(pool);
  const pickups = createPickupActivities(pool, adapters, logger);

  async function saveLabel(shipmentId: string, format: string, content: Buffer): Promise<void> {
    await pool.query(
      `INSERT INTO labels (shipment_id, format, content) VALUES ($1, $2, $3)
       ON CONFLICT (shipment_id, format) DO UPDATE SET content = $3, created_at = now()`,
      [shipmentId, format, content],
    );
  }

  /**
   * Keeps the carrier's label in PostgreSQL, or renders our own PDF and ZPL when the carrier
   * gives only a barcode number; the workflow gets the label's URL instead of the bytes. Where
   * the carrier gives ZPL only, our PDF of the booking (its barcode and the ZPL's text) is kept
   * as a rendition: PDF and PNG come from it, as no well-kept ZPL renderer exists. A new booking
   * of the shipment drops the renditions of the last one.
   */
  async function storeLabel(request: ShipmentRequest, booking: Booking): Promise<Booking> {
    const label = LABEL_DATA_URL.exec(booking.labelRef);
    await pool.query('DELETE FROM label_renditions WHERE shipment_id = $1', [request.shipmentId]);
    if (label) {
      const content = Buffer.from(label[2], 'base64');
      await saveLabel(request.shipmentId, label[1], content);
      if (label[1] === 'zpl') await saveZplRendition(request, booking, content.toString('utf8'));
    } else {
      const content = await labelContent(request, booking);
      await saveLabel(request.shipmentId, 'pdf', await renderPdfLabel(content));
      await saveLabel(request.shipmentId, 'zpl', Buffer.from(renderZplLabel(content)));
    }
    return { ...booking, labelRef: labelUrl(request.shipmentId) };
  }

  async function saveZplRendition(request: ShipmentRequest, booking: Booking, zpl: string): Promise<void> {
    const pdf = await renderPdfLabel({ ...(await labelContent(request, booking)), carrierText: zplTextFields(zpl) });
    await pool.query(
      `INSERT INTO label_renditions (shipment_id, format, variant, content) VALUES ($1, 'pdf', '4x6', $2)
       ON CONFLICT (shipment_id, format, variant) DO UPDATE SET content = $2, created_at = now()`,
      [request.shipmentId, pdf],
    );
  }

  async function senderOf(request: ShipmentRequest): Promise<LabelContent['sender']> {
    const { rows } = await pool.query<{ name: string; city: string; country_code: string }>(
      'SELECT name, city, country_code FROM warehouses WHERE warehouse_id = $1',
      [request.warehouseId],
    );
    return rows[0]
      ? { name: rows[0].name, city: rows[0].city, countryCode: rows[0].country_code }
      : { name: request.warehouseId, city: '', countryCode: '' };
  }

  /** The paper commercial invoice of a parcel across a customs border, kept beside its label (issue 25). */
  async function storeCommercialInvoice(request: ShipmentRequest, booking: Booking): Promise<void> {
    if (!commercialInvoiceDue(request.customs, request.to.countryCode)) return;
    const parties = {
      exporter: await senderOf(request),
      consignee: request.to,
      carrier: booking.carrier,
      trackingNumber: booking.trackingNumber,
    };
    const pdf = await renderCommercialInvoice(invoiceContent(request.customs, parties));
    await pool.query(
      `INSERT INTO shipment_documents (shipment_id, kind, content) VALUES ($1, 'commercial_invoice', $2)
       ON CONFLICT (shipment_id, kind) DO UPDATE SET content = $2, created_at = now()`,
      [request.shipmentId, pdf],
    );
  }

  async function labelContent(request: ShipmentRequest, booking: Booking): Promise<LabelContent> {
    const sender = await senderOf(request);
    return {
      carrier: booking.carrier,
      trackingNumber: booking.trackingNumber,
      service: request.service,
      orderId: request.orderId,
      shipmentId: request.shipmentId,
      weightGrams: request.parcel.weightGrams,
      sender,
      recipient: request.to,
      cashOnDelivery: request.cashOnDelivery,
    };
  }
  const adapter = (name: string): CarrierAdapter => {
    const found = byName.get(name);
    if (!found) throw ApplicationFailure.nonRetryable(`carrier ${name} is not configured`, 'UnknownCarrier');
    return found;
  };

  return {
    async quoteCarrier({ carrier, request }: { carrier: string; request: ShipmentRequest }): Promise<Quote> {
      return adapter(carrier).quote(await withCustoms(request));
    },

    async bookShipment({ carrier, request, idempotencyKey }: BookingInput): Promise<Booking> {
      const asked = await withCustoms(request);
      const booking = await adapter(carrier).book(asked, idempotencyKey);
      await storeCommercialInvoice(asked, booking);
      const labelled = await storeLabel(request, booking);
      await pickups.atLabel(adapter(carrier), request.warehouseId);
      return labelled;
    },

    async createReturn({ carrier, request, idempotencyKey }: BookingInput): Promise<Booking> {
      return storeLabel(request, await adapter(carrier).createReturn(request, idempotencyKey));
    },

    async cancelBooking({ carrier, idempotencyKey }: { carrier: string; idempotencyKey: string }): Promise<void> {
      await adapter(carrier).cancel(idempotencyKey);
    },

    async trackShipment({ carrier, trackingNumber }: { carrier: string; trackingNumber: string }): Promise<TrackingEvent[]> {
      return adapter(carrier).track([trackingNumber]);
    },

    /** A carrier that pushes scans without a subscription has nothing to do here. */
    async subscribeTracking({ carrier, trackingNumber }: { carrier: string; trackingNumber: string }): Promise<void> {
      await adapter(carrier).subscribeTracking?.(trackingNumber);
    },
  };
}
