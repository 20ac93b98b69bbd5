import { nameForms } from './consumer-name';
import { webhookAppFiles } from './webhook-templates';

/** `kafka`: the app consumes its audience with handlers of its own; `webhook`: it posts it to a subscriber. */
export type DeliveryMode = 'kafka' | 'webhook';

/**
 * The files of a new consumer app, by path relative to the repository root. The example handler
 * takes `course.scheduled.v1` (no personal data, the natural first rule for a new audience) and
 * writes one row per event through the inbox transaction's EntityManager. In webhook mode the app has
 * no handler of its own: @samverkan/webhooks delivers every event (webhook-templates.ts).
 */
export function appFiles(
  name: string,
  migrationTimestamp: number,
  mode: DeliveryMode = 'kafka',
): Map<string, string> {
  const n = nameForms(name);
  const app = `apps/${name}`;
  const migrationClass = `${n.pascal}Schema${migrationTimestamp}`;
  const files = new Map<string, string>();

  files.set(
    `${app}/src/main.ts`,
    `import 'reflect-metadata';
import { validateEnv } from '@samverkan/config';
import { bootstrapService, runService } from '@samverkan/platform';
import { ${n.pascal}Env } from './config/${name}.env';
import { ${n.pascal}Module } from './${name}.module';

runService('${name}', async () => {
  const env = validateEnv(${n.pascal}Env);
  await bootstrapService(${n.pascal}Module.forRoot(env), {
    name: '${name}',
    description: '${mode === 'webhook' ? 'Delivers samverkan.audience.' + name + ' to its webhook subscriber.' : 'Consumer of samverkan.audience.' + name + '.'}',
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    host: env.HOST,
  });
});
`,
  );

  if (mode === 'webhook') {
    for (const [path, content] of webhookAppFiles(name)) files.set(path, content);
    files.set(`${app}/test/migrations-drift.int-spec.ts`, driftSpec(name, ['webhook_deliveries']));
    return files;
  }
  files.set(`${app}/test/migrations-drift.int-spec.ts`, driftSpec(name, ['scheduled_courses']));

  files.set(
    `${app}/src/config/${name}.env.ts`,
    `import { BaseServiceEnv } from '@samverkan/config';

/** Environment of apps/${name}: the service kit's variables (Kafka, database, port); add the app's own here. */
export class ${n.pascal}Env extends BaseServiceEnv {}
`,
  );

  files.set(
    `${app}/src/${name}.module.ts`,
    `import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule, type AuthConfig } from '@samverkan/auth';
import { ServiceKitModule } from '@samverkan/platform';
import type { ${n.pascal}Env } from './config/${name}.env';
import { CoursesConsumer } from './courses/courses.consumer';
import { ${n.constant}_MIGRATIONS } from './migrations';
import { ${n.constant}_ENTITIES } from './${name}.entities';

export interface ${n.pascal}ModuleOptions {
  /** Token verification; default: from AUTH_* variables (see @samverkan/auth). */
  auth?: AuthConfig;
}

/** Consumes samverkan.audience.${name} through the consumer kit (inbox, retries, dead letters). */
@Module({})
export class ${n.pascal}Module {
  static forRoot(env: ${n.pascal}Env, options: ${n.pascal}ModuleOptions = {}): DynamicModule {
    return {
      module: ${n.pascal}Module,
      imports: [
        ServiceKitModule.forService({
          service: '${name}',
          env,
          entities: ${n.constant}_ENTITIES,
          migrations: ${n.constant}_MIGRATIONS,
          // Event types the policy delivers but no handler takes yet are skipped, not dead-lettered.
          consumes: { settings: { onNoHandler: 'skip' } },
        }),
        AuthModule.forRoot({ config: options.auth }),
      ],
      controllers: [CoursesConsumer],
    };
  }
}
`,
  );

  files.set(
    `${app}/src/${name}.entities.ts`,
    `import { ScheduledCourse } from './courses/scheduled-course.entity';

/** The app's own tables (the service kit adds the outbox and inbox). */
export const ${n.constant}_ENTITIES = [ScheduledCourse];
`,
  );

  files.set(
    `${app}/src/courses/scheduled-course.entity.ts`,
    `import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A course this consumer has heard of. The row id is new per handled event on purpose: that a course
 * announced twice on the topic lands once is the inbox's work, and the e2e test checks exactly that.
 */
@Entity({ name: 'scheduled_courses' })
export class ScheduledCourse {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'scheduled_courses_pkey' })
  id: string;

  /** The event that brought it (ce_id), for tracing. */
  @Column({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @Column({ name: 'course_id', type: 'text' })
  courseId: string;

  @Column({ name: 'catalog_code', type: 'text' })
  catalogCode: string;

  @Column({ type: 'integer' })
  capacity: number;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;
}
`,
  );

  files.set(
    `${app}/src/courses/courses.consumer.ts`,
    `import { randomUUID } from 'node:crypto';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { CourseScheduledV1 } from '@samverkan/contracts';
import { SamverkanContext, TypedEventPattern } from '@samverkan/messaging';
import { ScheduledCourse } from './scheduled-course.entity';

type Scheduled = 'samverkan.course.scheduled.v1';

/** Courses from samverkan.audience.${name}; the effect commits with the inbox record, or not at all. */
@Controller()
export class CoursesConsumer {
  @TypedEventPattern('samverkan.course.scheduled.v1')
  async onScheduled(@Payload() data: CourseScheduledV1, @Ctx() ctx: SamverkanContext<Scheduled>): Promise<void> {
    await ctx.manager.insert(ScheduledCourse, {
      id: randomUUID(),
      eventId: ctx.event.id,
      courseId: data.courseId,
      catalogCode: data.catalogCode,
      capacity: data.capacity,
      receivedAt: new Date(),
    });
  }
}
`,
  );

  files.set(
    `${app}/src/migrations/index.ts`,
    `import { ${migrationClass} } from './${migrationTimestamp}-${name}-schema.migration';

/** In order; the service kit runs them (after the messaging tables) at start. */
export const ${n.constant}_MIGRATIONS = [${migrationClass}];
`,
  );

  files.set(
    `${app}/src/migrations/${migrationTimestamp}-${name}-schema.migration.ts`,
    `import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The courses ${name} has received. */
export class ${migrationClass} implements MigrationInterface {
  name = '${migrationClass}';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`
      CREATE TABLE scheduled_courses (
        id uuid NOT NULL,
        event_id uuid NOT NULL,
        course_id text NOT NULL,
        catalog_code text NOT NULL,
        capacity integer NOT NULL,
        received_at timestamptz NOT NULL,
        CONSTRAINT scheduled_courses_pkey PRIMARY KEY (id)
      )\`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`DROP TABLE scheduled_courses\`);
  }
}
`,
  );

  files.set(
    `${app}/test/${name}.e2e-spec.ts`,
    `import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { createTestIssuer, type TestIssuer } from '@samverkan/auth';
import { validateEnv } from '@samverkan/config';
import { audienceTopic, createEvent, encodeCloudEvent, EVENT_EXAMPLES, type CloudEvent } from '@samverkan/contracts';
import { createKafkaClient, INBOX_TABLE } from '@samverkan/messaging';
import { bootstrapService } from '@samverkan/platform';
import { createScratchDatabase, dropScratchDatabase, eventually, loadStackInfo } from '@samverkan/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ${n.pascal}Env } from '../src/config/${name}.env';
import { ${n.pascal}Module } from '../src/${name}.module';

jest.setTimeout(180_000);

const SERVICE = '${name}';
const AUDIENCE = audienceTopic(SERVICE);

// The app booted as main.ts boots it, with its own Kafka principal, on a scratch database; the
// stack's admin principal stands in for the router and produces onto the audience.
describe('apps/${name} against the real stack', () => {
  let app: INestApplication;
  let issuer: TestIssuer;
  let databaseUrl: string;
  let db: DataSource;
  const info = loadStackInfo();

  beforeAll(async () => {
    const principal = info.kafka.principals[SERVICE];
    if (!principal) {
      throw new Error(\`The stack has no Kafka principal for \${SERVICE}: restart it (npm run stack) to add it\`);
    }
    databaseUrl = await createScratchDatabase(\`\${SERVICE}_e2e\`);
    issuer = await createTestIssuer();
    const env = validateEnv(${n.pascal}Env, {
      KAFKA_BROKERS: info.kafka.brokers.join(','),
      KAFKA_USERNAME: principal.username,
      KAFKA_PASSWORD: principal.password,
      DATABASE_URL: databaseUrl,
    });
    app = await bootstrapService(${n.pascal}Module.forRoot(env, { auth: issuer.config }), {
      name: SERVICE,
      description: \`\${SERVICE} under test\`,
      port: 0,
    });
    db = app.get(DataSource);
  });

  afterAll(async () => {
    await app?.close();
    if (databaseUrl) await dropScratchDatabase(databaseUrl);
    await issuer?.cleanup();
  });

  const scheduled = (subject: string) =>
    createEvent('samverkan.course.scheduled.v1', {
      source: '/samverkan/leisure',
      subject,
      municipality: '0781',
      legalbasis: 'no-personal-data',
      data: { ...EVENT_EXAMPLES['samverkan.course.scheduled.v1'], courseId: randomUUID() },
    });

  async function produce(events: CloudEvent[]): Promise<void> {
    const kafka = createKafkaClient({
      brokers: info.kafka.brokers,
      clientId: \`\${SERVICE}-e2e-\${randomUUID().slice(0, 8)}\`,
      sasl: info.kafka.admin,
    });
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      await producer.send({ topic: AUDIENCE, acks: -1, messages: events.map((e) => encodeCloudEvent(e)) });
    } finally {
      await producer.disconnect();
    }
  }

  const rowsFor = async (courseId: string): Promise<number> =>
    Number((await db.query('SELECT count(*) AS n FROM scheduled_courses WHERE course_id = $1', [courseId]))[0].n);

  it('reports healthy on GET /health', async () => {
    const res = await request(app.getHttpServer()).get('/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
  });

  it('applies an event delivered twice exactly once', async () => {
    const subject = randomUUID();
    const event = scheduled(subject);
    // Same key, so the same partition: once the later event is applied, both copies have been handled.
    const later = scheduled(subject);
    await produce([event, event]);
    await produce([later]);
    await eventually(async () => expect(await rowsFor(later.data.courseId)).toBe(1), {
      describe: \`course.scheduled \${later.id} applied by \${SERVICE}\`,
      timeoutMs: 120_000,
    });
    expect(await rowsFor(event.data.courseId)).toBe(1);
    const inbox = await db.query(\`SELECT count(*) AS n FROM \${INBOX_TABLE} WHERE event_id = $1\`, [event.id]);
    expect(Number(inbox[0].n)).toBe(1);
  });
});
`,
  );

  files.set(
    `${app}/README.md`,
    `# apps/${name}

A consumer of the hub, generated by \`npm run new:consumer -- ${name}\`.

| | |
|---|---|
| consumes | \`samverkan.audience.${name}\` (consumer group \`${name}\`, dead letters on \`samverkan.dlq.${name}\`) |
| publishes | nothing |
| exposes | \`GET /health\` (database, Kafka), OpenAPI at \`/docs\` |
| database | its own (\`samverkan_${n.snake}\` locally); tables in \`src/migrations\` |

The audience receives **nothing** until the sharing policy says otherwise: its column,
\`libs/contracts/src/policy/audiences/${name}.policy.ts\`, withholds every event type. Adding a rule
is a reviewed change with a legal basis — see [docs/adding-a-consumer.md](../../docs/adding-a-consumer.md).

## Handlers

\`src/courses/courses.consumer.ts\` is the example: one \`@TypedEventPattern(type)\` method per event
type, writing its effect through \`ctx.manager\` (the inbox transaction, so an event redelivered is
applied once). An exception is retried with backoff and then dead-lettered. For a high-rate type
whose effect is an insert per event, \`@TypedEventBatchPattern(type)\` takes a run of events in one
call instead: see Batch handlers in [docs/adding-a-consumer.md](../../docs/adding-a-consumer.md#batch-handlers).

## Run and test

\`npm start\` runs it with the rest (its principal, topic, ACLs and database come from the topology).
\`npx jest --config jest.config.ts apps/${name} --selectProjects e2e\` boots it against the real stack.
`,
  );
  return files;
}

/** The migration drift test every app has: migrations on an empty database leave TypeORM nothing to change. */
function driftSpec(name: string, tables: string[]): string {
  const n = nameForms(name);
  return `import 'reflect-metadata';
import { openServiceSchema, type ServiceSchema } from '@samverkan/testing';
import { ${n.constant}_MIGRATIONS } from '../src/migrations';
import { ${n.constant}_ENTITIES } from '../src/${name}.entities';

jest.setTimeout(60_000);

const TABLES = [${tables.map((t) => `'${t}'`).join(', ')}];

describe('${name} migrations', () => {
  let schema: ServiceSchema;

  beforeAll(async () => {
    schema = await openServiceSchema('${n.snake}_drift', {
      entities: ${n.constant}_ENTITIES,
      migrations: ${n.constant}_MIGRATIONS,
    });
  });

  afterAll(async () => {
    await schema?.close();
  });

  it('run on an empty database and leave nothing for TypeORM to change (no drift from the entities)', async () => {
    const applied = await schema.dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual(
      expect.arrayContaining([...${n.constant}_MIGRATIONS.map((M) => new M().name), 'MessagingTables1763900000000']),
    );
    expect(await schema.tablesPresent(TABLES)).toEqual(TABLES);
    expect(await schema.pendingSchemaQueries()).toEqual([]);
  });

  it('roll back cleanly', async () => {
    for (let i = 0; i < ${n.constant}_MIGRATIONS.length; i++) {
      await schema.dataSource.undoLastMigration({ transaction: 'each' });
    }
    expect(await schema.tablesPresent(TABLES)).toEqual([]);
  });
});
`;
}
