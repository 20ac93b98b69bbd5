import { randomInt } from 'node:crypto';

// Synthetic concern reports: personnummer with a correct Luhn digit on invented dates, invented
// names. Nothing here describes a real person, and none of it is ever printed.

const FIRST = [
  'Alva',
  'Elsa',
  'Maja',
  'Noah',
  'Liam',
  'Hugo',
  'Saga',
  'Vera',
  'Otto',
  'Nils',
  'Ebba',
  'Ture',
];
const LAST = ['Bergkvist', 'Ekdahl', 'Fors', 'Hallin', 'Lindqvist', 'Norrby', 'Sjödal', 'Åkerlund', 'Ödman'];
const CATEGORIES = [
  'neglect',
  'school-absence',
  'parent-mental-illness',
  'child-behaviour-or-substance-use',
  'other',
];

export function luhnDigit(nine: string): number {
  let sum = 0;
  for (let i = 0; i < nine.length; i++) {
    const p = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    sum += p > 9 ? p - 9 : p;
  }
  return (10 - (sum % 10)) % 10;
}

/** 12 digits, a child born 2010-2021 (a real date), valid Luhn. */
export function syntheticPersonnummer(): string {
  const year = 2010 + randomInt(12);
  const month = 1 + randomInt(12);
  const day = 1 + randomInt(28);
  const serial = String(randomInt(1000)).padStart(3, '0');
  const nine = `${String(year).slice(2)}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${serial}`;
  return `${String(year).slice(0, 2)}${nine}${luhnDigit(nine)}`;
}

const pick = <T>(list: readonly T[]): T => list[randomInt(list.length)];

export function syntheticReport(schoolUnitCode: string) {
  return {
    child: { personnummer: syntheticPersonnummer(), name: `${pick(FIRST)} ${pick(LAST)}` },
    reportingUnit: { schoolUnitCode },
    reporter: {
      role: 'teacher',
      name: `${pick(FIRST)} ${pick(LAST)}`,
      contact: { email: 'mentor@skola.example' },
    },
    categories: [pick(CATEGORIES)],
    description: 'Syntetisk orosanmälan för prestandamätning.',
    immediateDanger: false,
  };
}
