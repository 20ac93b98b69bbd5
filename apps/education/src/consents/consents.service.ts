import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '@samverkan/auth';
import type { OrganisationUnit } from '@samverkan/contracts';
import { OutboxService } from '@samverkan/messaging';
import { AppError, Clock } from '@samverkan/platform';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { callerUnit } from '../common/access';
import { EventFactory } from '../common/event-factory';
import { requestFingerprint } from '../idempotency/idempotency';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { subjectForChild } from '../subjects/child-subjects';
import { Consent } from './consent.entity';
import type { ConsentView, GrantConsentRequest } from './consent.dto';

export function toConsentView(consent: Consent): ConsentView {
  return {
    id: consent.id,
    parties: consent.parties,
    informationKinds: consent.informationKinds,
    purpose: consent.purpose,
    validFrom: consent.validFrom,
    validTo: consent.validTo,
    grantedBy: consent.grantedBy,
    grantedAt: consent.grantedAt.toISOString(),
    recordedByUnit: consent.recordedByUnit,
    withdrawnAt: consent.withdrawnAt ? consent.withdrawnAt.toISOString() : null,
  };
}

@Injectable()
export class ConsentsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxService) private readonly outbox: OutboxService,
    @Inject(Clock) private readonly clock: Clock,
    private readonly events: EventFactory,
    private readonly idempotency: IdempotencyService,
  ) {}

  async grant(
    user: AuthUser,
    request: GrantConsentRequest,
    idempotencyKey?: string,
  ): Promise<{ view: ConsentView; replayed: boolean }> {
    const unit = callerUnit(user);
    if (request.validTo < request.validFrom) {
      throw AppError.validation([{ field: 'validTo', message: 'validTo must not be before validFrom' }]);
    }
    const id = randomUUID();
    return this.dataSource.transaction(async (manager) => {
      const claim = await this.idempotency.claim(
        manager,
        { scope: 'consent', unitCode: unit, key: idempotencyKey, requestHash: requestFingerprint(request) },
        id,
      );
      if (claim.kind === 'replay') {
        return {
          view: toConsentView(await manager.findOneByOrFail(Consent, { id: claim.resourceId })),
          replayed: true,
        };
      }
      const subject = await subjectForChild(manager, request.child.personnummer);
      const grantedAt = request.grantedAt ? new Date(request.grantedAt) : this.clock.now();
      const consent = manager.create(Consent, {
        id,
        childSubject: subject,
        childPersonnummer: request.child.personnummer,
        childName: request.child.name ?? null,
        childProtectedIdentity: request.child.protectedIdentity ?? false,
        parties: request.parties,
        informationKinds: request.informationKinds,
        purpose: request.purpose,
        purposeDescription: request.purposeDescription ?? null,
        validFrom: request.validFrom,
        validTo: request.validTo,
        grantedBy: request.grantedBy,
        grantedAt,
        recordedByUnit: unit,
        recordedBy: user.subject,
        withdrawnAt: null,
        withdrawnBy: null,
      });
      await manager.insert(Consent, consent);
      await this.outbox.add(
        manager,
        this.events.create('samverkan.consent.granted.v1', subject, {
          consentId: id,
          child: this.childOf(consent),
          parties: consent.parties,
          informationKinds: consent.informationKinds,
          purpose: consent.purpose,
          ...(consent.purposeDescription !== null ? { purposeDescription: consent.purposeDescription } : {}),
          validFrom: consent.validFrom,
          validTo: consent.validTo,
          grantedBy: consent.grantedBy,
          grantedAt: grantedAt.toISOString(),
          recordedBy: this.recordingUnit(unit),
        }),
      );
      return { view: toConsentView(consent), replayed: false };
    });
  }

  /**
   * Withdraws a consent recorded by the caller's unit. Withdrawing twice is not an error and raises
   * no second event; another unit's consent is "not found".
   */
  async withdraw(user: AuthUser, id: string): Promise<ConsentView> {
    const unit = callerUnit(user);
    return this.dataSource.transaction(async (manager) => {
      const consent = await manager.findOne(Consent, {
        where: { id, recordedByUnit: unit },
        lock: { mode: 'pessimistic_write' },
      });
      if (!consent) throw AppError.notFound('Consent');
      if (consent.withdrawnAt !== null) return toConsentView(consent);
      consent.withdrawnAt = this.clock.now();
      consent.withdrawnBy = user.subject;
      await manager.update(
        Consent,
        { id },
        { withdrawnAt: consent.withdrawnAt, withdrawnBy: consent.withdrawnBy },
      );
      await this.outbox.add(
        manager,
        this.events.create('samverkan.consent.withdrawn.v1', consent.childSubject, {
          consentId: id,
          child: this.childOf(consent),
          withdrawnAt: consent.withdrawnAt.toISOString(),
          recordedBy: this.recordingUnit(unit),
        }),
      );
      return toConsentView(consent);
    });
  }

  async get(user: AuthUser, id: string): Promise<ConsentView> {
    const consent = await this.dataSource.manager.findOneBy(Consent, {
      id,
      recordedByUnit: callerUnit(user),
    });
    if (!consent) throw AppError.notFound('Consent');
    return toConsentView(consent);
  }

  private childOf(consent: Consent) {
    return {
      personnummer: consent.childPersonnummer,
      ...(consent.childName !== null ? { name: consent.childName } : {}),
      protectedIdentity: consent.childProtectedIdentity,
    };
  }

  private recordingUnit(unitCode: string): OrganisationUnit {
    return { agency: 'education', unitCode, municipality: this.events.municipality };
  }
}
