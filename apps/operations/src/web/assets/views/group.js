// @ts-check
/** One consumer group: lag charts (messages and seconds), members and the partition table. */
import { api } from '../api.js';
import { lineChart } from '../charts.js';
import { figure, h, replace, statusBadge, table } from '../dom.js';
import { duration, num, STATUS_HELP } from '../format.js';

/** @type {import('../app.js').View} */
export const view = {
  title: 'Consumer group',
  async mount(el, params, ctx) {
    const groupId = params[0] ?? '';
    const head = h('div', { class: 'card-head' });
    const figures = h('div', { class: 'figures' });
    const charts = h('div', { class: 'cards' });
    const parts = h('div');
    const members = h('div');
    replace(
      el,
      h('p', {}, h('a', { href: '#/overview' }, '← All groups')),
      h('div', { 'data-role': 'errors' }),
      h('h1', {}, `Consumer group ${groupId}`),
      head,
      figures,
      charts,
      h('h2', {}, 'Partitions'),
      parts,
      h('h2', {}, 'Members'),
      members,
      h(
        'p',
        {},
        h('a', { href: `#/dead-letters/${encodeURIComponent(groupId)}` }, `Dead letters of ${groupId}`),
      ),
    );
    return {
      async refresh() {
        const [g, history] = await Promise.all([api.group(groupId), api.history(groupId, 60)]);
        ctx.noteStatuses([g]);
        replace(
          head,
          h('span', { id: 'group-status' }, statusBadge(g.status)),
          h(
            'span',
            { class: 'muted' },
            STATUS_HELP[/** @type {keyof typeof STATUS_HELP} */ (g.status)] ?? '',
          ),
        );
        replace(
          figures,
          figure('lag (messages)', num(g.totalLag), 'group-lag'),
          figure('oldest unconsumed', duration(g.maxLagSeconds)),
          figure('members', num(g.members.length)),
          figure('Kafka state', g.state),
        );
        const samples = history.samples ?? [];
        replace(
          charts,
          h(
            'section',
            { class: 'card' },
            h('h3', {}, 'Lag in messages'),
            lineChart({
              title: `Lag of ${groupId} in messages`,
              id: `group-lag-chart`,
              series: [
                {
                  name: 'messages',
                  color: '#1f5fae',
                  points: samples.map((/** @type {any} */ s) => ({
                    at: Date.parse(s.at),
                    value: s.totalLag,
                  })),
                },
              ],
            }),
          ),
          h(
            'section',
            { class: 'card' },
            h('h3', {}, 'Lag in seconds (oldest unconsumed message)'),
            lineChart({
              title: `Lag of ${groupId} in seconds`,
              series: [
                {
                  name: 'seconds',
                  color: '#bc4c00',
                  points: samples.map((/** @type {any} */ s) => ({
                    at: Date.parse(s.at),
                    value: s.maxLagSeconds,
                  })),
                },
              ],
              format: (n) => duration(n),
            }),
          ),
        );
        const memberName = new Map(
          g.members.map((/** @type {any} */ m) => [m.memberId, `${m.clientId} @ ${m.host}`]),
        );
        replace(
          parts,
          table({
            id: 'partition-table',
            caption: `Partitions of ${groupId}: committed and end offsets, lag and who consumes each`,
            columns: [
              { label: 'Topic' },
              { label: 'Partition', num: true },
              { label: 'Committed', num: true },
              { label: 'End', num: true },
              { label: 'Lag (msgs)', num: true },
              { label: 'Lag (time)', num: true },
              { label: 'Status' },
              { label: 'Member' },
            ],
            rows: [...g.partitions]
              .sort(
                (/** @type {any} */ a, /** @type {any} */ b) =>
                  a.topic.localeCompare(b.topic) || a.partition - b.partition,
              )
              .map((/** @type {any} */ p) => [
                h('span', { class: 'mono' }, p.topic),
                num(p.partition),
                p.committedOffset === null ? 'none' : num(p.committedOffset),
                num(p.endOffset),
                num(p.lag),
                duration(p.lagSeconds),
                statusBadge(p.status),
                p.memberId
                  ? String(memberName.get(p.memberId) ?? p.memberId)
                  : h('span', { class: 'muted' }, 'unassigned'),
              ]),
            empty: 'Kafka knows no partitions for this group yet.',
          }),
        );
        replace(
          members,
          table({
            caption: `Members of ${groupId}`,
            columns: [{ label: 'Client' }, { label: 'Host' }, { label: 'Assigned' }],
            rows: g.members.map((/** @type {any} */ m) => [
              m.clientId,
              m.host,
              m.assignments
                .map((/** @type {any} */ a) => `${a.topic} [${a.partitions.join(', ')}]`)
                .join('; ') || '–',
            ]),
            empty: 'No member: nobody consumes for this group right now.',
          }),
        );
      },
    };
  },
};
