import { Module } from '@nestjs/common';
import { PoolsModule } from '@allmende/pools';
import { AlternativesFinder } from './alternatives';
import { AvailabilityService } from './availability.service';
import { BookingAccess } from './booking-access';
import { BookingCalendar } from './booking-calendar';
import { BookingJournal } from './booking-journal';
import { BookingPlacement } from './booking-placement';
import { BookingValidation } from './booking-validation';
import { BookingViews } from './booking-views';
import { BookingsService } from './bookings.service';
import { CancellationService } from './cancellation.service';
import { ConflictTranslation } from './conflict-translation';
import { CreateBatches } from './create-batches';
import { Displacement } from './displacement.service';
import { OperatorAssignment } from './operator-assignment';
import { RescheduleService } from './reschedule.service';
import { ResourceCareService } from './resource-care.service';
import { SeriesService } from './series.service';
import { UsageService } from './usage.service';
import { WaitlistService } from './waitlist.service';

const services = [
  BookingsService,
  RescheduleService,
  CancellationService,
  UsageService,
  AvailabilityService,
  SeriesService,
  WaitlistService,
  BookingCalendar,
  BookingViews,
  ResourceCareService,
];

@Module({
  imports: [PoolsModule],
  providers: [
    ...services,
    AlternativesFinder,
    BookingAccess,
    BookingJournal,
    BookingPlacement,
    BookingValidation,
    ConflictTranslation,
    CreateBatches,
    Displacement,
    OperatorAssignment,
  ],
  exports: services,
})
export class BookingsModule {}
