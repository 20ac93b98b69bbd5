// @ts-check
/** Every app's /health (database, Kafka, outbox backlog), side by side. */
import { api } from '../api.js';
import { bars } from '../charts.js';
import { h, replace, statusBadge, table } from '../dom.js';
import { num, time } from '../format.js';

/** @param {string | undefined} s */
const badge = (s) => statusBadge(s === 'up' ? 'up' : s === undefined ? undefined : 'down', s ?? 'unknown');

/** @type {import('../app.js').View} */
export const view = {
  title: 'Health',
  async mount(el) {
    const checked = h('p', { class: 'muted' });
    const list = h('div');
    const backlog = h('div');
    replace(
      el,
      h('div', { 'data-role': 'errors' }),
      h('h1', {}, 'Service health'),
      checked,
      list,
      h('h2', {}, 'Outbox backlog (unpublished events)'),
      backlog,
    );
    return {
      async refresh() {
        const data = await api.health();
        replace(checked, `Checked ${time(data.checkedAt)}.`);
        replace(
          list,
          table({
            id: 'health-table',
            caption: 'Health of every service',
            columns: [
              { label: 'Service' },
              { label: 'Status' },
              { label: 'Database' },
              { label: 'Kafka' },
              { label: 'Outbox' },
              { label: 'Backlog', num: true },
              { label: 'URL' },
            ],
            rows: data.services.map((/** @type {any} */ s) => [
              h('strong', {}, s.name),
              h('span', { 'data-service': s.name }, badge(s.status)),
              badge(s.checks?.database),
              badge(s.checks?.kafka),
              badge(s.checks?.outbox),
              s.outboxBacklog === null ? '–' : num(s.outboxBacklog),
              h('span', { class: 'mono' }, s.url ?? '–', s.httpStatus ? ` (HTTP ${s.httpStatus})` : ''),
            ]),
          }),
        );
        const withBacklog = data.services.filter(
          (/** @type {any} */ s) => s.outboxBacklog !== null && s.outboxBacklog !== undefined,
        );
        replace(
          backlog,
          withBacklog.length
            ? bars({
                label: 'Outbox backlog per service',
                items: withBacklog.map((/** @type {any} */ s) => ({ label: s.name, value: s.outboxBacklog })),
              })
            : h('p', { class: 'muted' }, 'No service reports an outbox backlog.'),
        );
      },
    };
  },
};
