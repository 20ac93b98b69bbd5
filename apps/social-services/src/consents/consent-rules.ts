import type { FieldError } from '@samverkan/platform';
import type { GrantConsentRequest } from './consent.dto';

/** Rules across fields (the DTO checks each field): the period must not end before it begins. */
export function consentRuleErrors(request: GrantConsentRequest): FieldError[] {
  const errors: FieldError[] = [];
  if (!request.parties.includes('social-services')) {
    errors.push({
      field: 'parties',
      message: 'parties must include social-services (the agency recording it)',
    });
  }
  // YYYY-MM-DD strings compare in calendar order.
  if (request.validTo < request.validFrom) {
    errors.push({ field: 'validTo', message: 'validTo must not be before validFrom' });
  }
  return errors;
}
