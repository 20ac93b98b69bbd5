import { IsInt, IsOptional, IsString, MaxLength, MetadataStorage, validateSync } from 'class-validator';
import { cacheValidationMetadata } from './validation-metadata-cache';

describe('cacheValidationMetadata (class-validator rule look-ups kept per class)', () => {
  class Base {
    @IsString()
    @MaxLength(5)
    name!: string;
  }
  class Child extends Base {
    @IsInt()
    count!: number;

    @IsOptional()
    @IsString({ groups: ['strict'] })
    note?: string;
  }

  const errorsOf = (value: object, groups?: string[]) =>
    validateSync(value, { groups, validationError: { target: false, value: false } }).map((e) => [
      e.property,
      Object.keys(e.constraints ?? {}).sort(),
    ]);

  it('gives the same rules as without the cache, inherited ones and groups included, and looks each up once', () => {
    const invalid = Object.assign(new Child(), { name: 'far too long', count: 1.5, note: 7 });
    const before = errorsOf(invalid);
    const beforeStrict = errorsOf(invalid, ['strict']);

    // The global storage (the one validateSync uses); idempotent, so other tests may have done it.
    const { getMetadataStorage } = jest.requireActual<typeof import('class-validator')>('class-validator');
    cacheValidationMetadata(getMetadataStorage());
    cacheValidationMetadata(getMetadataStorage());

    expect(errorsOf(invalid)).toEqual(before);
    expect(errorsOf(invalid, ['strict'])).toEqual(beforeStrict);
    // Without groups, class-validator applies grouped rules too (strictGroups is off).
    expect(before).toEqual([
      ['count', ['isInt']],
      ['note', ['isString']],
      ['name', ['maxLength']],
    ]);
    expect(beforeStrict).toEqual([['note', ['isString']]]);

    const storage = getMetadataStorage();
    const first = storage.getTargetValidationMetadatas(Child, '', false, false);
    expect(storage.getTargetValidationMetadatas(Child, '', false, false)).toBe(first);
    expect(storage.groupByPropertyName(first)).toBe(storage.groupByPropertyName(first));
    expect(storage.getTargetValidationMetadatas(Child, '', false, false, ['strict'])).not.toBe(first);
  });

  it('forgets what it kept when a rule is added (a decorator run later)', () => {
    // A storage of its own (class-validator's class, not the global instance).
    const storage = new MetadataStorage();
    cacheValidationMetadata(storage);
    class Late {
      value?: unknown;
    }
    expect(storage.getTargetValidationMetadatas(Late, '', false, false)).toHaveLength(0);
    // What @IsInt() does at class definition, into this storage.
    const { ValidationMetadata } = jest.requireActual<{ ValidationMetadata: new (args: object) => object }>(
      'class-validator/cjs/metadata/ValidationMetadata',
    );
    storage.addValidationMetadata(
      new ValidationMetadata({
        type: 'isInt',
        target: Late,
        propertyName: 'value',
        constraints: [],
      }) as never,
    );
    expect(storage.getTargetValidationMetadatas(Late, '', false, false)).toHaveLength(1);
  });
});
