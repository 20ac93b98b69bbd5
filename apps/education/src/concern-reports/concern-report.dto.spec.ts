import 'reflect-metadata';
import { luhnCheckDigit } from '@samverkan/contracts';
import { AppError, createValidationPipe, type FieldError } from '@samverkan/platform';
import { FileConcernReportRequest } from './concern-report.dto';

// "Tolvan Tolvansson", the Tax Agency's well-known test number: valid Luhn, obviously fictitious.
const PNR = '191212121212';
const CHILD_NAME = 'Tolvan Tolvansson';
const REPORTER_NAME = 'Lärare Larsson';
const DESCRIPTION = 'Eleven har berättat om oro hemma.';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

function validBody(): Loose {
  return {
    child: { personnummer: PNR, name: CHILD_NAME },
    reportingUnit: { schoolUnitCode: '12345678' },
    reporter: { role: 'teacher', name: REPORTER_NAME, contact: { email: 'larare@skola.example.se' } },
    categories: ['neglect', 'school-absence'],
    description: DESCRIPTION,
    immediateDanger: false,
  };
}

const pipe = createValidationPipe();

async function validate(body: unknown): Promise<FileConcernReportRequest> {
  return (await pipe.transform(body, {
    type: 'body',
    metatype: FileConcernReportRequest,
  })) as FileConcernReportRequest;
}

async function fieldErrors(body: unknown): Promise<FieldError[]> {
  try {
    await validate(body);
  } catch (error) {
    if (error instanceof AppError) return error.fields;
    throw error;
  }
  throw new Error('expected the body to be rejected');
}

function withChange(change: (body: Loose) => void): Loose {
  const body = validBody();
  change(body);
  return body;
}

/** A valid 12-digit number for a date (day + 60 for a samordningsnummer), via the Luhn check digit. */
function pnrFor(yyyymmdd: string, serial = '238'): string {
  const nine = yyyymmdd.slice(2) + serial;
  return `${yyyymmdd}${serial}${luhnCheckDigit(nine)}`;
}

describe('POST /concern-reports body', () => {
  it('accepts a complete report and normalizes a 10-digit personnummer to 12 digits', async () => {
    const dto = await validate(withChange((b) => (b.child.personnummer = '121212+1212')));
    expect(dto.child.personnummer).toBe(PNR);
    expect(dto).toBeInstanceOf(FileConcernReportRequest);
  });

  it('accepts a samordningsnummer (day of birth + 60) and a phone-only contact', async () => {
    const samordning = pnrFor('20130575');
    const dto = await validate(
      withChange((b) => {
        b.child.personnummer = samordning;
        b.reporter.contact = { phone: '0372-789 00' };
      }),
    );
    expect(dto.child.personnummer).toBe(samordning);
  });

  // Each kind of invalid field gets exactly one message, on its own field, that never quotes the value.
  const cases: Array<[string, (b: Loose) => void, string, RegExp, string?]> = [
    [
      'personnummer of the wrong length',
      (b) => (b.child.personnummer = '12121212'),
      'child.personnummer',
      /10 or 12 digits/,
      '12121212',
    ],
    [
      'personnummer with letters',
      (b) => (b.child.personnummer = '19121212ABCD'),
      'child.personnummer',
      /10 or 12 digits/,
      '19121212ABCD',
    ],
    [
      'personnummer without a real date',
      (b) => (b.child.personnummer = pnrFor('20130231')),
      'child.personnummer',
      /real date/,
    ],
    [
      'samordningsnummer without a real date',
      (b) => (b.child.personnummer = pnrFor('20130292')),
      'child.personnummer',
      /real date/,
    ],
    [
      'personnummer with a wrong check digit',
      (b) => (b.child.personnummer = '191212121213'),
      'child.personnummer',
      /check digit/,
      '191212121213',
    ],
    [
      'personnummer in the future',
      (b) => (b.child.personnummer = pnrFor('20990101')),
      'child.personnummer',
      /future/,
    ],
    ['personnummer missing', (b) => delete b.child.personnummer, 'child.personnummer', /10 or 12 digits/],
    ['child name missing', (b) => delete b.child.name, 'child.name', /name/],
    ['child name empty', (b) => (b.child.name = ''), 'child.name', /must not be empty/],
    ['child name blank', (b) => (b.child.name = '   '), 'child.name', /must not be blank/],
    ['child name too long', (b) => (b.child.name = 'x'.repeat(201)), 'child.name', /at most 200/],
    ['child missing', (b) => delete b.child, 'child', /object/],
    [
      'school unit code not eight digits',
      (b) => (b.reportingUnit.schoolUnitCode = '1234-567'),
      'reportingUnit.schoolUnitCode',
      /eight-digit/,
      '1234-567',
    ],
    [
      'reporter role not in the list',
      (b) => (b.reporter.role = 'janitor-in-chief'),
      'reporter.role',
      /must be one of/,
      'janitor-in-chief',
    ],
    ['reporter name missing', (b) => delete b.reporter.name, 'reporter.name', /name/],
    [
      'reporter contact without e-mail or phone',
      (b) => (b.reporter.contact = {}),
      'reporter.contact.email',
      /e-mail or a phone number is required/,
    ],
    [
      'reporter e-mail malformed',
      (b) => (b.reporter.contact.email = 'larare-at-skola'),
      'reporter.contact.email',
      /e-mail address/,
      'larare-at-skola',
    ],
    [
      'reporter phone malformed',
      (b) => (b.reporter.contact = { phone: 'call me maybe' }),
      'reporter.contact.phone',
      /phone number/,
      'call me maybe',
    ],
    ['categories empty', (b) => (b.categories = []), 'categories', /at least one/],
    [
      'category not in the code list',
      (b) => (b.categories = ['neglect', 'bad-vibes']),
      'categories',
      /must be one of/,
      'bad-vibes',
    ],
    ['category repeated', (b) => (b.categories = ['neglect', 'neglect']), 'categories', /not repeat/],
    ['categories not a list', (b) => (b.categories = 'neglect'), 'categories', /list/],
    ['description missing', (b) => delete b.description, 'description', /description/],
    ['description empty', (b) => (b.description = ''), 'description', /must not be empty/],
    ['description blank', (b) => (b.description = ' \n\t '), 'description', /must not be blank/],
    ['description too long', (b) => (b.description = 'x'.repeat(10_001)), 'description', /at most 10000/],
    [
      'immediate-danger flag not a boolean',
      (b) => (b.immediateDanger = 'yes'),
      'immediateDanger',
      /true or false/,
    ],
    ['immediate-danger flag missing', (b) => delete b.immediateDanger, 'immediateDanger', /true or false/],
    ['unknown property', (b) => (b.favouriteColour = 'blue'), 'favouriteColour', /should not exist/],
  ];

  const rows = cases.map(([name, change, field, message, value]) => ({
    name,
    change,
    field,
    message,
    value,
  }));

  it.each(rows)('$name → one message on its field', async ({ change, field, message, value }) => {
    const errors = await fieldErrors(withChange(change));
    expect(errors).toEqual([{ field, message: expect.stringMatching(message) }]);
    const text = JSON.stringify(errors);
    for (const secret of [PNR, CHILD_NAME, REPORTER_NAME, DESCRIPTION, value].filter(Boolean) as string[]) {
      expect(text).not.toContain(secret);
    }
  });

  it('reports every invalid field at once, one message each', async () => {
    const errors = await fieldErrors(
      withChange((b) => {
        b.child.personnummer = '191212121213';
        b.categories = ['bad'];
        b.immediateDanger = 1;
      }),
    );
    expect(errors.map((e) => e.field).sort()).toEqual([
      'categories',
      'child.personnummer',
      'immediateDanger',
    ]);
  });
});
