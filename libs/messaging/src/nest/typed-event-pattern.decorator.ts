import { applyDecorators, UseFilters } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import type { EventMap, EventType } from '@samverkan/contracts';
import { SamverkanExceptionFilter } from './samverkan-exception.filter';
import type { SamverkanBatchContext, SamverkanContext } from './samverkan.context';

/** Identifies the Samverkan transport, so its patterns are not registered on other transports. */
export const SAMVERKAN_TRANSPORT = Symbol.for('samverkan.transport');

/** The pattern extra that marks a batch handler (see TypedEventBatchPattern). */
export const SAMVERKAN_BATCH_HANDLER = 'samverkanBatch';

/** Handler shape the typed decorator accepts: payload of the event type first, then the context. */
export type TypedEventHandler<T extends EventType> = (
  data: EventMap[T],
  context: SamverkanContext<T>,
  ...rest: never[]
) => unknown;

/**
 * `@EventPattern(type)` for the Samverkan transport, with a compile-time check that the handler's
 * first parameter is the event's payload class:
 *
 *   @TypedEventPattern('samverkan.concern-report.filed.v1')
 *   async onFiled(@Payload() data: ConcernReportFiledV1, @Ctx() ctx: SamverkanContext<'samverkan.concern-report.filed.v1'>) {}
 */
export function TypedEventPattern<T extends EventType>(type: T) {
  const decorator = applyDecorators(
    EventPattern(type, SAMVERKAN_TRANSPORT),
    UseFilters(SamverkanExceptionFilter),
  );
  return <M extends TypedEventHandler<T>>(
    target: object,
    propertyKey: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    decorator(target, propertyKey, descriptor);
  };
}

/** Handler shape the batch decorator accepts: the payloads of a run of events, then the batch context. */
export type TypedEventBatchHandler<T extends EventType> = (
  data: Array<EventMap[T]>,
  context: SamverkanBatchContext<T>,
  ...rest: never[]
) => unknown;

/**
 * Like TypedEventPattern, but the handler receives consecutive events of the type at once (in
 * partition order, all new to the inbox, one transaction) and writes their effects in one go:
 *
 *   @TypedEventBatchPattern('samverkan.concern-report.filed.v1')
 *   async onFiled(@Payload() data: ConcernReportFiledV1[], @Ctx() ctx: SamverkanBatchContext<'samverkan.concern-report.filed.v1'>) {}
 *
 * A retry after a failure hands it one event at a time, so a poison event is still dead-lettered alone.
 */
export function TypedEventBatchPattern<T extends EventType>(type: T) {
  const decorator = applyDecorators(
    EventPattern(type, SAMVERKAN_TRANSPORT, { [SAMVERKAN_BATCH_HANDLER]: true }),
    UseFilters(SamverkanExceptionFilter),
  );
  return <M extends TypedEventBatchHandler<T>>(
    target: object,
    propertyKey: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    decorator(target, propertyKey, descriptor);
  };
}
