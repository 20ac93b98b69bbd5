import type { ConcernReport } from './concern-report.entity';
import type { ConcernReportView } from './concern-report.dto';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toConcernReportView(report: ConcernReport): ConcernReportView {
  const contact: { email?: string; phone?: string } = {};
  if (report.reporterEmail !== null) contact.email = report.reporterEmail;
  if (report.reporterPhone !== null) contact.phone = report.reporterPhone;
  return {
    id: report.id,
    child: {
      personnummer: report.childPersonnummer,
      name: report.childName,
      protectedIdentity: report.childProtectedIdentity,
    },
    reportingUnit: { schoolUnitCode: report.schoolUnitCode },
    reporter: { role: report.reporterRole, name: report.reporterName, contact },
    categories: report.categories,
    description: report.description,
    immediateDanger: report.immediateDanger,
    feedback: {
      status: report.feedbackStatus,
      filedAt: report.filedAt.toISOString(),
      feedbackReceivedAt: iso(report.feedbackReceivedAt),
      decidedAt: iso(report.decidedAt),
    },
  };
}
