// The font our PDFs are set in (labels, commercial invoices, handover lists): DejaVu Sans covers
// Turkish (ğ ş ı İ) and most Latin scripts; PDF's built-in fonts do not. Parsed once per process and
// handed to each document as a font: named by its file, pdfkit read the file and decoded its tables
// (the shaping rules above all) again for every document, about 40 ms of CPU a label
// (docs/performance.md, the worker's profile).
import * as fontkit from 'fontkit';

export const FONT = 'DejaVuSans';
export const FONT_BOLD = 'DejaVuSans-Bold';

let parsed: Record<string, fontkit.Font> | undefined;

/** `doc` with FONT and FONT_BOLD registered: `doc.font(FONT)` sets them. */
export function withFonts(doc: PDFKit.PDFDocument): PDFKit.PDFDocument {
  parsed ??= { [FONT]: open('DejaVuSans.ttf'), [FONT_BOLD]: open('DejaVuSans-Bold.ttf') };
  // pdfkit takes a fontkit font (PDFFontFactory.open: anything with layout()) where its types say a file's bytes.
  for (const [name, font] of Object.entries(parsed)) doc.registerFont(name, font as unknown as Buffer);
  return doc;
}

function open(file: string): fontkit.Font {
  return fontkit.openSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`)) as fontkit.Font;
}
