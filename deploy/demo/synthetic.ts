/**
 * Synthetic people for the demo and the console's browser test: invented names and personnummer with a
 * valid check digit (Luhn). Nothing here is anyone's data; the numbers are random, so two runs do not
 * collide.
 */
import { randomInt } from 'node:crypto';

const FIRST = [
  'Alva',
  'Elis',
  'Saga',
  'Noel',
  'Maja',
  'Vide',
  'Ines',
  'Loke',
  'Tyra',
  'Ebbe',
  'Wilma',
  'Sixten',
];
const LAST = ['Exempelsson', 'Prövadotter', 'Demoberg', 'Testlund', 'Provström', 'Skissgren', 'Låtsasson'];

function luhnDigit(nine: string): number {
  let sum = 0;
  for (let i = 0; i < nine.length; i++) {
    const p = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    sum += p > 9 ? p - 9 : p;
  }
  return (10 - (sum % 10)) % 10;
}

/** A 12-digit personnummer born in `year` with a valid check digit. */
export function fakePersonnummer(year: number): string {
  const month = String(randomInt(1, 13)).padStart(2, '0');
  const day = String(randomInt(1, 29)).padStart(2, '0');
  const serial = String(randomInt(100, 1000));
  const nine = `${String(year).slice(2)}${month}${day}${serial}`;
  return `${year}${month}${day}${serial}${luhnDigit(nine)}`;
}

/** The same number with a wrong check digit: what a poison message carries. */
export function withBrokenCheckDigit(personnummer: string): string {
  const last = Number(personnummer.slice(-1));
  return `${personnummer.slice(0, -1)}${(last + 1) % 10}`;
}

export function fakeName(): string {
  return `${FIRST[randomInt(FIRST.length)]} ${LAST[randomInt(LAST.length)]}`;
}

/** An eight-digit school unit code (skolenhetskod) that no real school is expected to have. */
export function fakeSchoolUnit(): string {
  return String(90_000_000 + randomInt(0, 9_999_999));
}

export interface DemoChild {
  personnummer: string;
  name: string;
}

export function fakeChild(minAge = 6, maxAge = 15): DemoChild {
  const year = new Date().getFullYear() - randomInt(minAge, maxAge + 1);
  return { personnummer: fakePersonnummer(year), name: fakeName() };
}
