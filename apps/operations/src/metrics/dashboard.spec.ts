import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { METRICS } from './operations-metrics';

const REPO = resolve(__dirname, '..', '..', '..', '..');
const DASHBOARD = resolve(REPO, 'deploy', 'grafana', 'samverkan-hub.json');

/** Domain metrics the dashboard shows from other apps' /metrics, with the file that defines each. */
const APP_METRICS: Record<string, string> = {
  samverkan_intake_overdue: 'apps/social-services/src/metrics/intake-metrics.ts',
  samverkan_investigations_overdue: 'apps/social-services/src/investigations/investigation-metrics.ts',
};

describe('Grafana dashboard deploy/grafana/samverkan-hub.json', () => {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
    uid: string;
    panels: Array<{ targets: Array<{ expr: string }> }>;
  };
  const used = new Set(
    dashboard.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/samverkan_[a-z_]+/g) ?? [])),
  );

  it('queries only metrics the operations app or the named apps expose', () => {
    const exposed = new Set<string>([...Object.values(METRICS), ...Object.keys(APP_METRICS)]);
    expect([...used].filter((name) => !exposed.has(name))).toEqual([]);
  });

  it('shows every metric the operations app exposes', () => {
    expect(Object.values(METRICS).filter((name) => !used.has(name))).toEqual([]);
  });

  it("shows social services' past-deadline gauges, as those apps define them", () => {
    for (const [name, file] of Object.entries(APP_METRICS)) {
      expect(used.has(name)).toBe(true);
      expect(readFileSync(resolve(REPO, file), 'utf8')).toContain(`'${name}'`);
    }
  });
});
