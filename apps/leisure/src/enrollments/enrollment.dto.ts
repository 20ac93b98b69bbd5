import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ENROLMENT_CHANNELS,
  IsPersonnummer,
  Nested,
  PARTICIPANT_ROLES,
  ToNormalizedPersonnummer,
  WITHDRAWAL_REASONS,
  type EnrolmentChannel,
  type ParticipantRole,
  type WithdrawalReason,
} from '@samverkan/contracts';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { ENROLLMENT_STATUSES, type EnrollmentStatus } from './enrollment.entity';

const PNR_DESCRIPTION =
  'Personnummer or samordningsnummer: 10 or 12 digits, optionally with - or + before the last four; stored and sent as 12 digits';

export class ContactRequest {
  @ApiPropertyOptional({ example: 'forälder@example.se' })
  @IsOptional()
  @IsEmail({ allow_utf8_local_part: false }, { message: 'email must be an e-mail address' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  email?: string;

  @ApiPropertyOptional({ example: '070-123 45 67' })
  @IsOptional()
  @Matches(/^\+?[0-9 ()-]{5,20}$/, {
    message: 'phone must be a phone number (digits, spaces, +, -, parentheses)',
  })
  phone?: string;
}

export class ParticipantRequest {
  @ApiProperty({
    enum: PARTICIPANT_ROLES,
    description: 'parent in a parent programme, child in a child group',
  })
  @IsIn(PARTICIPANT_ROLES, { message: `role must be one of ${PARTICIPANT_ROLES.join(', ')}` })
  role: ParticipantRole;

  @ApiPropertyOptional({
    description: `${PNR_DESCRIPTION}. Required unless the course is given as a service without a needs assessment`,
    example: '198001012387',
  })
  @IsOptional()
  @ToNormalizedPersonnummer()
  @IsPersonnummer()
  personnummer?: string;

  @ApiPropertyOptional({
    maxLength: 100,
    description: 'A name of the participant’s choice, instead of a personnummer (service courses only)',
  })
  @IsOptional()
  @IsString({ message: 'alias must be a string' })
  @IsNotEmpty({ message: 'alias must not be empty' })
  @MaxLength(100, { message: 'alias must be at most 100 characters' })
  alias?: string;

  @ApiPropertyOptional({
    type: ContactRequest,
    description: 'How the course reaches the participant, if they wish',
  })
  @IsOptional()
  @Nested(() => ContactRequest)
  contact?: ContactRequest;
}

export class EnrolledChildRequest {
  @ApiProperty({ description: PNR_DESCRIPTION, example: '201505152387' })
  @ToNormalizedPersonnummer()
  @IsPersonnummer()
  personnummer: string;

  @ApiPropertyOptional({ description: 'Skyddad identitet', default: false })
  @IsOptional()
  @IsBoolean({ message: 'protectedIdentity must be true or false' })
  protectedIdentity?: boolean;
}

export class EnrollRequest {
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'A referral delivered to leisure (intervention.referred from social services or education). Without it the enrolment is a self-registration.',
  })
  @IsOptional()
  @IsUUID('all', { message: 'referralId must be a UUID' })
  referralId?: string;

  @ApiPropertyOptional({
    type: ParticipantRequest,
    description: 'Required, except on a referral to a child group (then the referred child takes part)',
  })
  @IsOptional()
  @Nested(() => ParticipantRequest)
  participant?: ParticipantRequest;

  @ApiPropertyOptional({
    type: EnrolledChildRequest,
    description:
      'For a parent programme, the child it concerns, if the participant wishes (not with a referral: it names the child)',
  })
  @IsOptional()
  @Nested(() => EnrolledChildRequest)
  child?: EnrolledChildRequest;
}

export class WithdrawRequest {
  @ApiPropertyOptional({ enum: WITHDRAWAL_REASONS, default: 'participant-request' })
  @IsOptional()
  @IsIn(WITHDRAWAL_REASONS, { message: `reason must be one of ${WITHDRAWAL_REASONS.join(', ')}` })
  reason?: WithdrawalReason;
}

export class EnrollmentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) courseId: string;
  @ApiProperty({ enum: ENROLLMENT_STATUSES }) status: EnrollmentStatus;
  @ApiProperty({ enum: ENROLMENT_CHANNELS }) channel: EnrolmentChannel;
  @ApiPropertyOptional({ nullable: true, description: 'Position on the waitlist (1 = next in line)' })
  position: number | null;
  @ApiProperty({ description: 'False for a participant known only by an alias' }) identified: boolean;
  @ApiPropertyOptional({ nullable: true }) alias: string | null;
  @ApiProperty() fromWaitlist: boolean;
  @ApiProperty() late: boolean;
  @ApiPropertyOptional({ nullable: true }) sessionsAttended: number | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) enrolledAt: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) waitlistedAt: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) withdrawnAt: string | null;
}
