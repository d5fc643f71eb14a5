// Many labels as one document for a printer (wave printing): one PDF with every label's pages in
// order, or one ZPL stream of every label's ^XA..^XZ formats in order.
import { PDFDocument } from 'pdf-lib';

/** Adds the PDF's pages to `merged`, or nothing when it cannot be read: pdf-lib loads some broken files and fails only on their pages. */
async function appendPages(merged: PDFDocument, pdf: Buffer): Promise<boolean> {
  try {
    const source = await PDFDocument.load(pdf);
    if (source.getPageCount() === 0) return false;
    const pages = await merged.copyPages(source, source.getPageIndices());
    for (const page of pages) merged.addPage(page);
    return true;
  } catch {
    return false;
  }
}

/** Every page of every PDF, in the order given; a PDF that cannot be read is left out and named by its index. */
export async function mergePdfs(pdfs: Buffer[]): Promise<{ pdf: Buffer; unreadable: number[] }> {
  const merged = await PDFDocument.create();
  const unreadable: number[] = [];
  for (const [i, pdf] of pdfs.entries()) if (!(await appendPages(merged, pdf))) unreadable.push(i);
  return { pdf: Buffer.from(await merged.save()), unreadable };
}

/** A printer reads ZPL formats one after another: each label's own, a line between them. */
export function joinZpl(labels: Buffer[]): Buffer {
  return Buffer.from(labels.map((label) => label.toString('utf8').trim()).join('\n') + '\n');
}
