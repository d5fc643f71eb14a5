// Reads the text of every page of a PDF with pdf.js, in a thread of its own: pdf.js ships as ES
// modules, which jest's CommonJS cannot require (lib/labels/rasterize-worker.mjs does the same).
import { parentPort, workerData } from 'node:worker_threads';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const doc = await getDocument({ data: workerData, disableFontFace: true, isEvalSupported: false, verbosity: 0 }).promise;
const pages = [];
for (let n = 1; n <= doc.numPages; n++) {
  const content = await (await doc.getPage(n)).getTextContent();
  pages.push(content.items.map((item) => item.str).join(' '));
}
await doc.destroy();
parentPort.postMessage(pages);
