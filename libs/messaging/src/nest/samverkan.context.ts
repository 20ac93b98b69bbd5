import { BaseRpcContext } from '@nestjs/microservices';
import type { CloudEvent, EventMap, EventType } from '@samverkan/contracts';
import type { EntityManager } from 'typeorm';
import type { BatchMessageContext, MessageContext } from '../consumer/message-context';

/**
 * What `@Ctx()` gives a handler on the Samverkan transport: the envelope, the EntityManager of the
 * inbox transaction (write the effect with it, so it commits together with the inbox row), and where
 * the message came from.
 */
export class SamverkanContext<T extends EventType = EventType>
  extends BaseRpcContext<[MessageContext<T>]>
  implements MessageContext<T>
{
  constructor(context: MessageContext<T>) {
    super([context]);
  }

  get event(): CloudEvent<T, EventMap[T]> {
    return this.args[0].event;
  }
  get manager(): EntityManager {
    return this.args[0].manager;
  }
  get consumerGroup(): string {
    return this.args[0].consumerGroup;
  }
  get topic(): string {
    return this.args[0].topic;
  }
  get partition(): number {
    return this.args[0].partition;
  }
  get offset(): string {
    return this.args[0].offset;
  }
  get attempt(): number {
    return this.args[0].attempt;
  }
}

/**
 * What `@Ctx()` gives a batch handler (`@TypedEventBatchPattern`): the events of the batch, in order,
 * the EntityManager of the inbox transaction they share, and where they came from.
 */
export class SamverkanBatchContext<T extends EventType = EventType>
  extends BaseRpcContext<[BatchMessageContext<T>]>
  implements BatchMessageContext<T>
{
  constructor(context: BatchMessageContext<T>) {
    super([context]);
  }

  get events(): ReadonlyArray<CloudEvent<T, EventMap[T]>> {
    return this.args[0].events;
  }
  get manager(): EntityManager {
    return this.args[0].manager;
  }
  get consumerGroup(): string {
    return this.args[0].consumerGroup;
  }
  get topic(): string {
    return this.args[0].topic;
  }
  get partition(): number {
    return this.args[0].partition;
  }
  get offsets(): readonly string[] {
    return this.args[0].offsets;
  }
  get attempt(): number {
    return this.args[0].attempt;
  }
}
