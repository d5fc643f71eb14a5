// The commercial invoice that travels with a parcel across a customs border (issue 25): the same
// data the carrier got electronically (carriers/ups/customs.ts), on A4 paper, three copies (one
// for the parcel's pouch, one for export customs, one for import customs) since paperless upload
// is not done. pdfkit draws it with the label's font (DejaVu Sans: Turkish and most Latin scripts).
import PDFDocument from 'pdfkit';
import { FONT, FONT_BOLD, withFonts } from '../../lib/pdf-fonts';
import type { ShipmentCustoms } from '../../domain/customs';
import type { Address } from '../../domain/order';

export const INVOICE_COPIES = 3;

const MARGIN = 40;

export interface InvoiceLine {
  sku: string;
  description: string;
  hsCode: string;
  originCountry: string;
  quantity: number;
  unitValue: number;
  /** quantity × unit value, to the cent. */
  total: number;
}

export interface InvoiceContent {
  invoiceNumber: string;
  invoiceDate: string;
  carrier: string;
  trackingNumber: string;
  terms: Pick<ShipmentCustoms, 'reasonForExport' | 'dutiesTerms' | 'etgbReference' | 'iossNumber'>;
  exporter: { name: string; city: string; countryCode: string };
  consignee: Address;
  currency: string;
  lines: InvoiceLine[];
  totalValue: number;
}

const cents = (n: number) => Math.round(n * 100) / 100;

/** The invoice of a parcel whose customs data is complete (missingCustomsFields found nothing). */
export function invoiceContent(
  customs: ShipmentCustoms,
  parties: Pick<InvoiceContent, 'exporter' | 'consignee' | 'carrier' | 'trackingNumber'>,
): InvoiceContent {
  const lines = customs.lines.map((l) => ({
    sku: l.sku,
    description: l.description!,
    hsCode: l.hsCode!,
    originCountry: l.originCountry!,
    quantity: l.quantity,
    unitValue: l.unitValue!,
    total: cents(l.quantity * l.unitValue!),
  }));
  const { reasonForExport, dutiesTerms, etgbReference, iossNumber } = customs;
  return {
    ...parties,
    invoiceNumber: customs.invoiceNumber,
    invoiceDate: customs.invoiceDate,
    terms: { reasonForExport, dutiesTerms, etgbReference, iossNumber },
    currency: customs.lines[0].currency!,
    lines,
    totalValue: cents(lines.reduce((sum, l) => sum + l.total, 0)),
  };
}

const money = (n: number) => n.toFixed(2);
// The state after the city, as US and Canadian addresses write it (New York NY); customs read it to place the consignee.
const addressLines = (a: Address) =>
  [a.name, a.line1, a.line2, [a.postalCode, a.district, a.city, a.stateCode].filter(Boolean).join(' '), a.countryCode, a.phone]
    .filter(Boolean)
    .join('\n');

/** Columns of the goods table: header, x position, width, and how a line fills it. */
const COLUMNS: Array<[string, number, number, (l: InvoiceLine) => string]> = [
  ['Description', MARGIN, 150, (l) => `${l.description}\n${l.sku}`],
  ['HS code', 195, 65, (l) => l.hsCode],
  ['Origin', 265, 40, (l) => l.originCountry],
  ['Qty', 310, 35, (l) => String(l.quantity)],
  ['Unit value', 350, 80, (l) => money(l.unitValue)],
  ['Total', 435, 120, (l) => money(l.total)],
];

function drawCopy(doc: PDFKit.PDFDocument, c: InvoiceContent, copy: number): void {
  doc.font(FONT_BOLD).fontSize(18).text('COMMERCIAL INVOICE', MARGIN, MARGIN);
  doc.font(FONT).fontSize(9).text(`Copy ${copy} of ${INVOICE_COPIES}`, { align: 'right' });
  doc.moveDown(0.5).fontSize(10);
  doc.text(`Invoice ${c.invoiceNumber}   Date ${c.invoiceDate}   ${c.carrier.toUpperCase()} ${c.trackingNumber}`);
  doc.text(`Reason for export: ${c.terms.reasonForExport}   Terms of delivery: ${c.terms.dutiesTerms}`);
  if (c.terms.etgbReference) doc.text(`ETGB (Turkish e-commerce export declaration): ${c.terms.etgbReference}`);
  if (c.terms.iossNumber) doc.text(`IOSS: ${c.terms.iossNumber}`);
  const partiesTop = doc.moveDown(0.8).y;
  doc
    .font(FONT_BOLD)
    .text('Exporter', MARGIN, partiesTop)
    .font(FONT)
    .text(`${c.exporter.name}\n${c.exporter.city} ${c.exporter.countryCode}`);
  doc.font(FONT_BOLD).text('Consignee / sold to', 300, partiesTop).font(FONT).text(addressLines(c.consignee), 300);
  let y = Math.max(doc.y, partiesTop + 90) + 10;
  doc.font(FONT_BOLD).fontSize(9);
  for (const [header, x, width] of COLUMNS) doc.text(header, x, y, { width });
  y += 16;
  doc.font(FONT);
  for (const line of c.lines) {
    const heights = COLUMNS.map(([, x, width, value]) => {
      doc.text(value(line), x, y, { width });
      return doc.y - y;
    });
    y += Math.max(...heights) + 6;
  }
  doc
    .font(FONT_BOLD)
    .fontSize(10)
    .text(`Total value: ${money(c.totalValue)} ${c.currency}`, MARGIN, y + 6);
  doc.font(FONT).fontSize(9).moveDown(1.5);
  doc.text(
    'I declare that the information on this invoice is true and correct, and that the contents and value of this shipment are as stated above.',
    MARGIN,
  );
  doc.moveDown(2).text('Signature ______________________________   Name ______________________________', MARGIN);
}

/** A4, one page per copy. */
export async function renderCommercialInvoice(content: InvoiceContent): Promise<Buffer> {
  const doc = withFonts(
    new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      autoFirstPage: false,
      info: { Title: `Commercial invoice ${content.invoiceNumber}` },
    }),
  );
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  for (let copy = 1; copy <= INVOICE_COPIES; copy++) {
    doc.addPage();
    drawCopy(doc, content, copy);
  }
  doc.end();
  return done;
}
