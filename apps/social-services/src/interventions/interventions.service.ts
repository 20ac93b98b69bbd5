import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '@samverkan/auth';
import { catalogEntry, normalizePersonnummer, type ChildIdentity } from '@samverkan/contracts';
import { OutboxService } from '@samverkan/messaging';
import { AppError, AppErrorCode, Clock } from '@samverkan/platform';
import { DataSource } from 'typeorm';
import { actingUnit } from '../common/access';
import { childIdentity, EventFactory } from '../common/event-factory';
import { checkRecordedAt } from '../common/timestamps';
import { subjectForChild } from '../subjects/child-subjects';
import { interventionRuleErrors } from './intervention-rules';
import type { CreateInterventionRequest, EndInterventionRequest, InterventionView } from './intervention.dto';
import { Intervention } from './intervention.entity';

@Injectable()
export class InterventionsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxService) private readonly outbox: OutboxService,
    @Inject(EventFactory) private readonly events: EventFactory,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** A referral (intervention.referred.v1) or a started intervention (intervention.started.v1). */
  async create(request: CreateInterventionRequest, user: AuthUser | undefined): Promise<InterventionView> {
    // IsCatalogCode has validated the code, so the entry exists.
    const entry = catalogEntry(request.catalogCode)!;
    const errors = interventionRuleErrors(request, entry);
    if (errors.length > 0) throw AppError.validation(errors);
    const unit = actingUnit(user, this.events.municipality);
    const now = this.clock.now();
    const at = request.at ? new Date(request.at) : now;
    checkRecordedAt('at', at, now);
    const personnummer = request.child?.personnummer
      ? normalizePersonnummer(request.child.personnummer)
      : null;
    const protectedIdentity = request.child?.protectedIdentity ?? false;
    const id = randomUUID();

    return this.dataSource.transaction(async (manager) => {
      const subject = personnummer ? await subjectForChild(manager, personnummer) : id;
      const row = manager.create(Intervention, {
        id,
        stage: request.stage,
        catalogCode: entry.code,
        basis: request.basis,
        subject,
        childPersonnummer: personnummer,
        childProtectedIdentity: protectedIdentity,
        unitCode: unit.unitCode,
        receivingUnit: request.receivingUnit ?? null,
        courseId: request.courseId ?? null,
        referralId: request.referralId ?? null,
        schoolYear: request.schoolYear ?? null,
        referredAt: request.stage === 'referred' ? at : null,
        startedAt: request.stage === 'started' ? at : null,
        endedAt: null,
        endReason: null,
      });
      await manager.insert(Intervention, row);
      if (personnummer) {
        const child = childIdentity(personnummer, protectedIdentity);
        const event =
          request.stage === 'referred'
            ? this.events.create('samverkan.intervention.referred.v1', subject, {
                referralId: id,
                child,
                catalogCode: entry.code,
                basis: request.basis,
                referringUnit: unit,
                ...(request.receivingUnit ? { receivingUnit: request.receivingUnit } : {}),
                ...(request.courseId ? { courseId: request.courseId } : {}),
                referredAt: at.toISOString(),
              })
            : this.events.create('samverkan.intervention.started.v1', subject, {
                interventionId: id,
                child,
                catalogCode: entry.code,
                basis: request.basis,
                organisationUnit: unit,
                startedAt: at.toISOString(),
                ...(request.referralId ? { referralId: request.referralId } : {}),
                ...(request.schoolYear !== undefined ? { schoolYear: request.schoolYear } : {}),
              });
        await this.outbox.add(manager, event);
      }
      return toView(row);
    });
  }

  /** Ends a started intervention (intervention.ended.v1). A referral is ended by its provider, not here. */
  async end(
    id: string,
    request: EndInterventionRequest,
    user: AuthUser | undefined,
  ): Promise<InterventionView> {
    const unit = actingUnit(user, this.events.municipality);
    return this.dataSource.transaction(async (manager) => {
      const row = await manager
        .getRepository(Intervention)
        .createQueryBuilder('i')
        .setLock('pessimistic_write')
        .where('i.id = :id', { id })
        .getOne();
      if (!row) throw AppError.notFound('Intervention');
      if (row.stage !== 'started' || !row.startedAt) {
        throw new AppError(
          AppErrorCode.INVALID_STATE,
          row.stage === 'ended'
            ? 'the intervention has already ended'
            : 'only a started intervention can be ended',
        );
      }
      const now = this.clock.now();
      const endedAt = request.endedAt ? new Date(request.endedAt) : now;
      checkRecordedAt('endedAt', endedAt, now, { at: row.startedAt, what: 'the intervention started' });
      row.stage = 'ended';
      row.endedAt = endedAt;
      row.endReason = request.reason;
      await manager.save(row);
      if (row.childPersonnummer) {
        const child: ChildIdentity = childIdentity(row.childPersonnummer, row.childProtectedIdentity);
        await this.outbox.add(
          manager,
          this.events.create('samverkan.intervention.ended.v1', row.subject, {
            interventionId: row.id,
            child,
            catalogCode: row.catalogCode,
            basis: row.basis,
            // The performing unit as recorded at the start; the caller may be a colleague elsewhere.
            organisationUnit: { ...unit, unitCode: row.unitCode },
            startedAt: row.startedAt.toISOString(),
            endedAt: endedAt.toISOString(),
            reason: request.reason,
          }),
        );
      }
      return toView(row);
    });
  }
}

function toView(row: Intervention): InterventionView {
  return {
    id: row.id,
    stage: row.stage,
    catalogCode: row.catalogCode,
    basis: row.basis,
    identified: row.childPersonnummer !== null,
    unitCode: row.unitCode,
    referredAt: row.referredAt?.toISOString() ?? null,
    startedAt: row.startedAt?.toISOString() ?? null,
    endedAt: row.endedAt?.toISOString() ?? null,
    endReason: row.endReason,
  };
}
