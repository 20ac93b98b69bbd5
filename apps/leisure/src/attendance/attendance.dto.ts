import { ApiProperty } from '@nestjs/swagger';
import { Nested } from '@samverkan/contracts';
import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsUUID } from 'class-validator';

export class AttendanceEntryRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'enrollmentId must be a UUID' })
  enrollmentId: string;

  @ApiProperty({ description: 'Present (true) or absent (false)' })
  @IsBoolean({ message: 'present must be true or false' })
  present: boolean;
}

export class RecordAttendanceRequest {
  @ApiProperty({ type: [AttendanceEntryRequest], description: 'Every participant holding a place, once' })
  @ArrayMinSize(1, { message: 'participants must name at least one participant' })
  @ArrayMaxSize(500, { message: 'participants must name at most 500 participants' })
  @Nested(() => AttendanceEntryRequest, { each: true })
  participants: AttendanceEntryRequest[];
}

export class AttendanceResultView {
  @ApiProperty() sessionNumber: number;
  @ApiProperty() present: number;
  @ApiProperty() absent: number;
  @ApiProperty({ description: 'True when this was the last session: completion computed, course closed' })
  courseCompleted: boolean;
}
