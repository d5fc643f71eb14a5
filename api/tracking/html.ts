// The tracking page as HTML. Every value goes in through the `html` tag, which escapes it unless
// it is markup the tag itself made, so nothing a carrier sends (a scan's location) can become
// markup. No scripts: helmet's Content-Security-Policy stays as strict as for the API.
import { MESSAGES, type Language } from './locales';
import type { TrackingView } from './view';

export class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

type Value = Html | string | number | null | undefined | Value[];
const render = (value: Value): string =>
  value instanceof Html ? value.markup : Array.isArray(value) ? value.map(render).join('') : escape(String(value ?? ''));

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  return new Html(strings.reduce((out, s, i) => out + render(values[i - 1]) + s));
}

/** Scans are shown in Turkish time, where the carriers work; the datetime attribute carries the exact instant. */
const TIME_ZONE = 'Europe/Istanbul';

const time = (iso: string, lang: Language) =>
  html`<time datetime="${iso}">${new Intl.DateTimeFormat(MESSAGES[lang].locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE }).format(new Date(iso))}</time>`;

/** A calendar date (the promised delivery day): no time zone may move it to the day before. */
const day = (isoDate: string, lang: Language) =>
  html`<time datetime="${isoDate}">${new Intl.DateTimeFormat(MESSAGES[lang].locale, { dateStyle: 'full', timeZone: 'UTC' }).format(new Date(`${isoDate}T00:00:00Z`))}</time>`;

const STYLE = `body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
h1{font-size:1.4rem}.status{font-size:1.2rem;font-weight:600}dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}
dt{color:#555}dd{margin:0}ol{list-style:none;padding:0}li{border-left:3px solid #ccc;padding:.2rem 0 .6rem .8rem}
li:first-child{border-color:#2a7}.muted{color:#555}
fieldset{border:0;padding:0;margin:0 0 1rem}label{display:block;margin:.2rem 0}textarea{width:100%;min-height:5rem}
button{font-size:1rem;padding:.4rem 1.2rem}.stars label{display:inline-block;margin-right:.8rem}`;

export function page(lang: Language, title: string, body: Html): string {
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<style>${new Html(STYLE)}</style>
</head>
<body>
${body}
</body>
</html>
`.markup;
}

export function trackingPage(view: TrackingView, lang: Language): string {
  const t = MESSAGES[lang];
  const events = view.events.map(
    (e) =>
      html`<li>${time(e.at, lang)}<br><strong>${e.status.label}</strong>${e.location ? html`<br><span class="muted">${e.location}</span>` : ''}</li>`,
  );
  return page(
    lang,
    `${t.pageTitle}: ${view.trackingNumber}`,
    html`<h1>${t.pageTitle}</h1>
<p class="status">${view.status.label}</p>
<dl>
<dt>${t.trackingNumber}</dt><dd>${view.trackingNumber}</dd>
<dt>${t.carrier}</dt><dd>${view.carrier.name}</dd>
${view.destination ? html`<dt>${t.destination}</dt><dd>${view.destination.city}</dd>` : ''}
${view.estimatedDelivery ? html`<dt>${t.estimatedDelivery}</dt><dd>${day(view.estimatedDelivery, lang)}</dd>` : ''}
${view.deliveredAt ? html`<dt>${t.deliveredAt}</dt><dd>${time(view.deliveredAt, lang)}</dd>` : ''}
</dl>
<h2>${t.history}</h2>
${events.length ? html`<ol>${events}</ol>` : html`<p class="muted">${t.noEvents}</p>`}`,
  );
}

/** The page for a number we cannot show: unknown (404) or malformed (400). */
export function messagePage(lang: Language, title: string, text: string): string {
  return page(
    lang,
    title,
    html`<h1>${title}</h1>
<p>${text}</p>`,
  );
}
