import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDate,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

const LETTER_ID = /^\d{1,5}-\d{1,19}$/;
const NAME = /^[A-Za-z0-9._:-]{1,200}$/;
export const LETTER_STATES = ['open', 'replayed', 'discarded', 'all'] as const;

export class DeadLetterQuery {
  @ApiPropertyOptional({ description: 'Error class from the dlq_error_class header, e.g. PermanentError' })
  @IsOptional()
  @Matches(NAME, { message: 'must be an error class name' })
  errorClass?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(NAME, { message: 'must be a topic name' })
  originalTopic?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(NAME, { message: 'must be an event type' })
  eventType?: string;

  @ApiPropertyOptional({ description: 'Failed at or after (ISO-8601)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'must be an ISO-8601 date-time' })
  from?: Date;

  @ApiPropertyOptional({ description: 'Failed at or before (ISO-8601)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'must be an ISO-8601 date-time' })
  to?: Date;

  @ApiPropertyOptional({ enum: LETTER_STATES, default: 'open' })
  @IsOptional()
  @IsIn(LETTER_STATES, { message: `must be one of ${LETTER_STATES.join(', ')}` })
  state: (typeof LETTER_STATES)[number] = 'open';

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer between 1 and 1000' })
  @Min(1, { message: 'must be an integer between 1 and 1000' })
  @Max(1000, { message: 'must be an integer between 1 and 1000' })
  limit: number = 200;
}

export class ReplayRequest {
  @ApiPropertyOptional({ type: [String], description: 'Dead-letter ids (`<partition>-<offset>`); or errorClass' })
  @ValidateIf((o: ReplayRequest) => o.errorClass === undefined || o.ids !== undefined)
  @IsArray({ message: 'must be a list of dead-letter ids (or give errorClass instead)' })
  @ArrayMinSize(1, { message: 'must name at least one dead letter' })
  @ArrayMaxSize(1000, { message: 'must name at most 1000 dead letters' })
  @Matches(LETTER_ID, { each: true, message: 'must be dead-letter ids like 0-17' })
  ids?: string[];

  @ApiPropertyOptional({ description: 'Replay every open dead letter of this error class; or ids' })
  @ValidateIf((o: ReplayRequest) => o.ids === undefined || o.errorClass !== undefined)
  @Matches(NAME, { message: 'must be an error class name (or give ids instead, not both)' })
  errorClass?: string;

  @ApiProperty({ description: 'Why (goes into the audit log)', maxLength: 500 })
  @IsString({ message: 'is required: say why' })
  @IsNotEmpty({ message: 'is required: say why' })
  @MaxLength(500, { message: 'must be at most 500 characters' })
  reason: string;
}

export class DiscardRequest {
  @ApiProperty({ type: [String] })
  @IsArray({ message: 'must be a list of dead-letter ids' })
  @ArrayMinSize(1, { message: 'must name at least one dead letter' })
  @ArrayMaxSize(1000, { message: 'must name at most 1000 dead letters' })
  @Matches(LETTER_ID, { each: true, message: 'must be dead-letter ids like 0-17' })
  ids: string[];

  @ApiProperty({ description: 'Why (goes into the audit log)', maxLength: 500 })
  @IsString({ message: 'is required: say why' })
  @IsNotEmpty({ message: 'is required: say why' })
  @MaxLength(500, { message: 'must be at most 500 characters' })
  reason: string;
}
