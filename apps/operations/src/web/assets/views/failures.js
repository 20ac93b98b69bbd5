// @ts-check
/** Failure groups: dead letters of every consumer group, grouped by error class and handler. */
import { api } from '../api.js';
import { bars } from '../charts.js';
import { announce, h, notice, replace, table } from '../dom.js';
import { num, time } from '../format.js';
import { confirmWithReason } from './dead-letters.js';

/** @type {import('../app.js').View} */
export const view = {
  title: 'Failure groups',
  async mount(el) {
    const chart = h('div');
    const list = h('div');
    const status = h('div', { 'data-role': 'errors' });
    replace(
      el,
      h('h1', {}, 'Failure groups'),
      status,
      h('h2', {}, 'Open dead letters by error class'),
      chart,
      h('h2', {}, 'All failure groups'),
      list,
    );
    const load = async () => {
      const groups = (await api.groups()).groups.map((/** @type {any} */ g) => g.groupId).sort();
      const all = (
        await Promise.all(
          groups.map(async (/** @type {string} */ g) =>
            ((await api.failureGroups(g)).groups ?? []).map((/** @type {any} */ f) => ({ ...f, groupId: g })),
          ),
        )
      ).flat();
      all.sort((a, b) => b.openCount - a.openCount || Date.parse(b.lastSeen) - Date.parse(a.lastSeen));
      replace(
        chart,
        all.some((f) => f.openCount > 0)
          ? bars({
              label: 'Open dead letters per group, error class and handler',
              items: all
                .filter((f) => f.openCount > 0)
                .map((f) => ({
                  label: `${f.groupId} · ${f.errorClass} · ${f.eventType ?? '?'}`,
                  value: f.openCount,
                  color: '#c62828',
                })),
            })
          : h('p', { class: 'muted' }, 'No open dead letters anywhere.'),
      );
      replace(
        list,
        table({
          id: 'failure-group-table',
          caption: 'Dead letters grouped by consumer group, error class and handler (event type)',
          columns: [
            { label: 'Group' },
            { label: 'Error class' },
            { label: 'Handler (event type)' },
            { label: 'Reason' },
            { label: 'Open', num: true },
            { label: 'All', num: true },
            { label: 'First seen' },
            { label: 'Last seen' },
            { label: 'Actions' },
          ],
          rows: all.map((f) => [
            h('a', { href: `#/dead-letters/${encodeURIComponent(f.groupId)}` }, f.groupId),
            f.errorClass,
            h('span', { class: 'mono' }, f.eventType ?? '–'),
            f.reason,
            num(f.openCount),
            num(f.count),
            time(f.firstSeen),
            time(f.lastSeen),
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                disabled: f.openCount === 0,
                'aria-label': `Replay every open ${f.errorClass} of ${f.groupId}`,
                onclick: () =>
                  void (async () => {
                    const reason = await confirmWithReason({
                      title: `Replay every open ${f.errorClass} of ${f.groupId}?`,
                      body: `${f.openCount} message(s) go back to their original topic. The consumer's inbox keeps effects single.`,
                      confirm: 'Replay',
                    });
                    if (reason === null) return;
                    try {
                      const r = await api.replay(f.groupId, { errorClass: f.errorClass, reason });
                      const message = `Replayed ${r.replayed.length}, refused ${r.refused.length}.`;
                      replace(status, notice(message));
                      announce(message);
                      await load();
                    } catch (error) {
                      replace(
                        status,
                        notice(
                          `Replay failed: ${error instanceof Error ? error.message : String(error)}`,
                          'error',
                        ),
                      );
                    }
                  })(),
              },
              'Replay class',
            ),
          ]),
          empty: 'No dead letters.',
        }),
      );
    };
    return { refresh: load };
  },
};
