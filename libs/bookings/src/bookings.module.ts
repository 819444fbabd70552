import { Module } from '@nestjs/common';
import { PoolsModule } from '@allmende/pools';
import { AvailabilityService } from './availability.service';
import { BookingCalendar } from './booking-calendar';
import { BookingsService } from './bookings.service';
import { SeriesService } from './series.service';
import { WaitlistService } from './waitlist.service';

@Module({
  imports: [PoolsModule],
  providers: [BookingCalendar, BookingsService, AvailabilityService, SeriesService, WaitlistService],
  exports: [BookingsService, AvailabilityService, SeriesService, WaitlistService, BookingCalendar],
})
export class BookingsModule {}
