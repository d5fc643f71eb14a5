// Our own shipping labels, for carriers that give only a barcode number: a 4x6 in PDF and a
// ZPL label for thermal printers, each with a Code 128 barcode of the tracking number,
// sender, recipient, weight, service and order reference. pdfkit draws the PDF, bwip-js the
// barcode; the ZPL printer draws its own barcode from the ^BC command.
import bwipjs from 'bwip-js';
import PDFDocument from 'pdfkit';
import { FONT, FONT_BOLD, withFonts } from '../../lib/pdf-fonts';
import type { Address } from '../../domain/order';
import type { ShipmentRequest } from '../../domain/shipment';

export interface LabelContent {
  carrier: string;
  trackingNumber: string;
  service: string;
  orderId: string;
  shipmentId: string;
  weightGrams: number;
  sender: { name: string; city: string; countryCode: string };
  recipient: Address;
  cashOnDelivery?: ShipmentRequest['cashOnDelivery'];
  /** The words of the carrier's own label (routing codes, pieces, cash to collect), where it gave one. */
  carrierText?: string[];
}

const POINTS_PER_INCH = 72;

const kg = (grams: number) => `${(grams / 1000).toFixed(2)} kg`;

/** What the courier collects at the door, and how: the order's collection type, cash when it named none. */
const collectionLine = ({ cashOnDelivery: cod }: LabelContent) =>
  cod && `Collect ${cod.amount.toFixed(2)} ${cod.currency} ${cod.collectionType === 'card' ? 'by card' : 'in cash'}`;

function recipientLines(a: Address): string[] {
  return [a.name, a.line1, a.line2, [a.postalCode, a.district, a.city].filter(Boolean).join(' '), a.countryCode].filter((l): l is string =>
    Boolean(l),
  );
}

export async function renderPdfLabel(label: LabelContent): Promise<Buffer> {
  const barcode = await bwipjs.toBuffer({
    bcid: 'code128',
    text: label.trackingNumber,
    scale: 3,
    height: 18,
    includetext: true,
    textxalign: 'center',
  });
  const doc = withFonts(
    new PDFDocument({
      size: [4 * POINTS_PER_INCH, 6 * POINTS_PER_INCH],
      margin: 14,
      compress: false,
      info: { Title: `Label ${label.trackingNumber}` },
    }),
  );
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  doc.font(FONT_BOLD).fontSize(16).text(`${label.carrier.toUpperCase()} · ${label.service}`);
  doc.font(FONT).fontSize(8).text(`From: ${label.sender.name}, ${label.sender.city} ${label.sender.countryCode}`).moveDown(0.8);
  doc.font(FONT_BOLD).fontSize(9).text('TO');
  doc.font(FONT).fontSize(12).text(recipientLines(label.recipient).join('\n')).moveDown(0.8);
  doc.image(barcode, { fit: [260, 90], align: 'center' }).moveDown(0.5);
  doc.font(FONT).fontSize(9).text(`Tracking ${label.trackingNumber}`);
  doc.text(`Weight ${kg(label.weightGrams)}   Order ${label.orderId}   Parcel ${label.shipmentId}`);
  const collect = collectionLine(label);
  if (collect) doc.font(FONT_BOLD).fontSize(12).text(collect);
  if (label.carrierText?.length) doc.moveDown(0.5).font(FONT).fontSize(7).text(label.carrierText.join('  ·  '));
  doc.end();
  return done;
}

/** ZPL field data may not contain the command prefixes ^ and ~. */
const zplField = (text: string) => text.replace(/[\^~]/g, ' ');

/** 4x6 in at 203 dpi (812 x 1218 dots), UTF-8 text (^CI28), Code 128 by the printer (^BC). */
export function renderZplLabel(label: LabelContent): string {
  const lines = recipientLines(label.recipient);
  const collect = collectionLine(label);
  return [
    '^XA',
    '^CI28',
    '^PW812',
    '^LL1218',
    `^FO40,40^A0N,50,50^FD${zplField(`${label.carrier.toUpperCase()} ${label.service}`)}^FS`,
    `^FO40,110^A0N,24,24^FDFrom: ${zplField(`${label.sender.name}, ${label.sender.city} ${label.sender.countryCode}`)}^FS`,
    '^FO40,170^A0N,28,28^FDTO^FS',
    ...lines.map((line, i) => `^FO40,${210 + i * 40}^A0N,34,34^FD${zplField(line)}^FS`),
    `^FO60,520^BY3^BCN,220,Y,N,N^FD${zplField(label.trackingNumber)}^FS`,
    `^FO40,840^A0N,28,28^FDWeight ${kg(label.weightGrams)}^FS`,
    `^FO40,880^A0N,28,28^FDOrder ${zplField(label.orderId)}^FS`,
    `^FO40,920^A0N,28,28^FDParcel ${zplField(label.shipmentId)}^FS`,
    ...(collect ? [`^FO40,970^A0N,40,40^FD${zplField(collect)}^FS`] : []),
    '^XZ',
  ].join('\n');
}
