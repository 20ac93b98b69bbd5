import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { ROUTER_TRANSACTIONAL_ID_PREFIX } from '@samverkan/contracts';
import { KAFKA_CLIENT, TransactionalProcessor } from '@samverkan/messaging';
import { ROUTER_SETTINGS, type RouterSettings } from './router-settings';
import { RouterTopics } from './router-topics';
import { RoutingService } from './routing.service';

type KafkaClient = ConstructorParameters<typeof TransactionalProcessor>[0]['kafka'];

/**
 * Runs the routing loop: every source topic in, audience topics out, in Kafka transactions that
 * commit the consumed offsets with the outputs (exactly-once within Kafka). Starts once the app is
 * up, stops (finishing or aborting the batch in flight) before the database closes.
 */
@Injectable()
export class RouterProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RouterProcessor.name);
  private processor?: TransactionalProcessor;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: KafkaClient,
    @Inject(ROUTER_SETTINGS) private readonly settings: RouterSettings,
    @Inject(RouterTopics) private readonly topics: RouterTopics,
    private readonly routing: RoutingService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { consumerGroup, instanceId } = this.settings;
    this.processor = new TransactionalProcessor({
      kafka: this.kafka,
      groupId: consumerGroup,
      topics: this.topics.sources,
      // One id per instance: a restarted instance fences its zombie predecessor's open transaction.
      transactionalId: `${ROUTER_TRANSACTIONAL_ID_PREFIX}.${instanceId}`,
      deadLetterTopic: this.topics.deadLetter(consumerGroup),
      fromBeginning: true,
      maxBufferedOutputs: this.settings.maxBufferedOutputs,
      // A transient failure (the database away) must stall the loop, never skip an event: a skipped
      // consent withdrawal would let later events through under a consent no longer in force.
      retry: { attempts: Number.MAX_SAFE_INTEGER, baseMs: 200, capMs: 15_000 },
      prepareBatch: (batch, events) => this.routing.prepare(batch, events),
      transform: (input) => this.routing.route(input),
      beforeCommit: (batches) => this.routing.beforeCommit(batches),
      onAbort: (batches) => this.routing.onAbort(batches),
    });
    await this.processor.start();
    this.logger.log(
      `routing ${this.topics.sources.length} source topics as group ${consumerGroup} (transactional id prefix ${ROUTER_TRANSACTIONAL_ID_PREFIX})`,
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.processor?.stop();
    this.processor = undefined;
  }
}
