import { IsUUID } from 'class-validator';
import { Nested } from '../common/personal-data';
import { ChildIdentity, OrganisationUnit } from '../common/shared';
import { IsRfc3339 } from '../common/validators';

/** A consent was withdrawn; the router applies it to every event routed after it. */
export class ConsentWithdrawnV1 {
  @IsUUID()
  consentId: string;

  @Nested(() => ChildIdentity)
  child: ChildIdentity;

  @IsRfc3339()
  withdrawnAt: string;

  @Nested(() => OrganisationUnit)
  recordedBy: OrganisationUnit;
}
