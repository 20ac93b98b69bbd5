import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import type { Kafka } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import type { DataSource } from 'typeorm';
import {
  InboxConsumer,
  type InboxConsumerOptions,
  type RawBatchEventHandler,
  type RawEventHandler,
} from '../consumer/inbox-consumer';
import { createKafkaClient, type KafkaClientOptions } from '../kafka/kafka-client.factory';
import { SamverkanBatchContext, SamverkanContext } from './samverkan.context';
import { SAMVERKAN_BATCH_HANDLER, SAMVERKAN_TRANSPORT } from './typed-event-pattern.decorator';

export type SamverkanTransportOptions = Omit<
  InboxConsumerOptions,
  'kafka' | 'dataSource' | 'resolveHandler' | 'resolveBatchHandler'
> & {
  kafka: Kafka | KafkaClientOptions;
  dataSource: DataSource;
};

export type SamverkanTransportStatus = 'connecting' | 'connected' | 'disconnected';

/**
 * A NestJS custom transport: `@EventPattern(type)` / `@TypedEventPattern(type)` handlers receive the
 * validated payload (`@Payload()`) and a `SamverkanContext` (`@Ctx()`), and run inside the inbox
 * transaction of the consumer kit (batching, inbox, retries, dead letters).
 */
export class SamverkanKafkaTransport
  extends Server<Record<string, never>, SamverkanTransportStatus>
  implements CustomTransportStrategy
{
  override readonly transportId = SAMVERKAN_TRANSPORT;
  protected override readonly logger = new Logger(SamverkanKafkaTransport.name);
  private consumer?: InboxConsumer;
  private readonly kafka: Kafka;

  constructor(private readonly options: SamverkanTransportOptions) {
    super();
    this.kafka = 'brokers' in options.kafka ? createKafkaClient(options.kafka) : options.kafka;
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      this._status$.next('connecting');
      const { kafka: _kafka, ...rest } = this.options;
      this.consumer = new InboxConsumer({
        ...rest,
        kafka: this.kafka,
        resolveHandler: (type) => this.resolveHandler(type),
        resolveBatchHandler: (type) => this.resolveBatchHandler(type),
      });
      await this.consumer.start();
      this._status$.next('connected');
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** Finishes the batch in flight, then disconnects. */
  async close(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = undefined;
    this._status$.next('disconnected');
  }

  on(): never {
    throw new Error('SamverkanKafkaTransport has no event listeners; observe `status` instead');
  }

  unwrap<T>(): T {
    if (!this.consumer) throw new Error('SamverkanKafkaTransport is not listening');
    return this.kafka as T;
  }

  private resolveHandler(type: string): RawEventHandler | undefined {
    const handler = this.getHandlerByPattern(type);
    if (!handler?.isEventHandler || handler.extras?.[SAMVERKAN_BATCH_HANDLER]) return undefined;
    return async (event, context) => {
      // The handler chain (guards, interceptors, pipes, filters) may answer with a value, a promise or
      // an observable; the transaction must not commit before it has settled.
      const result = await handler(event.data, new SamverkanContext(context));
      await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
    };
  }

  private resolveBatchHandler(type: string): RawBatchEventHandler | undefined {
    const handler = this.getHandlerByPattern(type);
    if (!handler?.isEventHandler || !handler.extras?.[SAMVERKAN_BATCH_HANDLER]) return undefined;
    return async (events, context) => {
      const result = await handler(
        events.map((event) => event.data),
        new SamverkanBatchContext(context),
      );
      await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
    };
  }
}
