import { createHash } from 'node:crypto';
import type { InterventionBasis, InterventionCatalogEntry, ParticipantRole } from '@samverkan/contracts';
import type { FieldError } from '@samverkan/platform';
import type { ContactRecord } from './enrollment.entity';

/** The participant as the rules see it (from the request, or the referred child). */
export interface ParticipantInput {
  role: ParticipantRole;
  personnummer?: string;
  alias?: string;
  contact?: ContactRecord;
}

const ROLES_BY_GROUP: Record<InterventionCatalogEntry['participants'], readonly ParticipantRole[]> = {
  parents: ['parent'],
  children: ['child'],
  families: ['parent', 'child'],
  professionals: ['professional'],
};

/**
 * Who may take part, and how they must be identified. A course given as a service without a needs
 * assessment (SoL 2025:400) takes a participant known only by an alias; any other needs the
 * personnummer.
 */
export function participantRuleErrors(
  participant: ParticipantInput,
  entry: InterventionCatalogEntry,
  basis: InterventionBasis,
): FieldError[] {
  const errors: FieldError[] = [];
  const roles = ROLES_BY_GROUP[entry.participants];
  if (!roles.includes(participant.role)) {
    errors.push({
      field: 'participant.role',
      message: `participant.role must be ${roles.join(' or ')} for this programme`,
    });
  }
  if (!participant.personnummer) {
    if (basis !== 'service-without-needs-assessment') {
      errors.push({
        field: 'participant.personnummer',
        message:
          'participant.personnummer is required: the course is given after a decision, not as a service without a needs assessment',
      });
    } else if (!participant.alias) {
      errors.push({
        field: 'participant.alias',
        message: 'participant.alias is required when no personnummer is given',
      });
    }
  }
  return errors;
}

/**
 * A key that is equal for the same person on the same course: the personnummer, or alias plus
 * contact for an anonymous participant. Hashed, so the unique index holds no personal data.
 */
export function participantKey(participant: ParticipantInput): string {
  const plain = participant.personnummer
    ? `pnr:${participant.personnummer}`
    : [
        'alias',
        participant.alias?.trim().toLowerCase() ?? '',
        participant.contact?.email?.trim().toLowerCase() ?? '',
        participant.contact?.phone?.replace(/[^0-9+]/g, '') ?? '',
      ].join(':');
  return createHash('sha256').update(plain).digest('hex');
}

/** Place or waitlist: a place while fewer than `capacity` hold one. */
export function placeFor(capacity: number, enrolled: number): 'enrolled' | 'waitlisted' {
  return enrolled < capacity ? 'enrolled' : 'waitlisted';
}

export interface WaitlistEntry {
  id: string;
  waitlistSeq: number;
}

/**
 * Who moves up when places free: the first `freed` of the waitlist in order, and only while the
 * course still takes participants (the programme's late-enrolment rule).
 */
export function promotions<T extends WaitlistEntry>(
  waitlist: readonly T[],
  freed: number,
  open: boolean,
): T[] {
  if (!open || freed <= 0) return [];
  return [...waitlist].sort((a, b) => a.waitlistSeq - b.waitlistSeq).slice(0, freed);
}

/** 1-based position of an entry on the waitlist. */
export function waitlistPosition(waitlist: readonly WaitlistEntry[], id: string): number | null {
  const ordered = [...waitlist].sort((a, b) => a.waitlistSeq - b.waitlistSeq);
  const index = ordered.findIndex((e) => e.id === id);
  return index < 0 ? null : index + 1;
}
