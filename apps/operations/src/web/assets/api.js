// @ts-check
/**
 * The console's only way to the operations API (apps/operations/API.md). The operator's bearer token
 * lives in sessionStorage (this tab only, gone when it closes) and is sent as a header, never in a URL.
 */

const TOKEN_KEY = 'samverkan.operations.token';

export class ApiError extends Error {
  /** @param {number} status @param {string} code @param {string} message @param {Array<{field: string, message: string}>} [fields] */
  constructor(status, code, message, fields) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields ?? [];
  }
}

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** @param {string} token */
export function setToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token.trim().replace(/^Bearer\s+/i, ''));
}

export function clearToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * Takes a token handed over in the URL fragment (`/console#token=…`, as `npm start` prints it), keeps
 * it and removes it from the address bar and history. A fragment never reaches the server or a log.
 */
export function adoptTokenFromFragment() {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!match) return false;
  setToken(decodeURIComponent(match[1]));
  history.replaceState(null, '', `${location.pathname}#/overview`);
  return true;
}

/**
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<any>}
 */
async function call(method, path, body) {
  const token = getToken();
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The operations app did not answer (is it running?)');
  }
  const text = await res.text();
  /** @type {any} */
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const message =
      typeof json?.message === 'string'
        ? json.message
        : Array.isArray(json?.message)
          ? json.message.join('; ')
          : res.statusText;
    throw new ApiError(res.status, json?.code ?? json?.error ?? String(res.status), message, json?.fields);
  }
  return json;
}

/** @param {Record<string, string | number | undefined>} params */
function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

const enc = encodeURIComponent;

export const api = {
  me: () => call('GET', '/me'),
  groups: () => call('GET', '/consumer-groups'),
  /** @param {string} id */
  group: (id) => call('GET', `/consumer-groups/${enc(id)}`),
  /** @param {string} id @param {number} [minutes] */
  history: (id, minutes = 60) => call('GET', `/consumer-groups/${enc(id)}/history${query({ minutes })}`),
  /** @param {string} group @param {Record<string, string | number | undefined>} filters */
  deadLetters: (group, filters) => call('GET', `/dead-letters/${enc(group)}${query(filters)}`),
  /** @param {string} group */
  failureGroups: (group) => call('GET', `/dead-letters/${enc(group)}/failure-groups`),
  /** @param {string} group @param {{ ids?: string[], errorClass?: string, reason: string }} body */
  replay: (group, body) => call('POST', `/dead-letters/${enc(group)}/replay`, body),
  /** @param {string} group @param {{ ids: string[], reason: string }} body */
  discard: (group, body) => call('POST', `/dead-letters/${enc(group)}/discard`, body),
  /** @param {Record<string, string | number | undefined>} filters */
  audit: (filters) => call('GET', `/audit${query(filters)}`),
  health: () => call('GET', '/services/health'),
  catalog: () => call('GET', '/catalog'),
  webhooks: () => call('GET', '/webhooks/subscribers'),
};
