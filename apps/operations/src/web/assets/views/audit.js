// @ts-check
/** The audit log: who did what to which dead letters, when and why. */
import { api } from '../api.js';
import { h, replace, table } from '../dom.js';
import { time } from '../format.js';

/** @type {import('../app.js').View} */
export const view = {
  title: 'Audit log',
  async mount(el) {
    const action = h(
      'select',
      { id: 'audit-action' },
      h('option', { value: '' }, 'any'),
      ['dead-letters.replay', 'dead-letters.discard', 'dead-letters.view-unmasked'].map((a) =>
        h('option', { value: a }, a),
      ),
    );
    const list = h('div');
    const load = async () => {
      const data = await api.audit({ limit: 200, action: action.value || undefined });
      replace(
        list,
        table({
          id: 'audit-table',
          caption: 'Operator actions, newest first',
          columns: [
            { label: 'When' },
            { label: 'Who' },
            { label: 'Action' },
            { label: 'Group' },
            { label: 'Targets' },
            { label: 'Reason' },
          ],
          rows: data.items.map((/** @type {any} */ a) => [
            time(a.at),
            h('span', {}, a.subject, h('span', { class: 'muted' }, ` (${a.agency}/${a.orgUnit})`)),
            a.action,
            a.groupId ?? '–',
            h('span', { class: 'mono' }, (a.targetIds ?? []).join(', ') || '–'),
            a.reason ?? '–',
          ]),
          empty: 'No operator action recorded yet.',
        }),
      );
    };
    action.addEventListener('change', () => void load());
    replace(
      el,
      h('div', { 'data-role': 'errors' }),
      h('h1', {}, 'Audit log'),
      h('div', { class: 'filters' }, h('div', {}, h('label', { for: 'audit-action' }, 'Action'), action)),
      list,
    );
    return { refresh: load };
  },
};
