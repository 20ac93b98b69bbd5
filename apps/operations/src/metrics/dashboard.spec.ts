import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { METRICS } from './operations-metrics';

const DASHBOARD = resolve(__dirname, '..', '..', '..', '..', 'deploy', 'grafana', 'samverkan-hub.json');

describe('Grafana dashboard deploy/grafana/samverkan-hub.json', () => {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
    uid: string;
    panels: Array<{ targets: Array<{ expr: string }> }>;
  };
  const used = new Set(
    dashboard.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/samverkan_[a-z_]+/g) ?? [])),
  );

  it('queries only metrics the operations app exposes', () => {
    const exposed = new Set<string>(Object.values(METRICS));
    expect([...used].filter((name) => !exposed.has(name))).toEqual([]);
  });

  it('shows every metric the operations app exposes', () => {
    expect(Object.values(METRICS).filter((name) => !used.has(name))).toEqual([]);
  });
});
