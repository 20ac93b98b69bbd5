// @ts-check
/** Webhook subscribers: what each delivering app got through, what waits for a retry, what failed. */
import { api } from '../api.js';
import { h, notice, replace, statusBadge, table } from '../dom.js';
import { duration, num, time } from '../format.js';

/** @param {any} s */
function state(s) {
  if (s.pending > 0) return statusBadge('warning', 'retrying');
  if (s.lastAttemptAt === null) return statusBadge(undefined, 'no deliveries yet');
  return statusBadge('ok', 'ok');
}

/** @param {any} s */
function backoff(s) {
  if (s.currentBackoffMs === null || s.backoffUntil === null) return '–';
  return h(
    'span',
    { title: `next attempt by ${time(s.backoffUntil)}` },
    `up to ${duration(s.currentBackoffMs / 1000)}`,
  );
}

/** @type {import('../app.js').View} */
export const view = {
  title: 'Webhooks',
  async mount(el) {
    const checked = h('p', { class: 'muted' });
    const problems = h('div');
    const list = h('div');
    replace(
      el,
      h('div', { 'data-role': 'errors' }),
      h('h1', {}, 'Webhook delivery'),
      h(
        'p',
        {},
        'Audiences delivered to an HTTPS receiver instead of a Kafka consumer. Pending events failed at least ' +
          'once and wait for their next attempt; failed ones are on the dead-letter topic, where they can be replayed.',
      ),
      checked,
      problems,
      list,
    );
    return {
      async refresh() {
        const data = await api.webhooks();
        replace(checked, `Checked ${time(data.checkedAt)}.`);
        replace(
          problems,
          data.unavailable.map((/** @type {any} */ u) =>
            notice(
              `Could not read the webhook status of ${u.service}` +
                (u.httpStatus ? ` (HTTP ${u.httpStatus}).` : ' (not reachable).'),
              'error',
            ),
          ),
        );
        replace(
          list,
          table({
            id: 'webhooks-table',
            caption: 'Delivery per webhook subscriber',
            columns: [
              { label: 'Subscriber' },
              { label: 'State' },
              { label: 'Receiver' },
              { label: 'Delivered', num: true },
              { label: 'Pending', num: true },
              { label: 'Failed', num: true },
              { label: 'Last success' },
              { label: 'Last failure' },
              { label: 'Last error' },
              { label: 'Backoff' },
              { label: 'Rate limit' },
            ],
            rows: data.subscribers.map((/** @type {any} */ s) => [
              h('strong', {}, s.subscriberId),
              h('span', { 'data-webhook': s.subscriberId }, state(s)),
              h('span', { class: 'mono' }, s.receiver ?? '–'),
              num(s.delivered),
              num(s.pending),
              s.failed > 0
                ? h(
                    'a',
                    {
                      href: `#/dead-letters/${encodeURIComponent(s.deadLetterGroup)}`,
                      'data-focus-key': `webhook-dlq-${s.subscriberId}`,
                      'aria-label': `${num(s.failed)} failed deliveries of ${s.subscriberId}: open its dead letters`,
                    },
                    num(s.failed),
                  )
                : num(s.failed),
              time(s.lastSuccessAt),
              time(s.lastFailureAt),
              s.lastErrorCode ? h('span', { class: 'mono' }, s.lastErrorCode) : '–',
              backoff(s),
              s.rateLimit ? `${num(s.rateLimit.perSecond)}/s, burst ${num(s.rateLimit.burst)}` : '–',
            ]),
            empty: 'No app delivers to a webhook (npm run new:consumer -- <name> --webhook creates one).',
          }),
        );
      },
    };
  },
};
