// Where every label ends up, whoever made it (a carrier's booking, a marketplace's common label): the
// label in PostgreSQL, and the workflow handed its URL instead of the bytes (domain/shipment.ts
// labelUrl). Where the maker gives a barcode number only, our own PDF and ZPL are rendered; where it
// gives ZPL only, our PDF of the booking (its barcode and the ZPL's text) is kept as a rendition: PDF
// and PNG come from it, as no well-kept ZPL renderer exists.
import type { Pool } from 'pg';
import { LABEL_DATA_URL } from '../../carriers/adapter';
import { labelUrl, type Booking, type ShipmentRequest } from '../../domain/shipment';
import { zplTextFields } from '../../lib/labels/zpl';
import { renderPdfLabel, renderZplLabel, type LabelContent } from './render';

export function createLabelStore(pool: Pool) {
  async function saveLabel(shipmentId: string, format: string, content: Buffer): Promise<void> {
    await pool.query(
      `INSERT INTO labels (shipment_id, format, content) VALUES ($1, $2, $3)
       ON CONFLICT (shipment_id, format) DO UPDATE SET content = $3, created_at = now()`,
      [shipmentId, format, content],
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

  async function labelContent(request: ShipmentRequest, booking: Booking): Promise<LabelContent> {
    return {
      carrier: booking.carrier,
      trackingNumber: booking.trackingNumber,
      service: request.service,
      orderId: request.orderId,
      shipmentId: request.shipmentId,
      weightGrams: request.parcel.weightGrams,
      sender: await senderOf(request),
      recipient: request.to,
      cashOnDelivery: request.cashOnDelivery,
    };
  }

  async function saveZplRendition(request: ShipmentRequest, booking: Booking, zpl: string): Promise<void> {
    const pdf = await renderPdfLabel({ ...(await labelContent(request, booking)), carrierText: zplTextFields(zpl) });
    await pool.query(
      `INSERT INTO label_renditions (shipment_id, format, variant, content) VALUES ($1, 'pdf', '4x6', $2)
       ON CONFLICT (shipment_id, format, variant) DO UPDATE SET content = $2, created_at = now()`,
      [request.shipmentId, pdf],
    );
  }

  /** The booking's label kept (a new booking of the shipment drops the last one's label and renditions); the booking with the label's URL. */
  async function storeLabel(request: ShipmentRequest, booking: Booking): Promise<Booking> {
    const label = LABEL_DATA_URL.exec(booking.labelRef);
    // A label of another booking (another carrier's, another format) must never be printed for this one.
    await pool.query('DELETE FROM label_renditions WHERE shipment_id = $1', [request.shipmentId]);
    await pool.query('DELETE FROM labels WHERE shipment_id = $1', [request.shipmentId]);
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

  return { senderOf, storeLabel };
}
