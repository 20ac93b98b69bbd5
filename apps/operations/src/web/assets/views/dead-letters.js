// @ts-check
/**
 * Dead letters of one consumer group: filters, headers and (masked) payload, replay of one message, a
 * selection or an error class, and discard with a reason. Every action asks for confirmation and a
 * reason, and goes into the audit log on the server.
 */
import { api, ApiError } from '../api.js';
import { announce, h, notice, replace, statusBadge, table } from '../dom.js';
import { num, time } from '../format.js';

/**
 * A confirmation dialog with a required reason. Resolves with the reason, or null when cancelled.
 * @param {{ title: string, body: string, confirm: string, danger?: boolean }} spec
 * @returns {Promise<string | null>}
 */
export function confirmWithReason(spec) {
  return new Promise((resolve) => {
    const reason = h('textarea', {
      id: 'action-reason',
      rows: 3,
      required: true,
      maxlength: 500,
      'aria-describedby': 'action-reason-help',
    });
    const error = h('p', { class: 'error', role: 'alert', id: 'action-reason-error' });
    const dialog = h(
      'dialog',
      { 'aria-labelledby': 'action-title', id: 'action-dialog' },
      h(
        'form',
        // novalidate: the page checks the reason itself and says why, instead of a native bubble.
        { method: 'dialog', novalidate: true },
        h('h2', { id: 'action-title' }, spec.title),
        h('p', {}, spec.body),
        h('label', { for: 'action-reason' }, 'Reason (required, goes into the audit log)'),
        reason,
        h(
          'p',
          { id: 'action-reason-help', class: 'muted' },
          'Say why, e.g. "unit register fixed" or "test message".',
        ),
        error,
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            {
              type: 'submit',
              value: 'confirm',
              class: spec.danger ? 'danger' : undefined,
              id: 'action-confirm',
            },
            spec.confirm,
          ),
          h(
            'button',
            {
              type: 'submit',
              value: 'cancel',
              class: 'secondary',
              formnovalidate: true,
              id: 'action-cancel',
            },
            'Cancel',
          ),
        ),
      ),
    );
    const form = /** @type {HTMLFormElement} */ (dialog.querySelector('form'));
    form.addEventListener('submit', (event) => {
      const submitter = /** @type {SubmitEvent} */ (event).submitter;
      if (submitter instanceof HTMLButtonElement && submitter.value === 'confirm' && !reason.value.trim()) {
        event.preventDefault();
        error.textContent = 'A reason is required.';
        reason.focus();
      }
    });
    dialog.addEventListener('close', () => {
      const value = dialog.returnValue === 'confirm' ? reason.value.trim() : null;
      dialog.remove();
      resolve(value);
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    reason.focus();
  });
}

/** @param {unknown} error */
const errorText = (error) =>
  error instanceof ApiError
    ? `${error.message}${error.fields.length ? `: ${error.fields.map((f) => `${f.field} ${f.message}`).join('; ')}` : ''}`
    : String(error);

/** @param {any} result */
function replaySummary(result) {
  const ok = result.replayed?.length ?? 0;
  const refused = result.refused ?? [];
  const why = refused.map((/** @type {any} */ r) => `${r.id}: ${r.reason}`).join(', ');
  return `Replayed ${ok}${refused.length ? `; refused ${refused.length} (${why})` : ''}.`;
}

/** @type {import('../app.js').View} */
export const view = {
  title: 'Dead letters',
  async mount(el, params, ctx) {
    const groups = (await api.groups()).groups.map((/** @type {any} */ g) => g.groupId).sort();
    let groupId = params[0] && groups.includes(params[0]) ? params[0] : (params[0] ?? groups[0] ?? '');
    /** @type {Set<string>} */
    const selected = new Set();
    /** @type {any[]} */
    let items = [];

    const field = (/** @type {string} */ id, /** @type {string} */ label, /** @type {HTMLElement} */ input) =>
      h('div', {}, h('label', { for: id }, label), input);
    const groupSelect = h(
      'select',
      { id: 'f-group', name: 'group' },
      groups.map((g) => h('option', { value: g, selected: g === groupId }, g)),
    );
    const errorClass = h(
      'select',
      { id: 'f-error-class', name: 'errorClass' },
      h('option', { value: '' }, 'any'),
    );
    const originalTopic = h('input', {
      id: 'f-topic',
      name: 'originalTopic',
      type: 'text',
      placeholder: 'samverkan.audience.…',
    });
    const eventType = h('input', {
      id: 'f-type',
      name: 'eventType',
      type: 'text',
      placeholder: 'samverkan.…',
    });
    const from = h('input', { id: 'f-from', name: 'from', type: 'datetime-local' });
    const to = h('input', { id: 'f-to', name: 'to', type: 'datetime-local' });
    const state = h(
      'select',
      { id: 'f-state', name: 'state' },
      ['open', 'replayed', 'discarded', 'all'].map((s) => h('option', { value: s }, s)),
    );
    const filters = h(
      'form',
      { class: 'filters', 'aria-label': 'Filter dead letters', id: 'dl-filters' },
      field('f-group', 'Consumer group', groupSelect),
      field('f-error-class', 'Error class', errorClass),
      field('f-topic', 'Original topic', originalTopic),
      field('f-type', 'Event type', eventType),
      field('f-from', 'Failed from', from),
      field('f-to', 'Failed until', to),
      field('f-state', 'State', state),
      h('div', {}, h('button', { type: 'submit', id: 'dl-apply' }, 'Apply filters')),
    );
    const info = h('p', { class: 'muted', id: 'dl-info' });
    const results = h('div', { id: 'dl-results' });
    const status = h('div', { 'data-role': 'errors', id: 'dl-status' });
    const replaySelected = h(
      'button',
      { type: 'button', id: 'replay-selected', disabled: true },
      'Replay selected',
    );
    const discardSelected = h(
      'button',
      { type: 'button', id: 'discard-selected', class: 'danger', disabled: true },
      'Discard selected',
    );
    const replayClass = h(
      'button',
      { type: 'button', id: 'replay-class', class: 'secondary', disabled: true },
      'Replay every open one of this error class',
    );
    const refreshButton = h('button', { type: 'button', class: 'secondary', id: 'dl-refresh' }, 'Refresh');

    replace(
      el,
      h('h1', {}, 'Dead letters'),
      status,
      filters,
      info,
      h(
        'div',
        { class: 'actions', role: 'group', 'aria-label': 'Actions on dead letters' },
        replaySelected,
        discardSelected,
        replayClass,
        refreshButton,
      ),
      results,
    );

    const syncButtons = () => {
      replaySelected.disabled = selected.size === 0;
      discardSelected.disabled = selected.size === 0;
      replaySelected.textContent = `Replay selected (${selected.size})`;
      discardSelected.textContent = `Discard selected (${selected.size})`;
      replayClass.disabled = !errorClass.value;
      replayClass.textContent = errorClass.value
        ? `Replay every open ${errorClass.value}`
        : 'Replay an error class (choose one in the filter)';
    };

    /** @param {string} message @param {'info' | 'error'} kind */
    const report = (message, kind) => {
      replace(status, notice(message, kind));
      announce(message);
    };

    /** @param {{ ids?: string[], errorClass?: string }} target @param {string} what */
    const replay = async (target, what) => {
      const reason = await confirmWithReason({
        title: `Replay ${what}?`,
        body: `The message${target.ids?.length === 1 ? '' : 's'} go${target.ids?.length === 1 ? 'es' : ''} back to the original topic of ${groupId}. The consumer's inbox drops an event it has already processed, so a replay never doubles an effect.`,
        confirm: 'Replay',
      });
      if (reason === null) return;
      try {
        report(replaySummary(await api.replay(groupId, { ...target, reason })), 'info');
        selected.clear();
        await load();
      } catch (error) {
        report(`Replay failed: ${errorText(error)}`, 'error');
      }
    };

    /** @param {string[]} ids */
    const discard = async (ids) => {
      const reason = await confirmWithReason({
        title: `Discard ${ids.length} dead letter${ids.length === 1 ? '' : 's'}?`,
        body: 'A discarded dead letter is hidden from the open list and can no longer be replayed. The message itself stays on the dead-letter topic.',
        confirm: 'Discard',
        danger: true,
      });
      if (reason === null) return;
      try {
        const result = await api.discard(groupId, { ids, reason });
        report(
          `Discarded ${result.discarded.length}${result.notFound.length ? `; not found ${result.notFound.length}` : ''}.`,
          'info',
        );
        selected.clear();
        await load();
      } catch (error) {
        report(`Discard failed: ${errorText(error)}`, 'error');
      }
    };

    /** @param {any} d */
    const details = (d) =>
      h(
        'details',
        {},
        h('summary', { 'data-focus-key': `details-${d.id}` }, 'Headers and payload'),
        h(
          'dl',
          { class: 'kv' },
          h('dt', {}, 'event id'),
          h('dd', { class: 'mono' }, d.eventId ?? '–'),
          h('dt', {}, 'subject'),
          h('dd', { class: 'mono' }, d.subject ?? '–'),
          h('dt', {}, 'error'),
          h('dd', {}, `${d.errorClass}${d.errorCode ? ` (${d.errorCode})` : ''}: ${d.errorMessage ?? ''}`),
          h('dt', {}, 'attempts'),
          h('dd', {}, num(d.attempts)),
          h('dt', {}, 'replays'),
          h('dd', {}, `${num(d.replayCount)}${d.lastReplayedAt ? `, last ${time(d.lastReplayedAt)}` : ''}`),
          d.isReplay
            ? [h('dt', {}, 'replay of'), h('dd', { class: 'mono' }, d.replayOf ?? 'an earlier dead letter')]
            : null,
          d.discardReason
            ? [h('dt', {}, 'discarded'), h('dd', {}, `${time(d.discardedAt)}: ${d.discardReason}`)]
            : null,
        ),
        h('h3', {}, 'Headers'),
        h('pre', { class: 'payload' }, JSON.stringify(d.headers ?? {}, null, 2)),
        h('h3', {}, 'Payload'),
        h(
          'p',
          { class: 'masked-note' },
          d.payloadMasked
            ? 'Personal data is masked. Operators with the privileged role see it unmasked (and that viewing is audited).'
            : 'Shown unmasked (privileged operator; audited).',
        ),
        h(
          'pre',
          { class: 'payload', 'data-role': 'payload' },
          d.payload === null
            ? d.payloadParseable === false
              ? '(not JSON)'
              : '(empty)'
            : JSON.stringify(d.payload, null, 2),
        ),
      );

    const render = () => {
      replace(
        results,
        table({
          id: 'dead-letter-table',
          caption: `Dead letters of ${groupId} (${items.length} shown)`,
          columns: [
            { label: 'Select' },
            { label: 'Failed' },
            { label: 'Event type' },
            { label: 'Error class' },
            { label: 'Reason' },
            { label: 'Original' },
            { label: 'State' },
            { label: 'Actions' },
          ],
          rows: items.map((d) => {
            const box = h('input', {
              type: 'checkbox',
              id: `sel-${d.id}`,
              checked: selected.has(d.id),
              disabled: d.state === 'discarded',
              'data-focus-key': `sel-${d.id}`,
              'aria-label': `Select dead letter ${d.id} (${d.eventType ?? 'unknown type'})`,
            });
            box.addEventListener('change', () => {
              if (box.checked) selected.add(d.id);
              else selected.delete(d.id);
              syncButtons();
            });
            return [
              box,
              time(d.failedAt ?? d.timestamp),
              h(
                'span',
                {},
                h('span', { class: 'mono' }, d.eventType ?? 'unknown'),
                h('br'),
                h('span', { class: 'mono muted small' }, d.eventId ?? ''),
              ),
              h(
                'span',
                {},
                d.errorClass,
                d.errorCode ? h('span', { class: 'muted' }, ` ${d.errorCode}`) : null,
              ),
              d.reason,
              h(
                'span',
                { class: 'mono' },
                `${d.originalTopic} [${d.originalPartition}] @${d.originalOffset}`,
              ),
              h(
                'span',
                {},
                statusBadge(
                  d.state === 'open' ? 'stopped' : d.state === 'replayed' ? 'ok' : 'unknown',
                  d.state,
                ),
                d.isReplay ? h('span', { class: 'tag' }, 'replay') : null,
              ),
              h(
                'div',
                {},
                h(
                  'div',
                  { class: 'actions' },
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'secondary',
                      disabled: d.state === 'discarded' || d.isReplay,
                      onclick: () => replay({ ids: [d.id] }, `dead letter ${d.id}`),
                      'data-focus-key': `replay-${d.id}`,
                      'aria-label': `Replay dead letter ${d.id}`,
                    },
                    'Replay',
                  ),
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'secondary',
                      disabled: d.state === 'discarded',
                      onclick: () => discard([d.id]),
                      'data-focus-key': `discard-${d.id}`,
                      'aria-label': `Discard dead letter ${d.id}`,
                    },
                    'Discard',
                  ),
                ),
              ),
            ];
          }),
          detail: (i) => details(items[i]),
          empty: 'No dead letters match.',
        }),
      );
      syncButtons();
    };

    const load = async () => {
      const local = (/** @type {HTMLInputElement} */ i) =>
        i.value ? new Date(i.value).toISOString() : undefined;
      const [data, failureGroups] = await Promise.all([
        api.deadLetters(groupId, {
          errorClass: errorClass.value || undefined,
          originalTopic: originalTopic.value.trim() || undefined,
          eventType: eventType.value.trim() || undefined,
          from: local(from),
          to: local(to),
          state: state.value,
          limit: 200,
        }),
        api.failureGroups(groupId),
      ]);
      items = data.items;
      for (const id of [...selected]) if (!items.some((d) => d.id === id)) selected.delete(id);
      const classes = [
        ...new Set((failureGroups.groups ?? []).map((/** @type {any} */ f) => f.errorClass)),
      ].sort();
      const chosen = errorClass.value;
      replace(
        errorClass,
        h('option', { value: '' }, 'any'),
        classes.map((c) => h('option', { value: c, selected: c === chosen }, c)),
      );
      replace(
        info,
        `Topic ${data.topic}: ${num(data.total)} dead letter${data.total === 1 ? '' : 's'} in total. `,
        data.masked ? 'Payloads are masked for your role.' : 'Payloads are shown unmasked (privileged role).',
      );
      render();
    };

    filters.addEventListener('submit', (event) => {
      event.preventDefault();
      void (async () => {
        if (groupSelect.value !== groupId) {
          location.hash = `#/dead-letters/${encodeURIComponent(groupSelect.value)}`;
          return;
        }
        try {
          await load();
          announce(`${items.length} dead letters shown.`);
        } catch (error) {
          report(errorText(error), 'error');
        }
      })();
    });
    groupSelect.addEventListener(
      'change',
      () => (location.hash = `#/dead-letters/${encodeURIComponent(groupSelect.value)}`),
    );
    errorClass.addEventListener('change', syncButtons);
    replaySelected.addEventListener(
      'click',
      () =>
        void replay({ ids: [...selected] }, `${selected.size} dead letter${selected.size === 1 ? '' : 's'}`),
    );
    discardSelected.addEventListener('click', () => void discard([...selected]));
    replayClass.addEventListener(
      'click',
      () => void replay({ errorClass: errorClass.value }, `every open ${errorClass.value}`),
    );
    refreshButton.addEventListener(
      'click',
      () =>
        void load()
          .then(() => announce('Dead letters refreshed.'))
          .catch((e) => report(errorText(e), 'error')),
    );
    void ctx;
    if (!groupId) groupId = '';
    // The list does not refresh on its own: rows moving under a selection would be worse than stale.
    return { refresh: load, autoRefresh: false };
  },
};
