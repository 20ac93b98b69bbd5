import { applyDecorators, UseFilters } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import type { EventMap, EventType } from '@samverkan/contracts';
import { SamverkanExceptionFilter } from './samverkan-exception.filter';
import type { SamverkanContext } from './samverkan.context';

/** Identifies the Samverkan transport, so its patterns are not registered on other transports. */
export const SAMVERKAN_TRANSPORT = Symbol.for('samverkan.transport');

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
