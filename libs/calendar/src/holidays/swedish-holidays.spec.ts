import { easterSunday, swedishHolidays } from './swedish-holidays';

const dateOf = (year: number, id: string) => swedishHolidays(year).find((h) => h.id === id)?.date;

describe('easterSunday', () => {
  it.each([
    [2000, '2000-04-23'],
    [2008, '2008-03-23'],
    [2011, '2011-04-24'],
    [2016, '2016-03-27'],
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'], // the latest possible date
    [2285, '2285-03-22'], // the earliest possible date
  ])('%i → %s', (year, expected) => {
    expect(easterSunday(year)).toBe(expected);
  });
});

describe('swedishHolidays', () => {
  it('lists the 2026 holidays with their basis', () => {
    expect(swedishHolidays(2026).map((h) => `${h.date} ${h.id} ${h.basis}`)).toEqual([
      '2026-01-01 nyarsdagen law',
      '2026-01-06 trettondedag-jul law',
      '2026-04-03 langfredagen law',
      '2026-04-05 paskdagen law',
      '2026-04-06 annandag-pask law',
      '2026-05-01 forsta-maj law',
      '2026-05-14 kristi-himmelsfardsdag law',
      '2026-05-24 pingstdagen law',
      '2026-06-06 nationaldagen law',
      '2026-06-19 midsommarafton practice',
      '2026-06-20 midsommardagen law',
      '2026-10-31 alla-helgons-dag law',
      '2026-12-24 julafton practice',
      '2026-12-25 juldagen law',
      '2026-12-26 annandag-jul law',
      '2026-12-31 nyarsafton practice',
    ]);
  });

  it.each([
    [2024, '2024-06-21', '2024-11-02'],
    [2025, '2025-06-20', '2025-11-01'],
    [2027, '2027-06-25', '2027-11-06'],
    [2030, '2030-06-21', '2030-11-02'],
  ])(
    '%i: midsommarafton %s (a Friday 19–25 June), alla helgons dag %s (a Saturday 31 Oct–6 Nov)',
    (year, midsommarafton, allaHelgon) => {
      expect(dateOf(year, 'midsommarafton')).toBe(midsommarafton);
      expect(dateOf(year, 'midsommardagen')).toBe(
        `${year}-06-${String(Number(midsommarafton.slice(8)) + 1).padStart(2, '0')}`,
      );
      expect(dateOf(year, 'alla-helgons-dag')).toBe(allaHelgon);
    },
  );

  it('places Kristi himmelsfärdsdag on the Thursday 39 days after Easter', () => {
    expect(dateOf(2025, 'kristi-himmelsfardsdag')).toBe('2025-05-29');
    expect(dateOf(2008, 'kristi-himmelsfardsdag')).toBe('2008-05-01'); // on första maj that year
  });
});
