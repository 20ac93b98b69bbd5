import { InterventionKind } from '../../catalog';

/** Catalog kinds that leisure runs as courses. */
export const COURSE_KINDS: readonly InterventionKind[] = ['parent-program', 'child-group'];
