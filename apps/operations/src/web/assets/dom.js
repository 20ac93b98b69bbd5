// @ts-check
/** Small DOM helpers: every node is built with textContent, never innerHTML, so data cannot inject markup. */

/**
 * @typedef {string | number | boolean | null | undefined | ((ev: Event) => void) | Record<string, string>} AttrValue
 * @typedef {Node | string | number | null | undefined | false} Child
 */

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, AttrValue>} [attrs]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2).toLowerCase(), /** @type {EventListener} */ (value));
    } else if (name === 'style' && typeof value === 'object') {
      // Through the CSSOM: the page's CSP forbids style attributes, not styles set from script.
      for (const [k, v] of Object.entries(value)) el.style.setProperty(k, v);
    } else if (name === 'dataset' && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) el.dataset[k] = v;
    } else if (value === true) {
      el.setAttribute(name, '');
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

/**
 * @param {Node} parent
 * @param {(Child | Child[])[]} children
 */
export function append(parent, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** @param {Element} el @param {...(Child | Child[])} children */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/** Announces a short message to screen readers (the page's one aria-live region). */
export function announce(/** @type {string} */ message) {
  const region = document.getElementById('announcer');
  if (!region) return;
  // Clearing first makes a repeated message be read again.
  region.textContent = '';
  window.setTimeout(() => (region.textContent = message), 50);
}

/** A status pill: colour, shape and the word, so it never depends on colour alone. */
export function statusBadge(/** @type {string | undefined} */ status, /** @type {string} */ label = '') {
  const known = ['ok', 'warning', 'stalled', 'stopped', 'rewound', 'up', 'down'];
  const s = status && known.includes(status) ? status : 'unknown';
  return h('span', { class: `status status-${s}`, 'data-status': s }, label || status || 'unknown');
}

/**
 * A table with a caption and column headers (scope=col).
 * A row may be followed by a full-width detail row (`detail(i)`), e.g. a disclosure with headers.
 * @param {{ caption: string, columns: Array<{ label: string, num?: boolean }>, rows: Array<Array<Child | Child[]>>, empty?: string, id?: string, detail?: (index: number) => Child }} spec
 */
export function table(spec) {
  const head = h(
    'tr',
    {},
    spec.columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : undefined }, c.label)),
  );
  const body = h('tbody');
  if (spec.rows.length === 0) {
    body.appendChild(
      h('tr', {}, h('td', { colspan: spec.columns.length, class: 'muted' }, spec.empty ?? 'Nothing here.')),
    );
  }
  for (const [index, row] of spec.rows.entries()) {
    body.appendChild(
      h(
        'tr',
        {},
        row.map((cell, i) => h('td', { class: spec.columns[i]?.num ? 'num' : undefined }, cell)),
      ),
    );
    const more = spec.detail?.(index);
    if (more)
      body.appendChild(h('tr', { class: 'detail-row' }, h('td', { colspan: spec.columns.length }, more)));
  }
  return h(
    'div',
    { class: 'table-wrap' },
    h('table', { id: spec.id }, h('caption', {}, spec.caption), h('thead', {}, head), body),
  );
}

/** @param {string} label @param {Child} value @param {string} [id] */
export function figure(label, value, id) {
  return h(
    'div',
    { class: 'figure' },
    h('span', { class: 'value', id }, value),
    h('span', { class: 'label' }, label),
  );
}

/** @param {string} message @param {'error' | 'info'} [kind] */
export function notice(message, kind = 'info') {
  return h(
    'p',
    { class: kind === 'error' ? 'notice error' : 'notice', role: kind === 'error' ? 'alert' : undefined },
    message,
  );
}
