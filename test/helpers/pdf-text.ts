// The text a reader of a PDF sees, page by page, as pdf.js extracts it (test/helpers/pdf-text-worker.mjs).
import path from 'node:path';
import { Worker } from 'node:worker_threads';

export function pdfPagesText(pdf: Buffer): Promise<string[]> {
  const worker = new Worker(path.join(__dirname, 'pdf-text-worker.mjs'), { workerData: new Uint8Array(pdf) });
  return new Promise<string[]>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  }).finally(() => worker.terminate());
}
