import { validate } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { IsPersonnummer, ToNormalizedPersonnummer } from './is-personnummer.decorator';

class Child {
  @IsPersonnummer()
  personnummer!: unknown;
}

const errorsFor = async (value: unknown) => {
  const child = new Child();
  child.personnummer = value;
  return validate(child, { validationError: { target: false, value: false } });
};

describe('@IsPersonnummer', () => {
  it('passes a valid number', async () => {
    expect(await errorsFor('19121212-1212')).toHaveLength(0);
  });

  it.each([
    ['191212121213', 'check digit'],
    ['191213121212', 'real date'],
    ['1912', '10 or 12 digits'],
    [42, '10 or 12 digits'],
  ])('fails %p with a message naming the rule (%s) and not the value', async (value, rule) => {
    const errors = await errorsFor(value);
    expect(errors).toHaveLength(1);
    const message = errors[0].constraints?.isPersonnummer ?? '';
    expect(message).toContain('personnummer');
    expect(message).toContain(rule);
    expect(message).not.toContain(String(value));
    expect(JSON.stringify(errors)).not.toContain(String(value));
  });
});

describe('@ToNormalizedPersonnummer', () => {
  class Body {
    @ToNormalizedPersonnummer()
    @IsPersonnummer()
    personnummer!: string;
  }

  it('normalizes any accepted spelling to 12 digits before validation', async () => {
    const body = plainToInstance(Body, { personnummer: '121212+1212' });
    expect(body.personnummer).toBe('191212121212');
    expect(await validate(body)).toHaveLength(0);
  });

  it('leaves an invalid value for the validator to reject', async () => {
    const body = plainToInstance(Body, { personnummer: '121212-1213' });
    expect(body.personnummer).toBe('121212-1213');
    expect(await validate(body)).toHaveLength(1);
  });
});
