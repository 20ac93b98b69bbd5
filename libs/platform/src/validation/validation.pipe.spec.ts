import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { AppError, AppErrorCode } from '../errors/app-error';
import { AppErrorFilter } from '../errors/app-error.filter';
import { createValidationPipe } from './validation.pipe';

class Contact {
  @IsString()
  email!: string;
}

class Body {
  @IsInt()
  @Min(1)
  capacity!: number;

  @ValidateNested()
  @Type(() => Contact)
  contact!: Contact;
}

async function validationErrorOf(value: unknown): Promise<AppError> {
  try {
    await createValidationPipe().transform(value, { type: 'body', metatype: Body });
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('createValidationPipe', () => {
  it('answers one message per field, with dotted paths for nested fields', async () => {
    const error = await validationErrorOf({ capacity: 0, contact: { email: 19121212 } });
    expect(error.code).toBe(AppErrorCode.VALIDATION_FAILED);
    expect(error.fields.map((f) => f.field).sort()).toEqual(['capacity', 'contact.email']);
  });

  it('rejects unknown properties instead of dropping them', async () => {
    const error = await validationErrorOf({ capacity: 2, contact: { email: 'a@b.se' }, extra: 1 });
    expect(error.fields).toEqual([{ field: 'extra', message: expect.stringContaining('should not exist') }]);
  });

  it('never echoes the rejected value in a message', async () => {
    const error = await validationErrorOf({ capacity: '199001012389', contact: { email: 'x' } });
    expect(JSON.stringify(error.fields)).not.toContain('199001012389');
  });

  it('maps to HTTP 400 with the field list at the edge', async () => {
    const error = await validationErrorOf({ capacity: -1, contact: { email: 'a' } });
    const { status, body } = new AppErrorFilter().toResponse(error);
    expect(status).toBe(400);
    expect(body.fields).toHaveLength(1);
  });
});
