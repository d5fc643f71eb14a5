// Carrier activities: quoting, booking, cancelling and tracking through the adapters. They run
// on each carrier's own task queue (workflows/definitions.ts carrierTaskQueue), whose
// activities-per-second limit keeps the carrier's API limit across every worker.
// Booking is keyed by an idempotency key, so a retried activity never books twice.
import { ApplicationFailure } from '@temporalio/activity';
import { labelUrl, type Booking, type Quote, type ShipmentRequest, type TrackingEvent } from '../../domain/shipment';
import type { Pool } from 'pg';
import { renderPdfLabel, renderZplLabel, type LabelContent } from '../labels/render';
import { LABEL_DATA_URL, type CarrierAdapter } from '../../carriers/adapter';

/** A booking (outbound or return) with one carrier, once per idempotency key. */
interface BookingInput {
  carrier: string;
  request: ShipmentRequest;
  idempotencyKey: string;
}

export function createCarrierActivities(adapters: CarrierAdapter[], pool: Pool) {
  const byName = new Map(adapters.map((a) => [a.name, a]));

  async function saveLabel(shipmentId: string, format: string, content: Buffer): Promise<void> {
    await pool.query(
      `INSERT INTO labels (shipment_id, format, content) VALUES ($1, $2, $3)
       ON CONFLICT (shipment_id, format) DO UPDATE SET content = $3, created_at = now()`,
      [shipmentId, format, content],
    );
  }

  /**
   * Keeps the carrier's label in PostgreSQL, or renders our own PDF and ZPL when the carrier
   * gives only a barcode number; the workflow gets the label's URL instead of the bytes.
   */
  async function storeLabel(request: ShipmentRequest, booking: Booking): Promise<Booking> {
    const label = LABEL_DATA_URL.exec(booking.labelRef);
    if (label) {
      await saveLabel(request.shipmentId, label[1], Buffer.from(label[2], 'base64'));
    } else {
      const content = await labelContent(request, booking);
      await saveLabel(request.shipmentId, 'pdf', await renderPdfLabel(content));
      await saveLabel(request.shipmentId, 'zpl', Buffer.from(renderZplLabel(content)));
    }
    return { ...booking, labelRef: labelUrl(request.shipmentId) };
  }

  async function labelContent(request: ShipmentRequest, booking: Booking): Promise<LabelContent> {
    const { rows } = await pool.query<{ name: string; city: string; country_code: string }>(
      'SELECT name, city, country_code FROM warehouses WHERE warehouse_id = $1',
      [request.warehouseId],
    );
    const sender = rows[0]
      ? { name: rows[0].name, city: rows[0].city, countryCode: rows[0].country_code }
      : { name: request.warehouseId, city: '', countryCode: '' };
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
      return adapter(carrier).quote(request);
    },

    async bookShipment({ carrier, request, idempotencyKey }: BookingInput): Promise<Booking> {
      return storeLabel(request, await adapter(carrier).book(request, idempotencyKey));
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
