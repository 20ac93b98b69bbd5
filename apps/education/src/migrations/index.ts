import { EducationSchema1764100000000 } from './1764100000000-education-schema.migration';

/** In order; the service kit adds the messaging kit's own (outbox, inbox). */
export const EDUCATION_MIGRATIONS = [EducationSchema1764100000000];
