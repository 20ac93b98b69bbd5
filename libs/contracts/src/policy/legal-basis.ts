/**
 * The legal bases the router delivers under, as data. Swedish law is renumbered (socialtjänstlagen
 * 2001:453 was replaced by 2025:400 on 1 July 2025), so the policy refers to a basis by a stable key
 * and this table holds the references in force. A renumbering changes this table only, never the
 * rules or the `ce_legalbasis` values already on the topics (which carry the key).
 *
 * `status` says how sure we are of a reference: 'current' (in force and checked), 'earlier' (the
 * provision before a renumbering, kept so older records remain explainable) and 'to-verify' (the
 * new location has not been confirmed by the municipality's lawyers; do not cite it without them).
 */

export type LegalReferenceStatus = 'current' | 'earlier' | 'to-verify';

export interface LegalReference {
  /** The statute with its SFS number, e.g. "OSL (2009:400)". */
  statute: string;
  /** Chapter and section, e.g. "10 kap. 28 §". */
  provision: string;
  status: LegalReferenceStatus;
  /** What the provision says, in one line. */
  note?: string;
}

export interface LegalBasis {
  key: LegalBasisKey;
  /** Swedish name as used in the municipality's documents. */
  title: string;
  description: string;
  references: readonly LegalReference[];
}

export const LEGAL_BASIS_KEYS = [
  'duty-to-report',
  'reporter-feedback',
  'consent',
  'no-personal-data',
  'statistics-pseudonymized',
] as const;
export type LegalBasisKey = (typeof LEGAL_BASIS_KEYS)[number];

const OSL = 'OSL (2009:400)';
const SOL_2001 = 'SoL (2001:453)';
const SOL_2025 = 'SoL (2025:400)';
const GDPR = 'Dataskyddsförordningen (EU) 2016/679';

export const LEGAL_BASES: { readonly [K in LegalBasisKey]: LegalBasis } = {
  'duty-to-report': {
    key: 'duty-to-report',
    title: 'Anmälningsskyldighet (orosanmälan)',
    description:
      'School, preschool, health and social staff must report to social services when they suspect a child is harmed; secrecy does not prevent a disclosure that a law requires.',
    references: [
      {
        statute: OSL,
        provision: '10 kap. 28 §',
        status: 'current',
        note: 'uppgiftsskyldighet bryter sekretess',
      },
      { statute: SOL_2001, provision: '14 kap. 1 §', status: 'earlier', note: 'anmälningsskyldighet' },
      { statute: SOL_2025, provision: '(anmälningsskyldighet)', status: 'to-verify' },
    ],
  },
  'reporter-feedback': {
    key: 'reporter-feedback',
    title: 'Återkoppling till anmälare',
    description:
      'A mandatory reporter may be told whether an investigation was opened, not opened or is already ongoing, and nothing more.',
    references: [
      {
        statute: SOL_2001,
        provision: '14 kap. 1 b §',
        status: 'earlier',
        note: 'återkoppling till anmälningsskyldig',
      },
      { statute: SOL_2025, provision: '(återkoppling till anmälare)', status: 'to-verify' },
      { statute: OSL, provision: '10 kap. 28 §', status: 'current' },
    ],
  },
  consent: {
    key: 'consent',
    title: 'Samtycke',
    description:
      "Secrecy protecting a child may be waived with the guardians' (or a mature young person's) consent naming the parties, the kinds of information, the purpose and the validity.",
    references: [
      { statute: OSL, provision: '12 kap. 2 §', status: 'current', note: 'sekretess kan efterges' },
    ],
  },
  'no-personal-data': {
    key: 'no-personal-data',
    title: 'Inga personuppgifter',
    description: 'The event carries no data about an identifiable person (a course, its places, counts).',
    references: [],
  },
  'statistics-pseudonymized': {
    key: 'statistics-pseudonymized',
    title: 'Uppföljning och statistik, pseudonymiserat',
    description:
      'Follow-up of the municipality’s preventive work: the subject is a keyed pseudonym only the router can compute; names, personnummer, contact details and free text are removed; small counts are suppressed in reports.',
    references: [
      { statute: GDPR, provision: 'art. 6.1 e', status: 'current', note: 'uppgift av allmänt intresse' },
      { statute: GDPR, provision: 'art. 89.1', status: 'current', note: 'pseudonymisering som skyddsåtgärd' },
    ],
  },
};

export function isLegalBasisKey(value: unknown): value is LegalBasisKey {
  return typeof value === 'string' && (LEGAL_BASIS_KEYS as readonly string[]).includes(value);
}

/**
 * The references of a basis as one line for the disclosure log and the operations console, e.g.
 * "OSL (2009:400) 12 kap. 2 §". Earlier numbering is marked; unverified references are left out.
 */
export function legalBasisReference(key: LegalBasisKey): string {
  return LEGAL_BASES[key].references
    .filter((r) => r.status !== 'to-verify')
    .map((r) => `${r.statute} ${r.provision}${r.status === 'earlier' ? ' (tidigare lydelse)' : ''}`)
    .join('; ');
}
