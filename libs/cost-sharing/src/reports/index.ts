export { FinanceReportsService, REPORT_CLOCK } from './finance-reports.service';
export type {
  CostReport,
  CostReportRow,
  CostTotals,
  PreparedReport,
  ReportClock,
  ReportFile,
  ReportHeader,
  ReportRequest,
  UnrecordedBooking,
  UnrecordedUsagePage,
  UtilizationReport,
  UtilizationRow,
} from './finance-reports.service';
export { FinanceReportsModule } from './finance-reports.module';
export type { CostGroupBy, ReportKind, UtilizationGroupBy } from './report-labels';
export { REPORT_CONTENT_TYPES } from './report-table';
export type { ReportFormat, ReportTarget } from './report-table';
