// @ts-check
/** The console shell: token hand-over, hash routing, the refresh loop and status announcements. */
import { adoptTokenFromFragment, api, ApiError, clearToken, getToken, setToken } from './api.js';
import { announce, h, notice, replace } from './dom.js';
import { time } from './format.js';
import * as overview from './views/overview.js';
import * as group from './views/group.js';
import * as deadLetters from './views/dead-letters.js';
import * as failures from './views/failures.js';
import * as health from './views/health.js';
import * as catalog from './views/catalog.js';
import * as audit from './views/audit.js';
import * as webhooks from './views/webhooks.js';

/**
 * @typedef {{ refresh: () => Promise<void>, autoRefresh?: boolean }} Mounted
 * @typedef {{ me: any, groupStatuses: Map<string, string>, noteStatuses: (groups: Array<{ groupId: string, status: string }>) => void }} Ctx
 * @typedef {{ title: string, mount: (el: HTMLElement, params: string[], ctx: Ctx) => Promise<Mounted> }} View
 */

/** @type {Record<string, View>} */
const VIEWS = {
  overview: overview.view,
  groups: group.view,
  'dead-letters': deadLetters.view,
  failures: failures.view,
  health: health.view,
  catalog: catalog.view,
  audit: audit.view,
  webhooks: webhooks.view,
};

const REFRESH_MS = 5000;
const main = /** @type {HTMLElement} */ (document.getElementById('main'));
const tokenPanel = /** @type {HTMLElement} */ (document.getElementById('token-panel'));

/** @type {Ctx} */
const ctx = {
  me: null,
  groupStatuses: new Map(),
  // A group's status change is worth hearing; a refresh that changes nothing is not.
  noteStatuses(groups) {
    const changes = [];
    for (const g of groups) {
      const before = this.groupStatuses.get(g.groupId);
      if (before !== undefined && before !== g.status)
        changes.push(`${g.groupId} is now ${g.status} (was ${before})`);
      this.groupStatuses.set(g.groupId, g.status);
    }
    if (changes.length > 0) announce(changes.join('. '));
  },
};

/** @type {Mounted | null} */
let current = null;
let mountedFor = '';
let timer = 0;

function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const name = parts[0] && VIEWS[parts[0]] ? parts[0] : 'overview';
  return { name, params: parts.slice(1) };
}

/** Re-renders keep the keyboard focus where it was (elements that matter carry data-focus-key). */
async function refreshKeepingFocus() {
  if (!current) return;
  const active =
    document.activeElement instanceof HTMLElement ? document.activeElement.dataset.focusKey : undefined;
  try {
    await current.refresh();
    document.getElementById('refreshed')?.replaceChildren(`refreshed ${time(new Date())}`);
  } catch (error) {
    handleError(error);
  }
  if (active) {
    const again = main.querySelector(`[data-focus-key="${CSS.escape(active)}"]`);
    if (again instanceof HTMLElement && again !== document.activeElement) again.focus();
  }
}

/** @param {unknown} error */
function handleError(error) {
  if (error instanceof ApiError && error.status === 401) {
    clearToken();
    showTokenPanel('The token was refused (expired or not valid here). Paste a new one.');
    return;
  }
  const message =
    error instanceof ApiError && error.status === 403
      ? 'This token lacks the operator role.'
      : error instanceof Error
        ? error.message
        : String(error);
  const box = main.querySelector('[data-role="errors"]') ?? main;
  box.prepend(notice(message, 'error'));
}

async function show() {
  const { name, params } = route();
  const key = `${name}/${params.join('/')}`;
  for (const link of document.querySelectorAll('.nav a')) {
    const anchor = /** @type {HTMLAnchorElement} */ (link);
    const here = anchor.dataset.view === name || (name === 'groups' && anchor.dataset.view === 'overview');
    if (here) anchor.setAttribute('aria-current', 'page');
    else anchor.removeAttribute('aria-current');
  }
  if (key === mountedFor && current) return refreshKeepingFocus();
  mountedFor = key;
  const view = VIEWS[name];
  document.title = `${view.title} — Samverkan operations`;
  replace(main, h('p', { class: 'muted' }, 'Loading …'));
  try {
    const container = h('div');
    current = await view.mount(container, params, ctx);
    replace(main, container);
    await refreshKeepingFocus();
    document.getElementById('refreshed')?.replaceChildren(`refreshed ${time(new Date())}`);
  } catch (error) {
    current = null;
    replace(main, h('div', { 'data-role': 'errors' }));
    handleError(error);
  }
  // Moving to a new view puts the focus on its heading, as a page load would.
  const heading = main.querySelector('h1');
  if (heading instanceof HTMLElement) {
    heading.tabIndex = -1;
    heading.focus();
  }
}

/** @param {string} [message] */
function showTokenPanel(message) {
  tokenPanel.hidden = false;
  main.hidden = true;
  const err = document.getElementById('token-error');
  if (err) err.textContent = message ?? '';
  document.getElementById('token-input')?.focus();
}

async function signIn() {
  try {
    ctx.me = await api.me();
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      clearToken();
      showTokenPanel(
        error.status === 401
          ? 'The token was refused (expired or not valid here).'
          : 'This token lacks the operator role.',
      );
      return false;
    }
    throw error;
  }
  tokenPanel.hidden = true;
  main.hidden = false;
  const who = document.getElementById('who');
  if (who) who.textContent = `${ctx.me.subject} · ${ctx.me.privileged ? 'privileged operator' : 'operator'}`;
  const out = document.getElementById('sign-out');
  if (out) out.hidden = false;
  return true;
}

function schedule() {
  window.clearInterval(timer);
  const box = /** @type {HTMLInputElement | null} */ (document.getElementById('auto-refresh'));
  timer = window.setInterval(() => {
    if (document.hidden || !current || current.autoRefresh === false || !box?.checked) return;
    // An open dialog means someone is deciding something; don't move the table under them.
    if (document.querySelector('dialog[open]')) return;
    void refreshKeepingFocus();
  }, REFRESH_MS);
}

async function start() {
  adoptTokenFromFragment();
  document.getElementById('token-form')?.addEventListener('submit', (event) => {
    event.preventDefault();
    const input = /** @type {HTMLTextAreaElement} */ (document.getElementById('token-input'));
    if (!input.value.trim()) return;
    setToken(input.value);
    input.value = '';
    void boot();
  });
  document.getElementById('sign-out')?.addEventListener('click', () => {
    clearToken();
    location.hash = '#/overview';
    location.reload();
  });
  window.addEventListener('hashchange', () => {
    if (adoptTokenFromFragment()) void boot();
    else if (ctx.me) void show();
  });
  await boot();
}

async function boot() {
  if (!getToken()) {
    showTokenPanel();
    return;
  }
  try {
    if (await signIn()) {
      await show();
      schedule();
    }
  } catch (error) {
    main.hidden = false;
    replace(main, h('div', { 'data-role': 'errors' }));
    handleError(error);
  }
}

void start();
