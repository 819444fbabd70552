import { Module } from '@nestjs/common';
import { BookingsModule } from '@allmende/bookings';
import { PoolsModule } from '@allmende/pools';
import { PlanningService } from './planning.service';
import { PoolModelLoader } from './pool-model-loader';

@Module({
  imports: [PoolsModule, BookingsModule],
  providers: [PoolModelLoader, PlanningService],
  exports: [PlanningService],
})
export class PlanningModule {}
