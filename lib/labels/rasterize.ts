// The PDF rasterizer's thread (rasterize-worker.mjs): started on the first label that needs it,
// kept for the next, holding the process open only while a request waits on it.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** One byte per pixel (0 black, 255 white), row by row. */
export interface GreyBitmap {
  width: number;
  height: number;
  grey: Uint8Array;
}

interface Reply {
  id: number;
  result?: GreyBitmap | { png: Uint8Array };
  error?: string;
}

type Waiting = { resolve: (result: NonNullable<Reply['result']>) => void; reject: (error: Error) => void };

const WORKER_FILE = join(__dirname, 'rasterize-worker.mjs');
let worker: Worker | undefined;
const waiting = new Map<number, Waiting>();
let nextId = 0;

function settle({ id, result, error }: Reply): void {
  const request = waiting.get(id);
  waiting.delete(id);
  if (waiting.size === 0) worker?.unref();
  if (!request) return;
  if (result) request.resolve(result);
  else request.reject(new Error(`the label could not be rasterized: ${error}`));
}

/** A thread that died fails what waited on it; the next request starts a new one. */
function failAll(error: Error): void {
  worker = undefined;
  for (const request of waiting.values()) request.reject(error);
  waiting.clear();
}

function rasterizer(): Worker {
  if (worker) return worker;
  const started = new Worker(WORKER_FILE);
  started.on('message', settle);
  started.on('error', failAll);
  started.on('exit', (code) => failAll(new Error(`the label rasterizer stopped (exit ${code})`)));
  worker = started;
  return started;
}

function ask(pdf: Buffer, dpi: number, output: 'grey' | 'png'): Promise<NonNullable<Reply['result']>> {
  const thread = rasterizer();
  const id = nextId++;
  thread.ref();
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    thread.postMessage({ id, pdf: new Uint8Array(pdf), dpi, output });
  });
}

/** The PDF's first page at `dpi`, in grey levels. */
export async function pdfToGrey(pdf: Buffer, dpi: number): Promise<GreyBitmap> {
  return (await ask(pdf, dpi, 'grey')) as GreyBitmap;
}

/** The PDF's first page at `dpi`, as a PNG image. */
export async function pdfToPng(pdf: Buffer, dpi: number): Promise<Buffer> {
  const { png } = (await ask(pdf, dpi, 'png')) as { png: Uint8Array };
  return Buffer.from(png);
}
