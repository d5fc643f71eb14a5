// Carrier activities: rate shopping, booking, cancelling and tracking through the adapters.
// Booking is keyed by an idempotency key, so a retried activity never books twice.
import { ApplicationFailure } from '@temporalio/activity';
import type { Booking, Quote, ShipmentRequest, TrackingEvent } from '../../domain/shipment';
import type { Pool } from 'pg';
import { canCarry, LABEL_DATA_URL, type CarrierAdapter } from './adapter';

export interface QuoteRequest {
  request: ShipmentRequest;
  /** Carriers to prefer, best first; the rest follow by price. */
  preferred?: string[];
  /** Only these carriers (an ops retry naming one). */
  only?: string[];
}

/** Preferred carriers first, then the cheapest, then the fastest. */
export function rankQuotes(quotes: Quote[], preferred: string[] = []): Quote[] {
  const rank = (q: Quote) => {
    const i = preferred.indexOf(q.carrier);
    return i === -1 ? preferred.length : i;
  };
  return [...quotes].sort((a, b) => rank(a) - rank(b) || a.amount - b.amount || a.transitDays - b.transitDays);
}

/** Where the API serves a shipment's label. */
export const labelUrl = (shipmentId: string) => `/v1/shipments/${encodeURIComponent(shipmentId)}/label`;

export function createCarrierActivities(adapters: CarrierAdapter[], pool: Pool) {
  const byName = new Map(adapters.map((a) => [a.name, a]));

  /** Keeps the carrier's label in PostgreSQL and gives the workflow its URL instead of the bytes. */
  async function storeLabel(shipmentId: string, booking: Booking): Promise<Booking> {
    const label = LABEL_DATA_URL.exec(booking.labelRef);
    if (!label) return booking; // no label from this carrier (barcode only)
    await pool.query(
      `INSERT INTO labels (shipment_id, format, content) VALUES ($1, $2, $3)
       ON CONFLICT (shipment_id, format) DO UPDATE SET content = $3, created_at = now()`,
      [shipmentId, label[1], Buffer.from(label[2], 'base64')],
    );
    return { ...booking, labelRef: labelUrl(shipmentId) };
  }
  const adapter = (name: string): CarrierAdapter => {
    const found = byName.get(name);
    if (!found) throw ApplicationFailure.nonRetryable(`carrier ${name} is not configured`, 'UnknownCarrier');
    return found;
  };

  return {
    /** Quotes from every eligible carrier, ranked; a carrier that fails to quote is left out. */
    async quoteCarriers({ request, preferred, only }: QuoteRequest): Promise<Quote[]> {
      const eligible = adapters.filter((a) => canCarry(a, request) && (!only || only.includes(a.name)));
      const settled = await Promise.allSettled(eligible.map((a) => a.quote(request)));
      const quotes = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      return rankQuotes(quotes, preferred);
    },

    async bookShipment({ carrier, request, idempotencyKey }: { carrier: string; request: ShipmentRequest; idempotencyKey: string }): Promise<Booking> {
      return storeLabel(request.shipmentId, await adapter(carrier).book(request, idempotencyKey));
    },

    async createReturn({ carrier, request, idempotencyKey }: { carrier: string; request: ShipmentRequest; idempotencyKey: string }): Promise<Booking> {
      return storeLabel(request.shipmentId, await adapter(carrier).createReturn(request, idempotencyKey));
    },

    async cancelBooking({ carrier, idempotencyKey }: { carrier: string; idempotencyKey: string }): Promise<void> {
      await adapter(carrier).cancel(idempotencyKey);
    },

    async trackShipment({ carrier, trackingNumber }: { carrier: string; trackingNumber: string }): Promise<TrackingEvent[]> {
      return adapter(carrier).track([trackingNumber]);
    },

    async carrierPushesTracking({ carrier }: { carrier: string }): Promise<boolean> {
      return adapter(carrier).capabilities.pushTracking;
    },
  };
}
