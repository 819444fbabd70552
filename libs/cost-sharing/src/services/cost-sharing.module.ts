import { Module } from '@nestjs/common';
import { PoolsModule } from '@allmende/pools';
import { AgreementsService } from './agreements.service';
import { COST_SHARING_CLOCK } from './clock';
import { SimulationService } from './simulation.service';
import { StatementCalculator } from './statement-calculator';
import { StatementAccess } from './statement-reach';
import { StatementsService } from './statements.service';

/** Cost sharing: agreements, statements (live and finalized), the monthly run, the what-if. */
@Module({
  imports: [PoolsModule],
  providers: [
    StatementCalculator,
    StatementAccess,
    StatementsService,
    AgreementsService,
    SimulationService,
    { provide: COST_SHARING_CLOCK, useValue: () => new Date() },
  ],
  exports: [StatementsService, AgreementsService, SimulationService, StatementCalculator],
})
export class CostSharingModule {}
