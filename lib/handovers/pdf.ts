// The handover list on paper: what the carrier's driver and the warehouse sign at the end of the
// day. A4, one line per parcel (order, tracking number, pieces, weight, cash to collect), the
// totals, and a box for each signature; pages numbered, the table's header on every page. The
// heading names the day's courier pickup, so the driver and the floor know which booking this is.
import PDFDocument from 'pdfkit';
import { FONT, FONT_BOLD, withFonts } from '../pdf-fonts';
import { pickupLine, type Handover } from '../../domain/handovers';

const MARGIN = 40;
const ROW = 15;
const SIGNATURE_HEIGHT = 95;
/** x of each column and its width; numbers are right-aligned. */
const COLUMNS = [
  { title: '#', x: MARGIN, width: 28, align: 'right' },
  { title: 'Order', x: MARGIN + 36, width: 130, align: 'left' },
  { title: 'Tracking number', x: MARGIN + 172, width: 150, align: 'left' },
  { title: 'Pieces', x: MARGIN + 326, width: 40, align: 'right' },
  { title: 'Weight (kg)', x: MARGIN + 370, width: 62, align: 'right' },
  { title: 'To collect', x: MARGIN + 437, width: 78, align: 'right' },
] as const;

/** Kilograms to the 10 g, rounded half up in whole units (94,005 g is 94.01, where toFixed alone says 94.00). */
const kg = (grams: number) => (Math.round(grams / 10) / 100).toFixed(2);
const money = (amount: number, currency: string) => `${amount.toFixed(2)} ${currency}`;

/** A moment as the warehouse's clock shows it: 2026-12-03 17:00. */
function local(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value;
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

export async function renderHandoverPdf(handover: Handover, { carrierName }: { carrierName: string }): Promise<Buffer> {
  const doc = withFonts(
    new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      bufferPages: true,
      info: { Title: `Handover ${handover.handoverId}` },
    }),
  );
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  heading(doc, handover, carrierName);
  table(doc, handover);
  totals(doc, handover);
  signatures(doc, carrierName);
  pageNumbers(doc, handover.handoverId);
  doc.end();
  return done;
}

function heading(doc: PDFKit.PDFDocument, h: Handover, carrierName: string): void {
  const { warehouse } = h;
  doc.font(FONT_BOLD).fontSize(18).text(`Handover list · ${carrierName}`);
  doc.font(FONT).fontSize(10).moveDown(0.3);
  doc.text(`Warehouse ${warehouse.name} (${warehouse.warehouseId}), ${warehouse.city}`);
  doc.text(
    `Day ${h.day} · cut-off ${local(h.cutoffAt, warehouse.timeZone)} (${warehouse.timeZone}) · closed ${local(h.closedAt, warehouse.timeZone)}`,
  );
  doc.text(`List ${h.handoverId}`);
  doc.text(`Courier pickup: ${pickupLine(h.pickup)}`);
  doc.moveDown(0.8);
}

function row(doc: PDFKit.PDFDocument, cells: string[], bold = false): void {
  const y = doc.y;
  doc.font(bold ? FONT_BOLD : FONT).fontSize(9);
  // One line per cell: a value too long for its column ends in an ellipsis instead of running into the next row.
  COLUMNS.forEach((c, i) => doc.text(cells[i] ?? '', c.x, y, { width: c.width, align: c.align, height: ROW - 2, ellipsis: true }));
  doc.y = y + ROW;
}

function headerRow(doc: PDFKit.PDFDocument): void {
  row(
    doc,
    COLUMNS.map((c) => c.title),
    true,
  );
  const y = doc.y - 3;
  doc
    .moveTo(MARGIN, y)
    .lineTo(doc.page.width - MARGIN, y)
    .lineWidth(0.5)
    .stroke();
}

/** Room left on the page above the bottom margin. */
const roomLeft = (doc: PDFKit.PDFDocument) => doc.page.height - MARGIN - doc.y;

function table(doc: PDFKit.PDFDocument, h: Handover): void {
  headerRow(doc);
  if (h.parcels.length === 0) row(doc, ['', 'No parcels on this list.']);
  h.parcels.forEach((p, i) => {
    if (roomLeft(doc) < ROW) {
      doc.addPage();
      headerRow(doc);
    }
    const cod = p.cashOnDelivery ? money(p.cashOnDelivery.amount, p.cashOnDelivery.currency) : '';
    row(doc, [String(i + 1), p.orderId, p.trackingNumber, String(p.pieces), kg(p.weightGrams), cod]);
  });
}

/** The totals and the signatures below them on one page: what the driver signs is on the page they sign. */
function totals(doc: PDFKit.PDFDocument, h: Handover): void {
  if (roomLeft(doc) < 4 * ROW + SIGNATURE_HEIGHT + 30) {
    doc.addPage();
    headerRow(doc);
  }
  const y = doc.y + 2;
  doc
    .moveTo(MARGIN, y)
    .lineTo(doc.page.width - MARGIN, y)
    .lineWidth(0.5)
    .stroke();
  doc.y = y + 6;
  const { parcels, pieces, weightGrams, cashOnDelivery } = h.totals;
  row(doc, ['', 'Total', `${parcels} parcels`, String(pieces), kg(weightGrams), ''], true);
  const cod = cashOnDelivery.map((c) => money(c.amount, c.currency)).join(' · ') || 'none';
  doc
    .font(FONT_BOLD)
    .fontSize(10)
    .text(`Cash on delivery to collect: ${cod}`, MARGIN, doc.y + 4);
  doc.moveDown(1.5);
}

/** Two boxes side by side: the carrier's driver takes the parcels, the warehouse hands them over. */
function signatures(doc: PDFKit.PDFDocument, carrierName: string): void {
  const top = doc.y;
  const width = (doc.page.width - 2 * MARGIN - 20) / 2;
  const boxes = [
    { x: MARGIN, title: `Driver (${carrierName})`, lines: 'Name, signature, time of pick-up' },
    { x: MARGIN + width + 20, title: 'Warehouse', lines: 'Name, signature' },
  ];
  for (const box of boxes) {
    doc.rect(box.x, top, width, SIGNATURE_HEIGHT).lineWidth(0.8).stroke();
    doc
      .font(FONT_BOLD)
      .fontSize(10)
      .text(box.title, box.x + 8, top + 8, { width: width - 16 });
    doc
      .font(FONT)
      .fontSize(8)
      .text(box.lines, box.x + 8, top + SIGNATURE_HEIGHT - 18, { width: width - 16 });
  }
  doc.x = MARGIN;
  doc.y = top + SIGNATURE_HEIGHT + 10;
}

/** In the bottom margin: pdfkit would start a new page for text below it, so the margin is lifted while writing. */
function pageNumbers(doc: PDFKit.PDFDocument, handoverId: string): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const { bottom } = doc.page.margins;
    doc.page.margins.bottom = 0;
    doc
      .font(FONT)
      .fontSize(8)
      .text(`${handoverId} · page ${i + 1} of ${count}`, MARGIN, doc.page.height - MARGIN + 8, {
        width: doc.page.width - 2 * MARGIN,
        align: 'right',
      });
    doc.page.margins.bottom = bottom;
  }
}
