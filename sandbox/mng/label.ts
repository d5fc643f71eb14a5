// The carrier's label as createbarcode returns it: ZPL II for a 4x6 in thermal label at
// 203 dpi, one per piece, with a Code 128 barcode (^BC) of the shipment number. UTF-8 field data
// (^CI28), so Turkish names print as written.

export interface LabelParty {
  name: string;
  address?: string;
  districtName?: string;
  cityName: string;
}

export interface LabelInput {
  shipmentId: string;
  referenceId: string;
  service: 'standard' | 'express';
  kind: 'shipment' | 'return';
  sender: LabelParty;
  recipient: LabelParty;
  piece: { barcode: string; kg: number; desi: number };
  pieceNumber: number;
  pieceCount: number;
  codAmount?: number;
}

const SERVICE_NAMES = { standard: 'STANDART TESLİMAT', express: 'ÖNCELİKLİ TESLİMAT' } as const;

/** ZPL field data may not contain the command prefixes ^ and ~. */
const field = (text: string) => text.replace(/[\^~]/g, ' ');

const text = (x: number, y: number, size: number, value: string) => `^FO${x},${y}^A0N,${size},${size}^FD${field(value)}^FS`;

function party(title: string, p: LabelParty, y: number): string[] {
  const place = [p.districtName, p.cityName].filter(Boolean).join(' / ');
  return [
    text(40, y, 24, title),
    text(40, y + 32, 32, p.name),
    ...(p.address ? [text(40, y + 72, 26, p.address)] : []),
    text(40, y + 106, 30, place),
  ];
}

export function zplLabel(label: LabelInput): string {
  const cod = label.codAmount ? [text(420, 760, 30, `TAHSİLAT ${label.codAmount.toFixed(2)} TL`)] : [];
  return [
    '^XA',
    '^CI28',
    '^PW812',
    '^LL1218',
    text(40, 40, 56, 'MNG KARGO'),
    text(420, 52, 30, label.kind === 'return' ? `İADE - ${SERVICE_NAMES[label.service]}` : SERVICE_NAMES[label.service]),
    '^FO40,110^GB732,3,3^FS',
    ...party('GÖNDERİCİ', label.sender, 130),
    ...party('ALICI', label.recipient, 290),
    '^FO40,450^GB732,3,3^FS',
    `^FO80,480^BY3^BCN,220,Y,N,N^FD${field(label.shipmentId)}^FS`,
    text(40, 760, 30, `${label.piece.kg} KG / ${label.piece.desi} DESİ`),
    ...cod,
    text(40, 810, 26, `PARÇA ${label.pieceNumber}/${label.pieceCount}  ${label.piece.barcode}`),
    text(40, 850, 26, `REF ${label.referenceId}`),
    '^XZ',
  ].join('\n');
}
