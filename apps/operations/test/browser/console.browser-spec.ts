import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createTestIssuer, ROLES, type TestIssuer } from '@samverkan/auth';
import { audienceTopic } from '@samverkan/contracts';
import { eventually, loadStackInfo } from '@samverkan/testing';
import { Client } from 'pg';
import type { Browser, Page } from 'playwright-core';
import { filedForSocialServices, produceAsAdmin, producePoisonMessage } from '../../../../deploy/demo/poison';
import { fakeChild } from '../../../../deploy/demo/synthetic';
import { launchChromium } from './support/chromium';
import { callJson, startHubApp, type HubProcess, type Json } from './support/hub-process';

// The operations console in Debian's chromium, against the real stack: the operations app, the education
// and social-services consumers as processes of their own, Kafka and PostgreSQL as they run locally.
//
// 1. stop a consumer (education): its status turns "stopped" and its lag chart grows;
// 2. a poison message (a broken personnummer) shows up in dead letters, masked, and is discarded with
//    a reason that lands in the audit log;
// 3. a message social services cannot store (a database rule rejects that one report) is dead-lettered;
//    once the rule is fixed, replaying it from the page stores the report exactly once.
//
// The education and social-services groups must have no other member while this runs (stop `npm start`
// first): the test checks that and fails with the members it found.

jest.setTimeout(420_000);

const SCREENSHOTS = join(__dirname, '..', '..', '..', '..', '.local', 'screenshots');

describe('operations console in chromium', () => {
  let issuer: TestIssuer;
  let operations: HubProcess;
  let education: HubProcess;
  let social: HubProcess;
  let browser: Browser;
  let page: Page;
  let operator: string;
  let worker: string;
  const blockName = `ops_e2e_block_${randomUUID().slice(0, 8)}`;
  let socialDb: Client;

  const api = async (path: string, method = 'GET', body?: unknown): Promise<Json> => {
    const res = await callJson(operations, method, path, operator, body);
    if (res.status >= 300)
      throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const shot = async (name: string) => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };

  beforeAll(async () => {
    issuer = await createTestIssuer();
    operator = await issuer.mintFor({ agency: 'operations', orgUnit: 'ops-e2e', roles: [ROLES.OPERATOR] });
    worker = await issuer.mintFor({
      agency: 'social-services',
      orgUnit: 'ifo-barn-unga',
      roles: [ROLES.SOCIAL_WORKER],
    });
    [education, social] = await Promise.all([
      startHubApp('education', issuer),
      startHubApp('social-services', issuer),
    ]);
    operations = await startHubApp('operations', issuer, {
      // Fast sampling so "stopped" (no commits over the window while there is lag) shows within seconds.
      OPERATIONS_SAMPLE_INTERVAL_SECONDS: '1',
      OPERATIONS_STATUS_WINDOW: '4',
      OPERATIONS_SERVICE_URLS: `education=${education.url},social-services=${social.url}`,
    });
    const info = loadStackInfo();
    const admin = new URL(info.postgres.adminUrl);
    admin.pathname = `/${info.postgres.databases['social-services'].database}`;
    socialDb = new Client({ connectionString: admin.toString() });
    await socialDb.connect();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    page.on('pageerror', (error) => process.stderr.write(`[page error] ${error.message}\n`));
  });

  afterAll(async () => {
    await socialDb
      ?.query(`ALTER TABLE intake_items DROP CONSTRAINT IF EXISTS ${blockName}`)
      .catch(() => undefined);
    await socialDb?.end().catch(() => undefined);
    await browser?.close();
    await Promise.all([operations?.stop(), education?.stop(), social?.stop()]);
    await issuer?.cleanup();
  });

  it('takes the token from the #token= fragment into sessionStorage and out of the address bar', async () => {
    await page.goto(`${operations.url}/console#token=${encodeURIComponent(operator)}`);
    await page.getByRole('heading', { name: 'Consumer groups' }).waitFor();
    expect(page.url()).not.toContain('token=');
    expect(
      await page.evaluate(() =>
        (
          globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }
        ).sessionStorage.getItem('samverkan.operations.token'),
      ),
    ).toBe(operator);
    // Every group of the topology has a card with a status in words.
    for (const group of ['education', 'social-services', 'router']) {
      await page.locator(`section[data-group="${group}"] .status`).waitFor();
    }
  });

  it('stop a consumer: its status turns stopped and its lag chart grows', async () => {
    const before = await eventually(
      async () => {
        const g = await api('/consumer-groups/education');
        expect(g.members).toHaveLength(1);
        return g;
      },
      {
        describe: 'education with exactly our one member (stop npm start first)',
        timeoutMs: 90_000,
        dump: () => JSON.stringify(education.output()),
      },
    );
    await page.goto(`${operations.url}/console#/overview`);
    const card = page.locator('section[data-group="education"]');
    await card.waitFor();

    await education.stop();
    // Valid events education has no handler for (it skips them) pile up on its audience unconsumed.
    const info = loadStackInfo();
    const produced = 12;
    for (let i = 0; i < produced; i++)
      await produceAsAdmin(info, audienceTopic('education'), filedForSocialServices());

    await eventually(
      async () => {
        await page.reload();
        await card.waitFor();
        expect(await card.getAttribute('data-status')).toBe('stopped');
        expect(await card.locator('.status').first().innerText()).toContain('stopped');
      },
      {
        describe: 'the education card showing stopped',
        timeoutMs: 120_000,
        intervalMs: 2_000,
        dump: async () => ({
          group: await api('/consumer-groups/education'),
          operations: operations.output(),
        }),
      },
    );
    const chartLast = async () =>
      Number(await page.locator('#lag-chart-education path.line').getAttribute('data-last'));
    const lagNow = await chartLast();
    expect(lagNow).toBeGreaterThanOrEqual(before.totalLag + produced);
    // Lag keeps growing while nobody consumes; the chart's latest point follows.
    for (let i = 0; i < 5; i++)
      await produceAsAdmin(info, audienceTopic('education'), filedForSocialServices());
    await eventually(
      async () => {
        await page.reload();
        expect(await chartLast()).toBeGreaterThanOrEqual(lagNow + 5);
      },
      { describe: 'the lag chart growing', timeoutMs: 60_000, intervalMs: 2_000 },
    );
    const label = await page.locator('#lag-chart-education').getAttribute('aria-label');
    expect(label).toMatch(/now \d+/);
    await shot('overview-stopped');

    await page.goto(`${operations.url}/console#/groups/education`);
    await page.locator('#partition-table tbody tr').first().waitFor();
    expect(await page.locator('#group-status .status').innerText()).toContain('stopped');
    const lagCells = await page.locator('#partition-table tbody tr td:nth-child(5)').allInnerTexts();
    const total = lagCells.reduce((sum, text) => sum + Number(text.replace(/\s/g, '')), 0);
    expect(total).toBeGreaterThanOrEqual(produced + 5);
    await shot('group-education');
  });

  it('a poison message shows up in dead letters, masked, and is discarded with a reason that is audited', async () => {
    const info = loadStackInfo();
    const poison = await producePoisonMessage(info);
    const deadLetter = await eventually(
      async () => {
        const res = await api('/dead-letters/social-services?state=open');
        const found = res.items.find((d: Json) => d.eventId === poison.eventId);
        expect(found).toBeDefined();
        return found;
      },
      {
        describe: 'the poison message dead-lettered',
        timeoutMs: 90_000,
        dump: () => ({ social: social.output(), operations: operations.output() }),
      },
    );
    expect(deadLetter.errorClass).toBe('ContractViolation');

    await page.goto(`${operations.url}/console#/dead-letters/social-services`);
    const row = page.locator('#dead-letter-table tbody tr:not(.detail-row)', { hasText: poison.eventId });
    await row.waitFor({ state: 'attached' });
    // Headers and payload sit in the full-width row right below the dead letter's own row.
    const detail = row.locator('xpath=following-sibling::tr[1]');
    await detail.getByText('Headers and payload').click();
    const payload = await detail.locator('[data-role="payload"]').innerText();
    expect(payload).toContain('[masked]');
    expect(payload).not.toMatch(/\d{12}/);
    await shot('dead-letters-poison');

    // Discard: the reason is required.
    await row.getByRole('button', { name: `Discard dead letter ${deadLetter.id}` }).click();
    const dialog = page.locator('#action-dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Discard' }).click();
    expect(await page.locator('#action-reason-error').innerText()).toContain('required');
    await page.locator('#action-reason').fill('broken personnummer from a test producer');
    await dialog.getByRole('button', { name: 'Discard' }).click();
    await page.locator('#dl-status', { hasText: 'Discarded 1' }).waitFor();
    // The list reloads after the action; the discarded letter must leave it (waitFor throws if it stays).
    await page
      .locator('#dead-letter-table tbody tr:not(.detail-row)', { hasText: poison.eventId })
      .waitFor({ state: 'detached', timeout: 30_000 });

    await page.goto(`${operations.url}/console#/audit`);
    await page
      .locator('#audit-table tbody tr', { hasText: 'broken personnummer from a test producer' })
      .first()
      .waitFor();
  });

  it('fix it and replay: the report lands in social services exactly once', async () => {
    const child = fakeChild();
    const reportId = randomUUID();
    // A database rule that rejects this one report: the handler's insert fails with a CHECK violation,
    // which the consumer kit treats as permanent and dead-letters at once.
    await socialDb.query(
      `ALTER TABLE intake_items ADD CONSTRAINT ${blockName} CHECK (report_id <> '${reportId}') NOT VALID`,
    );
    const info = loadStackInfo();
    const event = filedForSocialServices({ reportId, personnummer: child.personnummer });
    await produceAsAdmin(info, audienceTopic('social-services'), event);
    const deadLetter = await eventually(
      async () => {
        const res = await api('/dead-letters/social-services?state=open');
        const found = res.items.find((d: Json) => d.eventId === event.id);
        expect(found).toBeDefined();
        return found;
      },
      {
        describe: 'the rejected report dead-lettered',
        timeoutMs: 90_000,
        dump: () => ({ social: social.output(), operations: operations.output() }),
      },
    );
    expect((await callJson(social, 'GET', `/concern-reports/${reportId}`, worker)).status).toBe(404);

    // The fix: the rule goes.
    await socialDb.query(`ALTER TABLE intake_items DROP CONSTRAINT ${blockName}`);

    await page.goto(`${operations.url}/console#/dead-letters/social-services`);
    await page.reload();
    const row = page.locator('#dead-letter-table tbody tr:not(.detail-row)', { hasText: event.id });
    await eventually(
      async () => {
        await page.locator('#dl-refresh').click();
        await row.waitFor({ state: 'attached', timeout: 5_000 });
      },
      {
        describe: 'the dead letter listed on the page',
        timeoutMs: 60_000,
        intervalMs: 1_000,
        dump: async () => (await page.locator('main').innerText()).slice(0, 2000),
      },
    );
    await row.getByRole('checkbox').check();
    await page.locator('#replay-selected').click();
    await page.locator('#action-reason').fill('intake rule fixed');
    await page.locator('#action-dialog').getByRole('button', { name: 'Replay' }).click();
    await page.locator('#dl-status', { hasText: 'Replayed 1' }).waitFor();
    await shot('dead-letters-replayed');

    const stored = await eventually(
      async () => {
        const res = await callJson(social, 'GET', `/concern-reports/${reportId}`, worker);
        expect(res.status).toBe(200);
        return res.body;
      },
      { describe: 'the replayed report in the intake', timeoutMs: 90_000, dump: social.output },
    );
    expect(stored.id ?? stored.reportId).toBe(reportId);

    // Replaying the same dead letter again changes nothing: refused, or dropped by the inbox.
    const again = await api('/dead-letters/social-services/replay', 'POST', {
      ids: [deadLetter.id],
      reason: 'second try',
    });
    expect(again.replayed.length + again.refused.length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const rows = await socialDb.query('SELECT count(*)::int AS n FROM intake_items WHERE report_id = $1', [
      reportId,
    ]);
    expect(rows.rows[0].n).toBe(1);
    const search = await callJson(social, 'POST', '/intake/search', worker, {
      personnummer: child.personnummer,
    });
    expect(search.status).toBe(200);
    const items = search.body.items ?? search.body.reports ?? search.body;
    expect(items).toHaveLength(1);

    await page.goto(`${operations.url}/console#/audit`);
    await page.locator('#audit-table tbody tr', { hasText: 'intake rule fixed' }).first().waitFor();
    await page.goto(`${operations.url}/console#/health`);
    await page.locator('#health-table [data-service="social-services"] .status').waitFor();
    await shot('health');
  });
});
