import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type InjectionToken,
  type ModuleMetadata,
  type OnApplicationBootstrap,
  type Provider,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import type { InboxConsumerOptions } from '../consumer/inbox-consumer';
import { createKafkaClient, type KafkaClientOptions } from '../kafka/kafka-client.factory';
import { OutboxRelay, type OutboxRelayOptions } from '../outbox/outbox-relay.service';
import { OutboxService } from '../outbox/outbox.service';
import { SamverkanKafkaTransport } from './samverkan-kafka.transport';

export type RelaySettings = Omit<OutboxRelayOptions, 'kafka' | 'dataSource'>;
export type ConsumerSettings = Omit<InboxConsumerOptions, 'kafka' | 'dataSource' | 'resolveHandler'>;

export interface MessagingModuleOptions {
  kafka: KafkaClientOptions;
  /** Publishing side: the service's source topic (OutboxService's default) and the relay. */
  outbox?: {
    defaultTopic: string;
    /** false: this process does not run a relay (another one does). Default: run one. */
    relay?: RelaySettings | false;
  };
  /** Consuming side: provides `SamverkanKafkaTransport` for `app.connectMicroservice({ strategy })`. */
  consumer?: ConsumerSettings;
  /** DataSource holding the outbox and inbox tables; default: the TypeORM default DataSource. */
  dataSourceToken?: InjectionToken;
}

export interface MessagingModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: InjectionToken[];
  useFactory: (...args: never[]) => MessagingModuleOptions | Promise<MessagingModuleOptions>;
  dataSourceToken?: InjectionToken;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');

/** Starts the relay once the app is up and stops it (finishing the batch in flight) before the DataSource closes. */
@Injectable()
export class OutboxRelayLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(OutboxRelay) private readonly relay: OutboxRelay | null) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.relay?.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
  }
}

function providers(dataSourceToken: InjectionToken): Provider[] {
  return [
    {
      provide: KAFKA_CLIENT,
      inject: [MESSAGING_OPTIONS],
      useFactory: (options: MessagingModuleOptions): Kafka => createKafkaClient(options.kafka),
    },
    {
      provide: OutboxService,
      inject: [MESSAGING_OPTIONS],
      useFactory: (options: MessagingModuleOptions): OutboxService | null =>
        options.outbox ? new OutboxService({ defaultTopic: options.outbox.defaultTopic }) : null,
    },
    {
      provide: OutboxRelay,
      inject: [MESSAGING_OPTIONS, KAFKA_CLIENT, dataSourceToken, OutboxService],
      useFactory: (
        options: MessagingModuleOptions,
        kafka: Kafka,
        dataSource: DataSource,
        outbox: OutboxService | null,
      ): OutboxRelay | null => {
        if (!options.outbox || options.outbox.relay === false) return null;
        const relay = new OutboxRelay({ ...(options.outbox.relay ?? {}), kafka, dataSource });
        outbox?.onCommitted(() => relay.nudge());
        return relay;
      },
    },
    {
      provide: SamverkanKafkaTransport,
      inject: [MESSAGING_OPTIONS, KAFKA_CLIENT, dataSourceToken],
      useFactory: (
        options: MessagingModuleOptions,
        kafka: Kafka,
        dataSource: DataSource,
      ): SamverkanKafkaTransport | null =>
        options.consumer ? new SamverkanKafkaTransport({ ...options.consumer, kafka, dataSource }) : null,
    },
    OutboxRelayLifecycle,
  ];
}

const EXPORTS = [KAFKA_CLIENT, OutboxService, OutboxRelay, SamverkanKafkaTransport, MESSAGING_OPTIONS];

/**
 * Wires the Kafka client, the outbox, its relay and the consumer transport for one service:
 *
 *   MessagingModule.forRoot({ kafka, outbox: { defaultTopic: sourceTopic('education') }, consumer: { groupId, topics } })
 *   ...
 *   app.connectMicroservice({ strategy: app.get(SamverkanKafkaTransport) });
 */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        ...providers(options.dataSourceToken ?? DataSource),
      ],
      exports: EXPORTS,
    };
  }

  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        { provide: MESSAGING_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        ...providers(options.dataSourceToken ?? DataSource),
      ],
      exports: EXPORTS,
    };
  }
}
