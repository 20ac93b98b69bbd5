import { Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ROLES, Roles } from '@samverkan/auth';
import type { Response } from 'express';
import { toCsv } from './csv';
import type { StatTable } from './stat-table';
import { FollowUpQuery, StatisticsQuery } from './statistics-query.dto';
import { StatisticsService } from './statistics.service';

/** JSON unless the caller asks for CSV with ?format=csv or an Accept header preferring text/csv. */
export function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  if (format) return format === 'csv';
  return /(^|,)\s*text\/csv\b/i.test(accept ?? '');
}

@ApiTags('statistics')
@Roles(ROLES.ANALYST)
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'Missing or invalid bearer token' })
@ApiForbiddenResponse({ description: 'The caller lacks the analyst role' })
@ApiProduces('application/json', 'text/csv')
@ApiOkResponse({ description: 'A statistics table; suppressed cells are null (JSON) or ".." (CSV)' })
@Controller('statistics')
export class StatisticsController {
  constructor(@Inject(StatisticsService) private readonly statistics: StatisticsService) {}

  @Get('concern-reports/by-reporter-kind')
  @ApiOperation({ summary: 'Concern reports per month by reporter kind, with totals' })
  byReporterKind(
    @Query() q: StatisticsQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.answer(this.statistics.concernReportsByReporterKind(q), q.format, accept, res);
  }

  @Get('concern-reports/by-category')
  @ApiOperation({ summary: 'Concern reports per month by concern category' })
  byCategory(
    @Query() q: StatisticsQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.answer(this.statistics.concernReportsByCategory(q), q.format, accept, res);
  }

  @Get('concern-reports/handling')
  @ApiOperation({
    summary:
      'Protection assessment the same day, decision within 14 days, median days to a decision, feedback to reporters',
  })
  handling(
    @Query() q: StatisticsQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.answer(this.statistics.concernReportHandling(q), q.format, accept, res);
  }

  @Get('interventions')
  @ApiOperation({ summary: 'Interventions started and ended per catalog code, basis and year' })
  interventions(
    @Query() q: StatisticsQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.answer(this.statistics.interventions(q), q.format, accept, res);
  }

  @Get('interventions/mobila-teamet')
  @ApiOperation({ summary: 'Children in Mobila teamet per school year' })
  mobilaTeamet(
    @Query() q: StatisticsQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.answer(this.statistics.mobilaTeametBySchoolYear(q), q.format, accept, res);
  }

  @Get('courses')
  @ApiOperation({ summary: 'Fill rate, waitlist, completion rate and dropouts per programme and district' })
  courses(
    @Query() q: StatisticsQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.answer(this.statistics.courses(q), q.format, accept, res);
  }

  @Get('follow-up')
  @ApiOperation({
    summary:
      'Two-year follow-up: new concern reports within 24 months after a preventive intervention or course, against a comparison group',
  })
  @ApiUnprocessableEntityResponse({ description: 'COHORT_TOO_SMALL: a group has fewer than k children' })
  followUp(
    @Query() q: FollowUpQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.answer(this.statistics.followUp(q), q.format, accept, res);
  }

  private async answer(
    pending: Promise<StatTable>,
    format: string | undefined,
    accept: string | undefined,
    res: Response,
  ): Promise<StatTable | string> {
    const table = await pending;
    if (!wantsCsv(format, accept)) return table;
    res.type('text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${table.statistic}.csv"`);
    return toCsv(table);
  }
}
