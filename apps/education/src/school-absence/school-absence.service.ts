import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '@samverkan/auth';
import { OutboxService } from '@samverkan/messaging';
import { AppError, Clock } from '@samverkan/platform';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { assertOwnUnit } from '../common/access';
import { EventFactory } from '../common/event-factory';
import { requestFingerprint } from '../idempotency/idempotency';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { subjectForChild } from '../subjects/child-subjects';
import { SchoolAbsenceFlag } from './school-absence-flag.entity';
import type { FlagSchoolAbsenceRequest, SchoolAbsenceFlagView } from './school-absence-flag.dto';

function toView(flag: SchoolAbsenceFlag): SchoolAbsenceFlagView {
  return {
    id: flag.id,
    schoolUnitCode: flag.schoolUnitCode,
    period: { from: flag.periodFrom, to: flag.periodTo },
    absenceRate: flag.absenceRate,
    unexcusedRate: flag.unexcusedRate,
    schoolYear: flag.schoolYear,
    flaggedAt: flag.flaggedAt.toISOString(),
  };
}

@Injectable()
export class SchoolAbsenceService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxService) private readonly outbox: OutboxService,
    @Inject(Clock) private readonly clock: Clock,
    private readonly events: EventFactory,
    private readonly idempotency: IdempotencyService,
  ) {}

  async flag(
    user: AuthUser,
    request: FlagSchoolAbsenceRequest,
    idempotencyKey?: string,
  ): Promise<{ view: SchoolAbsenceFlagView; replayed: boolean }> {
    const unit = assertOwnUnit(user, request.schoolUnitCode);
    const issues = [];
    if (request.period.to < request.period.from)
      issues.push({ field: 'period.to', message: 'to must not be before from' });
    if (request.unexcusedRate !== undefined && request.unexcusedRate > request.absenceRate) {
      issues.push({ field: 'unexcusedRate', message: 'unexcusedRate must not exceed absenceRate' });
    }
    if (issues.length > 0) throw AppError.validation(issues);
    const id = randomUUID();
    return this.dataSource.transaction(async (manager) => {
      const claim = await this.idempotency.claim(
        manager,
        {
          scope: 'school-absence-flag',
          unitCode: unit,
          key: idempotencyKey,
          requestHash: requestFingerprint(request),
        },
        id,
      );
      if (claim.kind === 'replay') {
        return {
          view: toView(await manager.findOneByOrFail(SchoolAbsenceFlag, { id: claim.resourceId })),
          replayed: true,
        };
      }
      const subject = await subjectForChild(manager, request.child.personnummer);
      const flaggedAt = this.clock.now();
      const flag = manager.create(SchoolAbsenceFlag, {
        id,
        childSubject: subject,
        childPersonnummer: request.child.personnummer,
        childName: request.child.name ?? null,
        childProtectedIdentity: request.child.protectedIdentity ?? false,
        schoolUnitCode: unit,
        periodFrom: request.period.from,
        periodTo: request.period.to,
        absenceRate: request.absenceRate,
        unexcusedRate: request.unexcusedRate ?? null,
        schoolYear: request.schoolYear ?? null,
        flaggedAt,
        flaggedBy: user.subject,
      });
      await manager.insert(SchoolAbsenceFlag, flag);
      await this.outbox.add(
        manager,
        this.events.create('samverkan.school-absence.flagged.v1', subject, {
          flagId: id,
          child: {
            personnummer: flag.childPersonnummer,
            ...(flag.childName !== null ? { name: flag.childName } : {}),
            protectedIdentity: flag.childProtectedIdentity,
          },
          schoolUnitCode: unit,
          municipality: this.events.municipality,
          period: { from: flag.periodFrom, to: flag.periodTo },
          absenceRate: flag.absenceRate,
          ...(flag.unexcusedRate !== null ? { unexcusedRate: flag.unexcusedRate } : {}),
          ...(flag.schoolYear !== null ? { schoolYear: flag.schoolYear } : {}),
          flaggedAt: flaggedAt.toISOString(),
        }),
      );
      return { view: toView(flag), replayed: false };
    });
  }
}
