import { Module } from '@nestjs/common';
import { BookingsModule } from '@allmende/bookings';
import { PoolsModule } from '@allmende/pools';
import { MembershipSimulation } from './membership-simulation';
import { PlanningClock } from './planning-clock';
import { PlanningService } from './planning.service';
import { PoolModelLoader } from './pool-model-loader';

@Module({
  imports: [PoolsModule, BookingsModule],
  providers: [PoolModelLoader, PlanningService, PlanningClock, MembershipSimulation],
  exports: [PlanningService, PlanningClock, MembershipSimulation],
})
export class PlanningModule {}
