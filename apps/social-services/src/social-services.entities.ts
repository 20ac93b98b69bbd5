import { Consent } from './consents/consent.entity';
import { IntakeItem } from './intake/intake-item.entity';
import { Investigation } from './investigations/investigation.entity';
import { Intervention } from './interventions/intervention.entity';
import { ChildSubject } from './subjects/child-subject.entity';

/** The app's own tables (the service kit adds the outbox and inbox). */
export const SOCIAL_SERVICES_ENTITIES = [ChildSubject, IntakeItem, Intervention, Consent, Investigation];
