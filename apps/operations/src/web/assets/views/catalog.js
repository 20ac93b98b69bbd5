// @ts-check
/** The event catalog: every type, who produces it, which audiences get it (and how), who consumes it. */
import { api } from '../api.js';
import { h, replace, table } from '../dom.js';

const OUTCOME_TEXT = {
  full: 'full',
  minimized: 'minimized',
  pseudonymized: 'pseudonymized',
  withheld: 'withheld',
};

/** @type {import('../app.js').View} */
export const view = {
  title: 'Event catalog',
  async mount(el) {
    const search = h('input', { id: 'catalog-search', type: 'search', placeholder: 'e.g. concern-report' });
    const list = h('div');
    /** @type {any[]} */
    let types = [];
    const render = () => {
      const q = search.value.trim().toLowerCase();
      const shown = types.filter((t) => !q || t.type.toLowerCase().includes(q));
      replace(
        list,
        table({
          id: 'catalog-table',
          caption: `Event types (${shown.length} of ${types.length})`,
          columns: [
            { label: 'Event type' },
            { label: 'Producers' },
            { label: 'Audiences (sharing policy)' },
            { label: 'Consumer groups' },
            { label: 'Personal data' },
            { label: 'Schema' },
          ],
          rows: shown.map((t) => [
            h('span', { class: 'mono' }, t.type),
            t.producers.map((/** @type {string} */ p) => h('span', { class: 'tag' }, p)),
            h(
              'ul',
              { class: 'plain' },
              t.audiences.map((/** @type {any} */ a) =>
                h(
                  'li',
                  { class: `outcome outcome-${a.outcome}` },
                  h('strong', {}, a.audience),
                  ': ',
                  OUTCOME_TEXT[/** @type {keyof typeof OUTCOME_TEXT} */ (a.outcome)] ?? a.outcome,
                  a.legalBasis ? h('span', { class: 'muted' }, ` (${a.legalBasis})`) : null,
                  a.withheldReason ? h('span', { class: 'muted' }, ` — ${a.withheldReason}`) : null,
                ),
              ),
            ),
            t.consumerGroups.length
              ? t.consumerGroups.map((/** @type {string} */ g) =>
                  h('a', { class: 'tag', href: `#/groups/${encodeURIComponent(g)}` }, g),
                )
              : h('span', { class: 'muted' }, 'none'),
            (t.personalDataFields ?? []).length
              ? t.personalDataFields.map((/** @type {any} */ f) =>
                  h('span', { class: 'tag', title: f.kind }, `${f.path} (${f.kind})`),
                )
              : h('span', { class: 'muted' }, 'none'),
            h(
              'details',
              {},
              h('summary', {}, 'JSON Schema'),
              h('pre', { class: 'payload' }, JSON.stringify(t.schema, null, 2)),
            ),
          ]),
        }),
      );
    };
    search.addEventListener('input', render);
    replace(
      el,
      h('div', { 'data-role': 'errors' }),
      h('h1', {}, 'Event catalog'),
      h(
        'div',
        { class: 'filters' },
        h('div', {}, h('label', { for: 'catalog-search' }, 'Filter by type'), search),
      ),
      list,
    );
    return {
      async refresh() {
        types = (await api.catalog()).eventTypes;
        render();
      },
      // The catalog changes with a deployment, not by the second.
      autoRefresh: false,
    };
  },
};
