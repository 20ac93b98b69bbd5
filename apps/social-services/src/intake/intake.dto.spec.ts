import { fieldErrors, validateDto } from '../../test/support/validate-dto';
import { IntakeQuery } from './intake.dto';

describe('IntakeQuery', () => {
  it('defaults to the first page of 20', async () => {
    const result = await validateDto(IntakeQuery, {}, 'query');
    expect(
      result.ok && { page: result.dto.page, pageSize: result.dto.pageSize, overdue: result.dto.overdue },
    ).toEqual({
      page: 1,
      pageSize: 20,
      overdue: undefined,
    });
  });

  it('reads overdue and paging from query strings', async () => {
    const result = await validateDto(IntakeQuery, { overdue: 'true', page: '3', pageSize: '50' }, 'query');
    expect(result.ok && result.dto).toMatchObject({ overdue: true, page: 3, pageSize: 50 });
    const no = await validateDto(IntakeQuery, { overdue: 'false' }, 'query');
    expect(no.ok && no.dto.overdue).toBe(false);
  });

  it('rejects anything else per field', async () => {
    const fields = await fieldErrors(
      IntakeQuery,
      { overdue: 'yes', page: '0', pageSize: '101', sort: 'x' },
      'query',
    );
    expect(fields.map((f) => f.field).sort()).toEqual(['overdue', 'page', 'pageSize', 'sort']);
  });
});
