import { Controller, Get, Inject } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '@samverkan/auth';
import { KAFKA_CLIENT, OutboxRelay } from '@samverkan/messaging';
import { DatabaseMaintenanceCheck } from '../database/database-maintenance';

/** Above this many unpublished outbox rows the service reports itself down: the relay is not keeping up. */
export const OUTBOX_BACKLOG_DOWN_THRESHOLD = 10_000;
const KAFKA_CHECK_TIMEOUT_MS = 3000;

type KafkaClient = {
  admin(): { connect(): Promise<void>; describeCluster(): Promise<unknown>; disconnect(): Promise<void> };
};

/**
 * GET /health: database, Kafka, outbox backlog and database maintenance (autovacuum), in terminus'
 * format. Public: it reveals no data.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(KAFKA_CLIENT) private readonly kafka: KafkaClient,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay | null,
    @Inject(DatabaseMaintenanceCheck) private readonly maintenance: DatabaseMaintenanceCheck,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 3000 }),
      () => this.kafkaCheck(),
      () => this.outboxCheck(),
      () => this.maintenanceCheck(),
    ]);
  }

  /** Always up (the service works without autovacuum, only slower), with a warning when it is off. */
  private async maintenanceCheck(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('databaseMaintenance');
    try {
      return indicator.up({ ...(await this.maintenance.read()) });
    } catch {
      // The database check above reports an unreachable database.
      return indicator.up({ autovacuum: 'unknown' });
    }
  }

  private async kafkaCheck(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('kafka');
    const admin = this.kafka.admin();
    try {
      await withTimeout(
        (async () => {
          await admin.connect();
          await admin.describeCluster();
        })(),
        KAFKA_CHECK_TIMEOUT_MS,
      );
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.name : 'unreachable' });
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private async outboxCheck(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('outbox');
    if (!this.relay) return indicator.up({ relay: 'none in this process' });
    const backlog = await this.relay.backlog();
    return backlog > OUTBOX_BACKLOG_DOWN_THRESHOLD ? indicator.down({ backlog }) : indicator.up({ backlog });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
