// Carrier activities: quoting, booking, cancelling and tracking through the adapters. They run
// on each carrier's own task queue (workflows/definitions.ts carrierTaskQueue), whose
// activities-per-second limit keeps the carrier's API limit across every worker.
// Booking is keyed by an idempotency key, so a retried activity never books twice. The day's first
// label for a carrier that offers courier pickups also books the day's pickup (activities/pickups.ts).
import { ApplicationFailure } from '@temporalio/activity';
import type { Booking, Quote, ShipmentRequest, TrackingEvent } from '../../domain/shipment';
import type { Pool } from 'pg';
import { createLabelStore } from '../labels/store';
import type { CarrierAdapter } from '../../carriers/adapter';
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
  const { storeLabel, senderOf } = createLabelStore(pool);

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
