// @ts-check
/** Overview: every consumer group's status (colour, shape and word) and its lag over the last hour. */
import { api } from '../api.js';
import { lineChart } from '../charts.js';
import { figure, h, replace, statusBadge, table } from '../dom.js';
import { duration, num, STATUS_HELP } from '../format.js';

const ORDER = ['stopped', 'stalled', 'rewound', 'warning', 'ok'];

/** @param {any} sample */
const toPoint = (sample) => ({ at: Date.parse(sample.at), value: sample.totalLag });

/** @type {import('../app.js').View} */
export const view = {
  title: 'Overview',
  async mount(el, _params, ctx) {
    const summary = h('div', { class: 'summary-bar', role: 'list', 'aria-label': 'Groups by status' });
    const cards = h('div', { class: 'cards' });
    const other = h('div', { class: 'other-groups' });
    const sampled = h('p', { class: 'muted' });
    replace(
      el,
      h('div', { 'data-role': 'errors' }),
      h('h1', {}, 'Consumer groups'),
      h(
        'details',
        {},
        h('summary', {}, 'What the statuses mean'),
        h(
          'dl',
          { class: 'kv' },
          Object.entries(STATUS_HELP).flatMap(([s, text]) => [
            h('dt', {}, statusBadge(s)),
            h('dd', {}, text),
          ]),
        ),
      ),
      sampled,
      summary,
      cards,
      other,
    );
    return {
      async refresh() {
        const data = await api.groups();
        const all = [...data.groups].sort(
          (a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status) || a.groupId.localeCompare(b.groupId),
        );
        // The hub's own groups (declared in the topology) get a card each; whatever else Kafka lists
        // (test collectors, tools) goes into one compact table below, so it never crowds them out.
        const groups = all.filter((g) => g.expected);
        const others = all.filter((g) => !g.expected);
        ctx.noteStatuses(groups);
        const [histories, failures] = await Promise.all([
          Promise.all(groups.map((g) => api.history(g.groupId, 60).catch(() => ({ samples: [] })))),
          Promise.all(groups.map((g) => api.failureGroups(g.groupId).catch(() => ({ groups: [] })))),
        ]);
        replace(
          sampled,
          data.sampledAt
            ? `Sampled every ${data.intervalSeconds} s; status over the last ${data.windowSize} samples.`
            : 'No sample taken yet.',
        );
        const counts = ORDER.map((s) => [s, groups.filter((g) => g.status === s).length]).filter(
          ([, n]) => n,
        );
        replace(
          summary,
          counts.map(([s, n]) => h('span', { role: 'listitem' }, statusBadge(String(s), `${n} ${s}`))),
        );
        replace(
          cards,
          groups.map((g, i) => {
            const open = (failures[i].groups ?? []).reduce(
              (sum, /** @type {any} */ f) => sum + (f.openCount ?? 0),
              0,
            );
            return h(
              'section',
              {
                class: 'card',
                'aria-labelledby': `card-${g.groupId}`,
                'data-group': g.groupId,
                'data-status': g.status,
              },
              h(
                'div',
                { class: 'card-head' },
                h(
                  'h2',
                  { id: `card-${g.groupId}` },
                  h(
                    'a',
                    {
                      href: `#/groups/${encodeURIComponent(g.groupId)}`,
                      'data-focus-key': `group-${g.groupId}`,
                    },
                    g.groupId,
                  ),
                ),
                h(
                  'span',
                  { title: STATUS_HELP[/** @type {keyof typeof STATUS_HELP} */ (g.status)] ?? '' },
                  statusBadge(g.status),
                ),
              ),
              h(
                'div',
                { class: 'figures' },
                figure('lag (messages)', num(g.totalLag), `lag-${g.groupId}`),
                figure('oldest unconsumed', duration(g.maxLagSeconds)),
                figure('members', num(g.members)),
                figure('open dead letters', num(open)),
              ),
              lineChart({
                title: `Lag of ${g.groupId} in messages`,
                id: `lag-chart-${g.groupId}`,
                series: [
                  {
                    name: 'lag (messages)',
                    color: '#1f5fae',
                    points: (histories[i].samples ?? []).map(toPoint),
                  },
                ],
                height: 130,
              }),
              h(
                'p',
                { class: 'actions small' },
                h(
                  'a',
                  {
                    href: `#/groups/${encodeURIComponent(g.groupId)}`,
                    'data-focus-key': `parts-${g.groupId}`,
                  },
                  'Partitions',
                ),
                h(
                  'a',
                  {
                    href: `#/dead-letters/${encodeURIComponent(g.groupId)}`,
                    'data-focus-key': `dl-${g.groupId}`,
                  },
                  'Dead letters',
                ),
                h('span', { class: 'muted' }, `Kafka: ${g.state}`),
              ),
            );
          }),
        );
        replace(
          other,
          others.length === 0
            ? null
            : h(
                'details',
                {},
                h('summary', {}, `Other consumer groups Kafka knows (${others.length}, not in the topology)`),
                table({
                  caption: 'Groups outside the topology (test collectors, tools)',
                  columns: [
                    { label: 'Group' },
                    { label: 'Status' },
                    { label: 'Lag (msgs)', num: true },
                    { label: 'Oldest unconsumed', num: true },
                    { label: 'Members', num: true },
                    { label: 'Kafka state' },
                  ],
                  rows: others.map((g) => [
                    h('a', { href: `#/groups/${encodeURIComponent(g.groupId)}` }, g.groupId),
                    statusBadge(g.status),
                    num(g.totalLag),
                    duration(g.maxLagSeconds),
                    num(g.members),
                    g.state,
                  ]),
                }),
              ),
        );
      },
    };
  },
};
