import type { InterventionCatalogEntry } from '@samverkan/contracts';
import type { FieldError } from '@samverkan/platform';
import type { CreateInterventionRequest } from './intervention.dto';

const REFERRAL_ONLY = ['receivingUnit', 'courseId'] as const;
const STARTED_ONLY = ['referralId', 'schoolYear'] as const;

/**
 * The rules a request must meet beyond field formats, checked against its catalog entry:
 * - the basis must be one the catalog allows for the code;
 * - after a decision the child must be identified; only a service without a needs assessment may be
 *   given to someone who is not (SoL 2025:400 allows such services without recording identity);
 * - social services starts only what it provides; anything else is a referral to a provider;
 * - referral fields only on referrals, start fields only on starts.
 */
export function interventionRuleErrors(
  request: CreateInterventionRequest,
  entry: InterventionCatalogEntry,
): FieldError[] {
  const errors: FieldError[] = [];
  if (!entry.bases.includes(request.basis)) {
    errors.push({
      field: 'basis',
      message: `basis must be one of ${entry.bases.join(', ')} for this catalog code`,
    });
  }
  if (request.basis === 'after-decision' && !request.child?.personnummer) {
    errors.push({
      field: 'child.personnummer',
      message: 'child.personnummer is required for an intervention after a decision',
    });
  }
  if (request.stage === 'started' && !entry.providedBy.includes('social-services')) {
    errors.push({
      field: 'catalogCode',
      message: 'catalogCode is not provided by social services; record a referral to its provider instead',
    });
  }
  const misplaced = request.stage === 'started' ? REFERRAL_ONLY : STARTED_ONLY;
  for (const field of misplaced) {
    if (request[field] !== undefined) {
      errors.push({
        field,
        message: `${field} is only for ${request.stage === 'started' ? 'referrals' : 'started interventions'}`,
      });
    }
  }
  return errors;
}
