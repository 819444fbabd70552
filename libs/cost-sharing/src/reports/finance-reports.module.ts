import { Module } from '@nestjs/common';
import { PoolsModule } from '@allmende/pools';
import { FinanceReportsService, REPORT_CLOCK, ReportClock } from './finance-reports.service';
import { ReportScopes } from './report-scope';

@Module({
  imports: [PoolsModule],
  providers: [
    FinanceReportsService,
    ReportScopes,
    { provide: REPORT_CLOCK, useValue: (() => new Date()) satisfies ReportClock },
  ],
  exports: [FinanceReportsService],
})
export class FinanceReportsModule {}
