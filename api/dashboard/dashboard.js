// The KPI dashboard's script: reads the filters, calls GET /v1/kpis with the ops key the reader
// gave, and draws the table and charts. Every value from the API goes in as text, never markup.
// The key lives in the form only: it is not stored, and is wiped from the URL fragment at once.
/* global Chart */
'use strict';

(function dashboard() {
  const form = document.getElementById('filters');
  const message = document.getElementById('message');
  const results = document.getElementById('results');
  const charts = {};
  const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];
  const FIELDS = ['from', 'to', 'carrier', 'channel'];

  const carrierName = (carrier) => carrier ?? 'not booked';
  const percent = (rate) => (rate.rate === null ? '–' : `${(rate.rate * 100).toFixed(1)}%`);
  const withCounts = (rate) => `${percent(rate)} (${rate.count}/${rate.of})`;
  /** A duration given in hours, in the unit a reader expects: minutes under an hour, else hours. */
  function duration(hours) {
    const minutes = hours * 60;
    if (minutes < 1) return '< 1 min';
    if (minutes < 60) return `${Math.round(minutes)} min`;
    return `${Number(hours.toFixed(1))} h`;
  }
  const durations = (p) => (p.p50 === null ? '–' : `${duration(p.p50)} / ${duration(p.p90)}`);
  const cost = (costs) => (costs.length === 0 ? '–' : costs.map((c) => `${c.perShipment.toFixed(2)} ${c.currency}`).join(', '));

  function setState(state, text) {
    document.body.dataset.state = state;
    message.textContent = text;
  }

  /** `#key=…&from=…` fills the form; the fragment never reaches a server, and is cleared here. */
  function fromFragment() {
    const given = new URLSearchParams(location.hash.slice(1));
    for (const name of ['key', ...FIELDS]) if (given.get(name)) form.elements[name].value = given.get(name);
    if (location.hash) history.replaceState(null, '', location.pathname + location.search);
    return given.has('key');
  }

  async function load() {
    const query = new URLSearchParams();
    for (const name of FIELDS) if (form.elements[name].value) query.set(name, form.elements[name].value.trim());
    setState('loading', 'Loading…');
    const res = await fetch(`/v1/kpis?${query}`, { headers: { Authorization: `Bearer ${form.elements.key.value}` }, cache: 'no-store' });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      results.hidden = true;
      setState(
        'error',
        res.status === 401 || res.status === 403
          ? 'That key is not accepted: an API key with the ops scope is needed.'
          : `${res.status}: ${body.message ?? 'the KPIs could not be loaded'}`,
      );
      return;
    }
    render(body);
    // The charts draw without animation: one frame later every canvas holds its picture.
    requestAnimationFrame(() => setState('ready', ''));
  }

  /** The carrier filter suggests every carrier the engine books with, by code and name. */
  function renderKnownCarriers(known) {
    const options = known.map(({ carrier, name }) => Object.assign(document.createElement('option'), { value: carrier, label: name }));
    document.getElementById('known-carriers').replaceChildren(...options);
  }

  function render(kpis) {
    results.hidden = false;
    renderKnownCarriers(kpis.knownCarriers);
    const filters = [kpis.carrier && `carrier ${kpis.carrier}`, kpis.channel && `channel ${kpis.channel}`].filter(Boolean).join(', ');
    document.getElementById('period').textContent =
      `Orders placed ${kpis.from} to ${kpis.to} (${kpis.timeZone})${filters ? `, ${filters}` : ''}: ${kpis.total.shipments} parcel(s).`;
    renderTable(kpis);
    renderCharts(kpis);
  }

  function row(cells, className) {
    const tr = document.createElement('tr');
    if (className) tr.className = className;
    for (const text of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  }

  const cellsOf = (name, k) => [
    name,
    String(k.shipments),
    withCounts(k.onTimeDelivery),
    durations(k.orderToDeliveryHours),
    durations(k.transitHours),
    durations(k.firstScanHours),
    withCounts(k.exceptionRate),
    withCounts(k.shippingErrorRate),
    withCounts(k.returnRate),
    cost(k.costPerShipment),
    rating(k.satisfaction),
    withCounts(k.notAcceptedRate),
  ];

  /** "4.2 ★ · 80% (8/10) · 40% answered": the customers' own word, with how many gave it. */
  function rating(s) {
    if (s.ratings === 0) return '—';
    return `${s.averageStars.toFixed(1)} ★ · ${withCounts(s.satisfied)} · ${pct(s.responseRate)}% answered`;
  }

  function renderTable(kpis) {
    const body = document.querySelector('#carriers tbody');
    body.replaceChildren(
      ...kpis.carriers.map((c) => row(cellsOf(carrierName(c.carrier), c))),
      row(cellsOf('All carriers', kpis.total), 'total'),
    );
  }

  function draw(id, config) {
    charts[id]?.destroy();
    charts[id] = new Chart(document.getElementById(id), {
      ...config,
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { position: 'bottom' } },
        ...config.options,
      },
    });
  }

  const pct = (rate) => (rate.rate === null ? null : Math.round(rate.rate * 1000) / 10);
  const percentAxis = { y: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } } };

  function renderCharts(kpis) {
    const booked = kpis.carriers.filter((c) => c.carrier !== null);
    const days = [...new Set(kpis.daily.map((d) => d.day))];
    draw('on-time-chart', {
      type: 'line',
      data: {
        labels: days,
        datasets: booked.map((c, i) => ({
          label: c.carrier,
          data: days.map((day) => {
            const found = kpis.daily.find((d) => d.day === day && d.carrier === c.carrier);
            return found ? pct(found.onTimeDelivery) : null;
          }),
          borderColor: COLOURS[i % COLOURS.length],
          backgroundColor: COLOURS[i % COLOURS.length],
          spanGaps: true,
        })),
      },
      options: { scales: percentAxis },
    });
    const perCarrier = (label, pick, i) => ({ label, data: booked.map(pick), backgroundColor: COLOURS[i] });
    draw('rates-chart', {
      type: 'bar',
      data: {
        labels: booked.map((c) => c.carrier),
        datasets: [
          perCarrier('on time', (c) => pct(c.onTimeDelivery), 0),
          perCarrier('exceptions', (c) => pct(c.exceptionRate), 1),
          perCarrier('shipping errors', (c) => pct(c.shippingErrorRate), 2),
          perCarrier('returns', (c) => pct(c.returnRate), 3),
        ],
      },
      options: { scales: percentAxis },
    });
    draw('hours-chart', {
      type: 'bar',
      data: {
        labels: booked.map((c) => c.carrier),
        datasets: [
          perCarrier('order → delivery', (c) => c.orderToDeliveryHours.p50, 0),
          perCarrier('transit', (c) => c.transitHours.p50, 4),
          perCarrier('label → first scan', (c) => c.firstScanHours.p50, 5),
        ],
      },
    });
    draw('rating-chart', {
      type: 'bar',
      data: {
        labels: booked.map((c) => c.carrier),
        datasets: [
          { ...perCarrier('average ★', (c) => c.satisfaction.averageStars, 0), yAxisID: 'stars' },
          { ...perCarrier('4–5 ★ %', (c) => pct(c.satisfaction.satisfied), 1), yAxisID: 'y' },
        ],
      },
      options: { scales: { ...percentAxis, stars: { position: 'right', min: 0, max: 5, grid: { drawOnChartArea: false } } } },
    });
    const currencies = [...new Set(booked.flatMap((c) => c.costPerShipment.map((x) => x.currency)))];
    draw('cost-chart', {
      type: 'bar',
      data: {
        labels: booked.map((c) => c.carrier),
        datasets: currencies.map((currency, i) =>
          perCarrier(
            currency,
            (c) => c.costPerShipment.find((x) => x.currency === currency)?.perShipment ?? null,
            (i + 2) % COLOURS.length,
          ),
        ),
      },
    });
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load().catch((err) => setState('error', `The KPIs could not be loaded: ${err.message}`));
  });
  if (fromFragment()) form.requestSubmit();
})();
