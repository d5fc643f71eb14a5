// GET /dashboard: the carrier KPI dashboard, static files only. The page holds no data and no key:
// the reader types an ops key (or passes it in the URL fragment, which never reaches a server or
// a log) and the page's own script calls GET /v1/kpis with it. Charts by chart.js, served from
// node_modules so the page needs nothing from another origin.
import path from 'node:path';
import { Router, type Response } from 'express';

const PAGE_DIR = path.join(__dirname, 'dashboard');
const CHART_JS = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js');

/** Every file the dashboard is made of; nothing else under the folder is served. */
const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: path.join(PAGE_DIR, 'index.html'), type: 'html' },
  '/dashboard.js': { file: path.join(PAGE_DIR, 'dashboard.js'), type: 'js' },
  '/dashboard.css': { file: path.join(PAGE_DIR, 'dashboard.css'), type: 'css' },
  '/chart.umd.min.js': { file: CHART_JS, type: 'js' },
};

/**
 * Tighter than the API-wide policy: same-origin scripts, styles and fetches only, never framed.
 * Without upgrade-insecure-requests, so the dev stack over plain http loads its own script.
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function send(res: Response, { file, type }: { file: string; type: string }): void {
  res.set({ 'Content-Security-Policy': CSP, 'Cache-Control': 'no-cache', 'Referrer-Policy': 'no-referrer' }).type(type);
  res.sendFile(file);
}

export function dashboardRouter(): Router {
  const router = Router();
  for (const [route, asset] of Object.entries(FILES)) router.get(route, (_req, res) => send(res, asset));
  return router;
}
