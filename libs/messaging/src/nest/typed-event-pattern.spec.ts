import { PATTERN_METADATA, TRANSPORT_METADATA } from '@nestjs/microservices/constants';
import type { ConcernReportDecidedV1, ConcernReportFiledV1 } from '@samverkan/contracts';
import type { SamverkanContext } from './samverkan.context';
import { SAMVERKAN_TRANSPORT, TypedEventPattern } from './typed-event-pattern.decorator';

// The compile-time half of this test is `npm run typecheck`: each @ts-expect-error below fails the
// typecheck if the wrong payload ever starts to compile.
class Handlers {
  @TypedEventPattern('samverkan.concern-report.filed.v1')
  async onFiled(_data: ConcernReportFiledV1, _ctx: SamverkanContext<'samverkan.concern-report.filed.v1'>) {}

  @TypedEventPattern('samverkan.concern-report.decided.v1')
  async onDecidedDataOnly(_data: ConcernReportDecidedV1) {}

  // @ts-expect-error a decided handler cannot take a filed payload
  @TypedEventPattern('samverkan.concern-report.decided.v1')
  async wrongPayload(_data: ConcernReportFiledV1) {}

  // @ts-expect-error the context must be for the same event type
  @TypedEventPattern('samverkan.concern-report.decided.v1')
  async wrongContext(_data: ConcernReportDecidedV1, _ctx: { event: { type: 'other' } }) {}

  // @ts-expect-error not an event type of the contracts
  @TypedEventPattern('samverkan.nothing.happened.v1')
  async unknownType(_data: unknown) {}
}

describe('TypedEventPattern', () => {
  it('registers an event pattern bound to the Samverkan transport', () => {
    const method = Object.getOwnPropertyDescriptor(Handlers.prototype, 'onFiled')!.value as object;
    expect(Reflect.getMetadata(PATTERN_METADATA, method)).toEqual(['samverkan.concern-report.filed.v1']);
    expect(Reflect.getMetadata(TRANSPORT_METADATA, method)).toBe(SAMVERKAN_TRANSPORT);
  });
});
