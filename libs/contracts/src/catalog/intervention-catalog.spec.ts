import {
  allowsEnrolmentAfter,
  CATALOG_CODES,
  catalogEntry,
  INTERVENTION_CATALOG,
  isCatalogCode,
  isCourseProgramme,
  meetsCompletionRule,
} from './intervention-catalog';

describe('intervention catalog v1', () => {
  // Every programme the four seed papers name, by the name used there.
  const seedProgrammes: [string, string][] = [
    ['Aktivt föräldraskap 3–12', 'aktivt-foraldraskap-3-12'],
    ['Aktivt föräldraskap för tonårsföräldrar 12–16', 'aktivt-foraldraskap-tonar-12-16'],
    ['Aktiva småbarnsföräldrar', 'aktiva-smabarnsforaldrar-1-4'],
    ['Aktivt ledarskap i skolan', 'aktivt-ledarskap-i-skolan'],
    ['ICDP / Vägledande samspel', 'icdp'],
    ['ÖPP', 'opp'],
    ['Komet', 'komet'],
    ['ABC', 'abc'],
    ['Skilda världar', 'skilda-varldar'],
    ['CAP', 'cap'],
    ['Råd- och stödsamtal', 'rad-och-stodsamtal'],
    ['Familjecentralens kuratorer', 'familjecentral-kuratorsstod'],
    ['Mobila teamet', 'mobila-teamet'],
    ['Familjebehandling', 'familjebehandling'],
    ['SIP', 'sip'],
    ['Nätverksmöten', 'natverksmote'],
  ];

  it.each(seedProgrammes)('covers %s', (_name, code) => {
    expect(isCatalogCode(code)).toBe(true);
    expect(catalogEntry(code)?.code).toBe(code);
  });

  it('has unique, stable-looking codes and consistent entries', () => {
    expect(new Set(CATALOG_CODES).size).toBe(INTERVENTION_CATALOG.length);
    for (const e of INTERVENTION_CATALOG) {
      expect(e.code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(e.version).toBeGreaterThanOrEqual(1);
      expect(e.bases.length).toBeGreaterThan(0);
      expect(e.targetAges.min).toBeLessThanOrEqual(e.targetAges.max);
      if (e.groupSize) expect(e.groupSize.min).toBeLessThanOrEqual(e.groupSize.max);
      // Group programmes count sessions; the rest cannot have a session-based completion rule.
      if (e.sessionPlan === null) expect(e.completionRule.kind).toBe('not-applicable');
      else expect(e.completionRule.kind).not.toBe('not-applicable');
    }
  });

  it('holds the figures the seeds give', () => {
    expect(catalogEntry('aktivt-foraldraskap-3-12')).toMatchObject({
      kind: 'parent-program',
      targetAges: { min: 3, max: 12 },
      sessionPlan: { sessions: 6, minutesPerSession: 180 },
    });
    expect(catalogEntry('aktivt-foraldraskap-tonar-12-16')?.targetAges).toEqual({ min: 12, max: 16 });
    expect(catalogEntry('skilda-varldar')).toMatchObject({
      kind: 'child-group',
      targetAges: { min: 7, max: 13 },
      groupSize: { min: 6, max: 8 },
      sessionPlan: { sessions: 10, minutesPerSession: 120 },
    });
    expect(catalogEntry('sip')).toMatchObject({ kind: 'meeting', requiresConsent: true });
    expect(catalogEntry('mobila-teamet')?.kind).toBe('team');
  });

  it('rejects unknown codes', () => {
    expect(isCatalogCode('aktivt-foraldraskap')).toBe(false);
    expect(isCatalogCode(42)).toBe(false);
    expect(catalogEntry('nope')).toBeUndefined();
  });

  it('knows which programmes are courses', () => {
    expect(isCourseProgramme('komet')).toBe(true);
    expect(isCourseProgramme('cap')).toBe(true);
    expect(isCourseProgramme('sip')).toBe(false);
    expect(isCourseProgramme('rad-och-stodsamtal')).toBe(false);
  });

  it('applies completion rules', () => {
    const af = catalogEntry('aktivt-foraldraskap-3-12')!;
    expect(meetsCompletionRule(af.completionRule, 5, 6)).toBe(true);
    expect(meetsCompletionRule(af.completionRule, 4, 6)).toBe(false);
    expect(meetsCompletionRule({ kind: 'sessions-attended', min: 3 }, 3, 4)).toBe(true);
    expect(meetsCompletionRule({ kind: 'sessions-attended', min: 3 }, 2, 4)).toBe(false);
    expect(meetsCompletionRule({ kind: 'share-of-sessions', minShare: 0.8 }, 0, 0)).toBe(false);
  });

  it('applies late-enrolment rules', () => {
    const rule = catalogEntry('skilda-varldar')!.lateEnrolment;
    expect(allowsEnrolmentAfter(rule, 0)).toBe(true);
    expect(allowsEnrolmentAfter(rule, 1)).toBe(true);
    expect(allowsEnrolmentAfter(rule, 2)).toBe(false);
    expect(allowsEnrolmentAfter({ kind: 'open' }, 9)).toBe(true);
  });
});
