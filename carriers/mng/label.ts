// The ZPL label we print ourselves where MNG gives none: a return (createReturnOrder answers with a
// link for the customer, not a label), and a shipment whose createbarcode answer was lost (no call
// returns an existing shipment's label). 4x6 in at 203 dpi, UTF-8 field data (^CI28), a Code 128
// barcode of the number the branch scans.
import type { Address } from '../../domain/order';

export interface OwnLabel {
  /** What the barcode carries: MNG's shipment id, or our referenceId for a return. */
  barcode: string;
  referenceId: string;
  title: string;
  from: string;
  to: Address | string;
  /** Cash to collect on delivery, in TRY: the courier must see it. */
  codAmount?: number;
}

/** ZPL field data may not contain the command prefixes ^ and ~ (an address could otherwise end the label). */
const field = (text: string) => text.replace(/[\^~]/g, ' ');
const text = (y: number, size: number, value: string) => `^FO40,${y}^A0N,${size},${size}^FD${field(value)}^FS`;
const describe = (to: Address | string) =>
  typeof to === 'string'
    ? [to]
    : [to.name, [to.line1, to.line2].filter(Boolean).join(', '), [to.district, to.city].filter(Boolean).join(' / ')];

export function ownZplLabel(label: OwnLabel): string {
  return [
    '^XA',
    '^CI28',
    '^PW812',
    '^LL1218',
    text(40, 56, `MNG KARGO  ${label.title}`),
    text(130, 26, `GÖNDERİCİ ${label.from}`),
    ...describe(label.to).map((line, i) => text(180 + i * 40, 30, i === 0 ? `ALICI ${line}` : line)),
    `^FO80,420^BY3^BCN,220,Y,N,N^FD${field(label.barcode)}^FS`,
    ...(label.codAmount ? [text(700, 30, `TAHSİLAT ${label.codAmount.toFixed(2)} TL`)] : []),
    text(750, 26, `REF ${label.referenceId}`),
    '^XZ',
  ].join('\n');
}

export const zplDataUrl = (zpl: string) => `data:application/zpl;base64,${Buffer.from(zpl).toString('base64')}`;
