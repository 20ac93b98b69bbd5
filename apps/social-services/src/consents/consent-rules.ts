import type { FieldError } from '@samverkan/platform';
import type { GrantConsentRequest } from './consent.dto';

/** Rules across fields: social services records only consents it is party to, for a real period. */
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
