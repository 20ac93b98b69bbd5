// @ts-check
/** Number, time and duration formatting, in one place so every view reads the same. */

const numberFormat = new Intl.NumberFormat('sv-SE');

/** @param {number | null | undefined} n */
export function num(n) {
  return n === null || n === undefined || Number.isNaN(n) ? '–' : numberFormat.format(n);
}

/** A duration in seconds as "4 s", "3 min 20 s", "2 h 5 min". @param {number | null | undefined} s */
export function duration(s) {
  if (s === null || s === undefined || Number.isNaN(s)) return '–';
  const sec = Math.max(0, Math.round(s));
  if (sec < 60) return `${sec} s`;
  if (sec < 3600) return `${Math.floor(sec / 60)} min ${sec % 60} s`;
  if (sec < 86400) return `${Math.floor(sec / 3600)} h ${Math.floor((sec % 3600) / 60)} min`;
  return `${Math.floor(sec / 86400)} d ${Math.floor((sec % 86400) / 3600)} h`;
}

/** @param {string | number | Date | null | undefined} t */
export function time(t) {
  if (t === null || t === undefined || t === '') return '–';
  const d = t instanceof Date ? t : new Date(t);
  if (Number.isNaN(d.getTime())) return String(t);
  return d.toLocaleString('sv-SE', { dateStyle: 'short', timeStyle: 'medium' });
}

/** @param {number} ms */
export function clock(ms) {
  return new Date(ms).toLocaleTimeString('sv-SE', { hour: '2-digit', minute: '2-digit' });
}

/** What each status means, for titles and the legend. */
export const STATUS_HELP = {
  ok: 'consuming and keeping up',
  warning: 'lag only grew over the window',
  stalled: 'offsets do not move while there is lag',
  stopped: 'no commits for the window while there is lag',
  rewound: 'the committed offset went backwards',
  unknown: 'not enough history yet',
};
