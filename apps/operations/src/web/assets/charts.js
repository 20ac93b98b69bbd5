// @ts-check
/** Hand-written SVG charts: a time series line chart and horizontal bars. No library, nothing remote. */
import { h } from './dom.js';
import { clock, num } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';

/**
 * @param {string} tag
 * @param {Record<string, string | number>} attrs
 * @param {string} [text]
 */
function s(tag, attrs, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** 1, 2, 5 × 10^n: a tick step that gives about `count` ticks up to `max`. @param {number} max @param {number} count */
function niceStep(max, count) {
  const raw = max / count;
  const pow = 10 ** Math.floor(Math.log10(raw || 1));
  const unit = raw / pow;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * pow;
}

/**
 * @typedef {{ at: number, value: number }} Point
 * @typedef {{ name: string, color: string, points: Point[] }} Series
 */

/**
 * A line chart of the last `windowMs` (default an hour) ending now. The SVG is an image with a text
 * alternative that states what a sighted reader takes from it: the latest value and the peak.
 * @param {{ title: string, series: Series[], unit?: string, windowMs?: number, height?: number, format?: (n: number) => string, id?: string, now?: number }} spec
 */
export function lineChart(spec) {
  const width = 560;
  const height = spec.height ?? 170;
  const pad = { l: 48, r: 10, t: 10, b: 22 };
  const now = spec.now ?? Date.now();
  const windowMs = spec.windowMs ?? 3_600_000;
  const from = now - windowMs;
  const fmt = spec.format ?? num;
  const all = spec.series.flatMap((x) => x.points.filter((p) => p.at >= from));
  // At least 0–4 on the axis, so a quiet chart gets whole-number ticks rather than 0.25 steps.
  const maxValue = Math.max(4, ...all.map((p) => p.value));
  const step = niceStep(maxValue, 4);
  const top = Math.ceil(maxValue / step) * step;
  const x = (/** @type {number} */ t) => pad.l + ((t - from) / windowMs) * (width - pad.l - pad.r);
  const y = (/** @type {number} */ v) => height - pad.b - (v / top) * (height - pad.t - pad.b);

  const latest = spec.series.map((sr) => {
    const pts = sr.points.filter((p) => p.at >= from);
    const last = pts[pts.length - 1];
    const peak = pts.reduce((m, p) => Math.max(m, p.value), 0);
    return `${sr.name}: now ${last ? fmt(last.value) : 'no data'}, peak ${fmt(peak)}`;
  });
  const label = `${spec.title}, last ${Math.round(windowMs / 60_000)} minutes. ${latest.join('; ')}.`;
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`,
    class: 'chart',
    role: 'img',
    'aria-label': label,
  });
  if (spec.id) svg.setAttribute('id', spec.id);
  svg.appendChild(s('title', {}, label));

  for (let v = 0; v <= top; v += step) {
    svg.appendChild(
      s('line', { x1: pad.l, x2: width - pad.r, y1: y(v), y2: y(v), class: v === 0 ? 'axis' : 'grid' }),
    );
    svg.appendChild(s('text', { x: pad.l - 6, y: y(v) + 3, 'text-anchor': 'end', class: 'tick' }, fmt(v)));
  }
  for (let i = 0; i <= 4; i++) {
    const t = from + (windowMs * i) / 4;
    svg.appendChild(
      s(
        'text',
        {
          x: x(t),
          y: height - 6,
          'text-anchor': i === 0 ? 'start' : i === 4 ? 'end' : 'middle',
          class: 'tick',
        },
        clock(t),
      ),
    );
  }
  if (all.length === 0) {
    svg.appendChild(
      s(
        'text',
        { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'empty' },
        'no samples in the last hour yet',
      ),
    );
  }
  for (const sr of spec.series) {
    const pts = sr.points.filter((p) => p.at >= from).sort((a, b) => a.at - b.at);
    if (pts.length === 0) continue;
    const d = pts
      .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}`)
      .join(' ');
    const first = pts[0];
    const last = pts[pts.length - 1];
    svg.appendChild(
      s('path', {
        d: `${d} L${x(last.at).toFixed(1)},${y(0)} L${x(first.at).toFixed(1)},${y(0)} Z`,
        class: 'area',
        fill: sr.color,
      }),
    );
    svg.appendChild(
      s('path', { d, class: 'line', stroke: sr.color, 'data-series': sr.name, 'data-last': last.value }),
    );
    svg.appendChild(s('circle', { cx: x(last.at), cy: y(last.value), r: 3, fill: sr.color }));
  }
  const legend = h(
    'div',
    { class: 'legend', 'aria-hidden': 'true' },
    spec.series.map((sr) =>
      h('span', {}, h('span', { class: 'swatch', style: { background: sr.color } }), sr.name),
    ),
  );
  const wrap = h('figure', { class: 'chart-figure' });
  wrap.appendChild(svg);
  if (spec.series.length > 1) wrap.appendChild(legend);
  return wrap;
}

/**
 * Horizontal bars as a list (screen readers read "label: value").
 * @param {{ label: string, items: Array<{ label: string, value: number, color?: string }> }} spec
 */
export function bars(spec) {
  const max = Math.max(1, ...spec.items.map((i) => i.value));
  return h(
    'ul',
    { class: 'bars', 'aria-label': spec.label },
    spec.items.map((item) =>
      h(
        'li',
        { class: 'bar-row' },
        h('span', {}, item.label),
        h(
          'span',
          { class: 'bar-track', 'aria-hidden': 'true' },
          h('span', {
            class: 'bar-fill',
            style: {
              width: `${((item.value / max) * 100).toFixed(1)}%`,
              ...(item.color ? { background: item.color } : {}),
            },
          }),
        ),
        h('span', { class: 'num' }, num(item.value)),
      ),
    ),
  );
}
