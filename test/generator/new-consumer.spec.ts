import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_TYPES, SERVICES, SHARING_POLICY } from '@samverkan/contracts';
import { appFiles } from '../../scripts/new-consumer/app-templates';
import {
  NewConsumerError,
  NewConsumerErrorCode,
  nameForms,
  validateConsumerName,
} from '../../scripts/new-consumer/consumer-name';
import {
  addToConsumers,
  addToPolicyRegistry,
  CONSUMERS_FILE,
  MARKERS,
  policyFile,
  POLICY_REGISTRY_FILE,
} from '../../scripts/new-consumer/declaration-edits';
import {
  addComposeOperationsServiceUrl,
  addComposeService,
  addDatabase,
  addOperationsServiceUrl,
  addScramUser,
  COMPOSE_FILE,
  DEPLOY_MARKERS,
  KAFKA_START_FILE,
  nextComposePort,
  OPERATIONS_LOCAL_ENV,
  POSTGRES_INIT_FILE,
} from '../../scripts/new-consumer/deploy-edits';
import { generateConsumer } from '../../scripts/new-consumer/generate-consumer';

const REPO = join(__dirname, '..', '..');
const realConsumers = () => readFileSync(join(REPO, CONSUMERS_FILE), 'utf8');
const realRegistry = () => readFileSync(join(REPO, POLICY_REGISTRY_FILE), 'utf8');
const real = (file: string) => readFileSync(join(REPO, file), 'utf8');
/** The checked-in files the generator edits. */
const EDITED_FILES = [
  CONSUMERS_FILE,
  POLICY_REGISTRY_FILE,
  COMPOSE_FILE,
  KAFKA_START_FILE,
  POSTGRES_INIT_FILE,
  OPERATIONS_LOCAL_ENV,
];

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof NewConsumerError ? error.code : `not a NewConsumerError: ${String(error)}`;
  }
  return undefined;
};

describe('consumer names', () => {
  it.each(['youth-clinic', 'police', 'sspf2', 'a-b-c'])('accepts %s', (name) => {
    expect(codeOf(() => validateConsumerName(name))).toBeUndefined();
  });

  it.each([
    'Youth-Clinic',
    'youth_clinic',
    '-x',
    'x-',
    'x--y',
    '1clinic',
    '',
    'a'.repeat(41),
    'dlq',
    'router',
  ])('refuses %p', (name) => {
    expect(codeOf(() => validateConsumerName(name))).toBe(NewConsumerErrorCode.INVALID_NAME);
  });

  it('derives the identifier forms', () => {
    expect(nameForms('youth-clinic')).toEqual({
      kebab: 'youth-clinic',
      pascal: 'YouthClinic',
      constant: 'YOUTH_CLINIC',
      snake: 'youth_clinic',
    });
  });
});

describe('declaration edits', () => {
  it('adds the audience above the marker, once however often it runs', () => {
    const once = addToConsumers(realConsumers(), 'youth-clinic');
    expect(once).toContain(`  'youth-clinic',\n  ${MARKERS.audiences}`);
    expect(addToConsumers(once, 'youth-clinic')).toBe(once);
    const two = addToConsumers(once, 'police');
    expect(two.indexOf("'youth-clinic'")).toBeLessThan(two.indexOf("'police'"));
  });

  it('registers the policy column (import and entry), idempotently', () => {
    const once = addToPolicyRegistry(realRegistry(), 'youth-clinic');
    expect(once).toContain(
      `import { YOUTH_CLINIC_POLICY } from './youth-clinic.policy';\n${MARKERS.imports}`,
    );
    expect(once).toContain(`  'youth-clinic': YOUTH_CLINIC_POLICY,\n  ${MARKERS.policies}`);
    expect(addToPolicyRegistry(once, 'youth-clinic')).toBe(once);
  });

  it('refuses to edit a declaration whose marker is gone', () => {
    expect(codeOf(() => addToConsumers('export const CONSUMER_AUDIENCES = [] as const;', 'x'))).toBe(
      NewConsumerErrorCode.MARKER_MISSING,
    );
  });

  it('writes a policy column that withholds every event type with reason no-rule', () => {
    const text = policyFile('youth-clinic', EVENT_TYPES);
    for (const type of EVENT_TYPES) expect(text).toContain(`'${type}': noRuleYet,`);
    expect(text).toContain("{ outcome: 'withheld', reason: 'no-rule'");
    expect(text).toContain('export const YOUTH_CLINIC_POLICY: AudiencePolicy');
  });

  it('leaves the checked-in declarations empty and the policy at its core audiences', () => {
    expect(realConsumers()).toMatch(
      /CONSUMER_AUDIENCES = \[\s*\/\/ new-consumer: audiences above this line\s*\] as const/,
    );
    expect(Object.keys(SHARING_POLICY[EVENT_TYPES[0]]).sort()).toEqual(
      ['education', 'leisure', 'reporting', 'social-services'].sort(),
    );
  });
});

describe('generateConsumer on a scratch tree', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'new-consumer-spec-'));
    for (const file of EDITED_FILES) {
      mkdirSync(join(root, file, '..'), { recursive: true });
      writeFileSync(join(root, file), real(file));
    }
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const generate = (name: string, delivery: 'kafka' | 'webhook' = 'kafka') =>
    generateConsumer({
      root,
      name,
      existingServices: SERVICES,
      eventTypes: EVENT_TYPES,
      regenerateSchemas: false,
      format: false,
      migrationTimestamp: 1799999999999,
      delivery,
    });

  it('creates the app files and edits both declarations', () => {
    const result = generate('youth-clinic');
    expect(result.created).toEqual(
      expect.arrayContaining([
        'libs/contracts/src/policy/audiences/youth-clinic.policy.ts',
        'apps/youth-clinic/src/main.ts',
        'apps/youth-clinic/src/youth-clinic.module.ts',
        'apps/youth-clinic/src/config/youth-clinic.env.ts',
        'apps/youth-clinic/src/courses/courses.consumer.ts',
        'apps/youth-clinic/src/migrations/1799999999999-youth-clinic-schema.migration.ts',
        'apps/youth-clinic/test/youth-clinic.e2e-spec.ts',
        'apps/youth-clinic/test/migrations-drift.int-spec.ts',
        'apps/youth-clinic/README.md',
      ]),
    );
    expect(result.edited.sort()).toEqual([...EDITED_FILES].sort());
    expect(readFileSync(join(root, CONSUMERS_FILE), 'utf8')).toContain("'youth-clinic',");
    expect(readFileSync(join(root, COMPOSE_FILE), 'utf8')).toContain(
      "command: ['node', 'dist/apps/youth-clinic/src/main.js']",
    );
    expect(readFileSync(join(root, OPERATIONS_LOCAL_ENV), 'utf8')).toContain(
      `youth-clinic=http://127.0.0.1:${3001 + SERVICES.length}`,
    );
  });

  it('in webhook mode, generates an app without handlers that delivers through @samverkan/webhooks', () => {
    const result = generate('police', 'webhook');
    expect(result.created).toEqual(
      expect.arrayContaining([
        'apps/police/src/main.ts',
        'apps/police/src/police.module.ts',
        'apps/police/src/config/police.env.ts',
        'apps/police/src/migrations/index.ts',
        'apps/police/local.env',
        'apps/police/test/police.e2e-spec.ts',
        'apps/police/test/migrations-drift.int-spec.ts',
      ]),
    );
    expect(result.created.some((f) => f.includes('/courses/'))).toBe(false);
    const module = readFileSync(join(root, 'apps/police/src/police.module.ts'), 'utf8');
    expect(module).toContain('WebhookDeliveryModule.forSubscriber(webhook)');
    expect(module).toContain('consumes: { settings: webhookConsumerSettings(webhook) }');
    expect(readFileSync(join(root, 'apps/police/src/config/police.env.ts'), 'utf8')).toContain(
      'export class PoliceEnv extends WebhookServiceEnv {}',
    );
    const compose = readFileSync(join(root, COMPOSE_FILE), 'utf8');
    expect(compose).toContain('WEBHOOK_URL: https://webhook-receiver.invalid/police');
    expect(compose).toMatch(/WEBHOOK_SECRET: whsec_[A-Za-z0-9+/=]{44}\n/);
  });

  it('refuses an existing service, and a name it generated before, without touching anything', () => {
    expect(codeOf(() => generate('social-services'))).toBe(NewConsumerErrorCode.NAME_TAKEN);
    generate('youth-clinic');
    const before = readFileSync(join(root, CONSUMERS_FILE), 'utf8');
    const handler = join(root, 'apps/youth-clinic/src/courses/courses.consumer.ts');
    writeFileSync(handler, '// edited by its team');
    expect(codeOf(() => generate('youth-clinic'))).toBe(NewConsumerErrorCode.NAME_TAKEN);
    expect(readFileSync(join(root, CONSUMERS_FILE), 'utf8')).toBe(before);
    expect(readFileSync(handler, 'utf8')).toBe('// edited by its team');
  });

  it('writes nothing when a declaration marker is missing', () => {
    writeFileSync(join(root, POLICY_REGISTRY_FILE), 'export const CONSUMER_AUDIENCE_POLICIES = {};\n');
    expect(codeOf(() => generate('youth-clinic'))).toBe(NewConsumerErrorCode.MARKER_MISSING);
    expect(existsSync(join(root, 'apps/youth-clinic'))).toBe(false);
  });

  it('writes nothing when a deploy marker is missing', () => {
    const compose = real(COMPOSE_FILE).replace(DEPLOY_MARKERS.compose, '');
    writeFileSync(join(root, COMPOSE_FILE), compose);
    expect(codeOf(() => generate('youth-clinic'))).toBe(NewConsumerErrorCode.MARKER_MISSING);
    expect(existsSync(join(root, 'apps/youth-clinic'))).toBe(false);
    expect(readFileSync(join(root, CONSUMERS_FILE), 'utf8')).toBe(realConsumers());
  });
});

describe('deploy edits', () => {
  it('add a compose service on the next host port, once', () => {
    const before = real(COMPOSE_FILE);
    const port = nextComposePort(before);
    expect(port).toBe(3007);
    const once = addComposeService(before, 'youth-clinic', 'kafka');
    expect(once).toContain(`      - '127.0.0.1:${port}:3000'`);
    expect(once).toContain(`  youth-clinic:\n    build:\n      context: .`);
    expect(once.indexOf('  youth-clinic:')).toBeLessThan(once.indexOf(DEPLOY_MARKERS.compose));
    expect(addComposeService(once, 'youth-clinic', 'kafka')).toBe(once);
    expect(nextComposePort(once)).toBe(port + 1);
  });

  it('seed the SCRAM user and the database, once', () => {
    const script = addScramUser(real(KAFKA_START_FILE), 'youth-clinic');
    expect(script).toContain(
      `  'SCRAM-SHA-256=[name=youth-clinic,password=samverkan-dev-kafka-youth-clinic]'\n  ${DEPLOY_MARKERS.scram}`,
    );
    expect(addScramUser(script, 'youth-clinic')).toBe(script);
    const sql = addDatabase(real(POSTGRES_INIT_FILE), 'youth-clinic');
    expect(sql).toContain(
      "CREATE ROLE samverkan_youth_clinic LOGIN PASSWORD 'samverkan-dev-pg-youth-clinic';",
    );
    expect(sql).toContain('\\connect samverkan_youth_clinic\n');
    expect(addDatabase(sql, 'youth-clinic')).toBe(sql);
  });

  it("add the app to the console's health list in compose, once", () => {
    const compose = addComposeService(
      readFileSync(join(REPO, COMPOSE_FILE), 'utf8'),
      'youth-clinic',
      'kafka',
    );
    const urls = /OPERATIONS_SERVICE_URLS: (.*)$/m.exec(compose)?.[1] ?? '';
    expect(urls.split(',')).toEqual(
      expect.arrayContaining(['education=http://education:3000', 'youth-clinic=http://youth-clinic:3000']),
    );
    expect(urls.match(/youth-clinic=/g)).toHaveLength(1);
    expect(addComposeOperationsServiceUrl(compose, 'youth-clinic')).toBe(compose);
  });

  it("add the app to the console's local health list, once", () => {
    const env = addOperationsServiceUrl('# x\nOPERATIONS_SERVICE_URLS=a=http://h:1\nB=2\n', 'c', 3007);
    expect(env).toBe('# x\nOPERATIONS_SERVICE_URLS=a=http://h:1,c=http://127.0.0.1:3007\nB=2\n');
    expect(addOperationsServiceUrl(env, 'c', 3007)).toBe(env);
  });
});

describe('app templates', () => {
  const files = appFiles('youth-clinic', 1799999999999);

  it('consume the own audience through the service kit, with the example handler writing through ctx.manager', () => {
    const module = files.get('apps/youth-clinic/src/youth-clinic.module.ts')!;
    expect(module).toContain("service: 'youth-clinic'");
    expect(module).toContain('ServiceKitModule.forService');
    expect(module).toContain('AuthModule.forRoot');
    const handler = files.get('apps/youth-clinic/src/courses/courses.consumer.ts')!;
    expect(handler).toContain("@TypedEventPattern('samverkan.course.scheduled.v1')");
    expect(handler).toContain('ctx.manager.insert');
    expect(handler.split('\n').length).toBeLessThanOrEqual(30);
  });

  it('keep the migration and the entity in step (same table and columns)', () => {
    const migration = files.get(
      'apps/youth-clinic/src/migrations/1799999999999-youth-clinic-schema.migration.ts',
    )!;
    const entity = files.get('apps/youth-clinic/src/courses/scheduled-course.entity.ts')!;
    for (const column of ['event_id', 'course_id', 'catalog_code', 'received_at']) {
      expect(migration).toContain(column);
      expect(entity).toContain(`'${column}'`);
    }
    expect(migration).toContain('CONSTRAINT scheduled_courses_pkey PRIMARY KEY (id)');
  });
});
