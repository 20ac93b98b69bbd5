import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '@samverkan/auth';
import { normalizePersonnummer } from '@samverkan/contracts';
import { OutboxService } from '@samverkan/messaging';
import { AppError, AppErrorCode, Clock } from '@samverkan/platform';
import { DataSource } from 'typeorm';
import { actingUnit } from '../common/access';
import { childIdentity, EventFactory } from '../common/event-factory';
import { checkRecordedAt } from '../common/timestamps';
import { subjectForChild } from '../subjects/child-subjects';
import { consentRuleErrors } from './consent-rules';
import type { ConsentView, GrantConsentRequest } from './consent.dto';
import { Consent } from './consent.entity';

@Injectable()
export class ConsentsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxService) private readonly outbox: OutboxService,
    @Inject(EventFactory) private readonly events: EventFactory,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** Records a consent and raises consent.granted.v1; the router keeps consent state from it. */
  async grant(request: GrantConsentRequest, user: AuthUser | undefined): Promise<ConsentView> {
    const errors = consentRuleErrors(request);
    if (errors.length > 0) throw AppError.validation(errors);
    const unit = actingUnit(user, this.events.municipality);
    const now = this.clock.now();
    const grantedAt = request.grantedAt ? new Date(request.grantedAt) : now;
    checkRecordedAt('grantedAt', grantedAt, now);
    // Normalized by the DTO; normalizing again is a no-op that keeps the type honest.
    const personnummer = normalizePersonnummer(request.child.personnummer);
    const protectedIdentity = request.child.protectedIdentity ?? false;
    return this.dataSource.transaction(async (manager) => {
      const subject = await subjectForChild(manager, personnummer);
      const row = manager.create(Consent, {
        id: randomUUID(),
        subject,
        childPersonnummer: personnummer,
        childProtectedIdentity: protectedIdentity,
        parties: request.parties,
        informationKinds: request.informationKinds,
        purpose: request.purpose,
        purposeDescription: request.purposeDescription ?? null,
        validFrom: request.validFrom,
        validTo: request.validTo,
        grantedBy: request.grantedBy,
        grantedAt,
        recordedByUnit: unit.unitCode,
        withdrawnAt: null,
        withdrawnByUnit: null,
      });
      await manager.insert(Consent, row);
      await this.outbox.add(
        manager,
        this.events.create('samverkan.consent.granted.v1', subject, {
          consentId: row.id,
          child: childIdentity(personnummer, protectedIdentity),
          parties: row.parties,
          informationKinds: row.informationKinds,
          purpose: row.purpose,
          ...(row.purposeDescription ? { purposeDescription: row.purposeDescription } : {}),
          validFrom: row.validFrom,
          validTo: row.validTo,
          grantedBy: row.grantedBy,
          grantedAt: grantedAt.toISOString(),
          recordedBy: unit,
        }),
      );
      return toView(row);
    });
  }

  /** Withdraws a consent (consent.withdrawn.v1); it applies to everything routed after it. */
  async withdraw(consentId: string, user: AuthUser | undefined): Promise<ConsentView> {
    const unit = actingUnit(user, this.events.municipality);
    return this.dataSource.transaction(async (manager) => {
      const row = await manager
        .getRepository(Consent)
        .createQueryBuilder('c')
        .setLock('pessimistic_write')
        .where('c.id = :consentId', { consentId })
        .getOne();
      if (!row) throw AppError.notFound('Consent');
      if (row.withdrawnAt)
        throw new AppError(AppErrorCode.INVALID_STATE, 'the consent has already been withdrawn');
      const withdrawnAt = this.clock.now();
      row.withdrawnAt = withdrawnAt;
      row.withdrawnByUnit = unit.unitCode;
      await manager.save(row);
      await this.outbox.add(
        manager,
        this.events.create('samverkan.consent.withdrawn.v1', row.subject, {
          consentId: row.id,
          child: childIdentity(row.childPersonnummer, row.childProtectedIdentity),
          withdrawnAt: withdrawnAt.toISOString(),
          recordedBy: unit,
        }),
      );
      return toView(row);
    });
  }
}

function toView(row: Consent): ConsentView {
  return {
    id: row.id,
    parties: row.parties,
    informationKinds: row.informationKinds,
    purpose: row.purpose,
    validFrom: row.validFrom,
    validTo: row.validTo,
    grantedBy: row.grantedBy,
    grantedAt: row.grantedAt.toISOString(),
    recordedByUnit: row.recordedByUnit,
    withdrawnAt: row.withdrawnAt?.toISOString() ?? null,
  };
}
