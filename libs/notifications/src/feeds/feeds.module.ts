import { Module } from '@nestjs/common';
import { PoolsModule } from '@allmende/pools';
import { CalendarFeedsService } from './calendar-feeds.service';

/** Calendar feeds; the repositories come from the global DatabaseModule. */
@Module({
  imports: [PoolsModule],
  providers: [CalendarFeedsService],
  exports: [CalendarFeedsService],
})
export class FeedsModule {}
