import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

// npx ts-node bench/profile-summary.ts <file.cpuprofile> [top] — where a process spent its CPU time:
// self time per function and per package/folder, and inclusive time of the project's own functions.
// For the profiles BENCH_PROFILE writes (bench/pipeline/processes.ts).

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: ts-node bench/profile-summary.ts <file.cpuprofile> [top]\n');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const where = (url: string): string => {
  if (!url) return '(native/vm)';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (path.startsWith('node:')) return path;
  const rel = relative(process.cwd(), path);
  return rel.split('/').slice(0, 3).join('/');
};
const fileOf = (url: string): string => {
  const path = url.replace(/^file:\/\//, '');
  return path.includes('node_modules/') || !path.startsWith('/') ? where(url) : relative(process.cwd(), path);
};
const fn = (n: ProfileNode): string =>
  `${n.callFrame.functionName || '(anonymous)'} ${fileOf(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
const selfByFn = new Map<string, number>();
const selfByPlace = new Map<string, number>();
const inclusiveOwn = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id)!;
  add(selfByFn, fn(node), us);
  add(selfByPlace, where(node.callFrame.url), us);
  // Inclusive time of project frames (apps/, libs/): each distinct frame on the stack once.
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const n = byId.get(cur)!;
    const url = n.callFrame.url;
    if (!url.includes('node_modules') && (url.includes('/apps/') || url.includes('/libs/'))) {
      const key = fn(n);
      if (!seen.has(key)) {
        seen.add(key);
        add(inclusiveOwn, key, us);
      }
    }
  }
}

const print = (title: string, m: Map<string, number>) => {
  process.stdout.write(`\n${title}\n`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
    process.stdout.write(`${((100 * us) / total).toFixed(1).padStart(6)} %  ${k}\n`);
};
process.stdout.write(`${file}: ${(total / 1e6).toFixed(1)} s sampled\n`);
print('self time by package / folder', selfByPlace);
print('self time by function', selfByFn);
print('inclusive time of project functions', inclusiveOwn);
