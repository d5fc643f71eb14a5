// Rasterizes the first page of a PDF in a worker thread: pdf.js draws it on a Skia canvas
// (@napi-rs/canvas) on white paper at the asked resolution. A thread of its own, because pdf.js
// ships as ES modules with a top-level module graph the engine's CommonJS cannot require, and
// because a page's drawing takes a few hundred milliseconds the API's event loop must not wait on.
import { createCanvas } from '@napi-rs/canvas';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const require = createRequire(import.meta.url);
// A carrier's PDF may use the 14 standard fonts without embedding them: pdf.js reads them from here.
const STANDARD_FONTS = join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts') + '/';
const POINTS_PER_INCH = 72;
// An A4 page at 300 dpi is 8.7 million pixels: a carrier's PDF asking for far more is refused, not drawn.
const MAX_PIXELS = 20_000_000;

/** One byte per pixel, 0 black to 255 white, row by row. */
function grey(rgba) {
  const out = new Uint8Array(rgba.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = Math.round((rgba[i * 4] + rgba[i * 4 + 1] + rgba[i * 4 + 2]) / 3);
  return out;
}

async function rasterize({ pdf, dpi, output }) {
  const doc = await getDocument({
    data: pdf,
    standardFontDataUrl: STANDARD_FONTS,
    disableFontFace: true,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
  try {
    const page = await doc.getPage(1);
    const viewport = page.getViewport({ scale: dpi / POINTS_PER_INCH });
    if (viewport.width * viewport.height > MAX_PIXELS)
      throw new Error(`a page of ${Math.round(viewport.width)}x${Math.round(viewport.height)} dots is too large`);
    const canvas = createCanvas(Math.round(viewport.width), Math.round(viewport.height));
    const context = canvas.getContext('2d');
    context.fillStyle = 'white';
    context.fillRect(0, 0, canvas.width, canvas.height);
    await page.render({ canvasContext: context, canvas, viewport }).promise;
    if (output === 'png') return { png: await canvas.encode('png') };
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    return { width: canvas.width, height: canvas.height, grey: grey(pixels) };
  } finally {
    await doc.destroy();
  }
}

parentPort.on('message', ({ id, ...request }) => {
  rasterize(request).then(
    (result) => parentPort.postMessage({ id, result }),
    (error) => parentPort.postMessage({ id, error: String(error?.message ?? error) }),
  );
});
