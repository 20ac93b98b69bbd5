import { Param, PipeTransform } from '@nestjs/common';
import { AppError } from '@samverkan/platform';
import { GROUP_ID_PATTERN } from './kafka-connection';

class GroupIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!GROUP_ID_PATTERN.test(value))
      throw AppError.validation([{ field: 'groupId', message: 'must be a Kafka consumer group id' }]);
    return value;
  }
}

/** `:groupId` route parameter, checked against Kafka's naming rules before anything looks it up. */
export const GroupIdParam = (): ParameterDecorator => Param('groupId', new GroupIdPipe());
