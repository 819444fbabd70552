export * from './finance-reports.service';
export * from './finance-reports.module';
export { availableHoursByMonth } from './available-hours';
export type { CostGroupBy, ReportKind, UtilizationGroupBy } from './report-labels';
export { resolveWindow } from './report-scope';
export type { ReportWindowInput } from './report-scope';
export { REPORT_CONTENT_TYPES } from './report-table';
export type { ReportFormat, ReportTarget } from './report-table';
