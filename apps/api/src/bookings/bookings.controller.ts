import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiTags } from '@nestjs/swagger';
import { ApiDoc, PageOf } from '../common/api-doc';
import { Permission } from '@allmende/auth';
import {
  BookingsService,
  BookingViews,
  CancellationService,
  RescheduleService,
  SeriesService,
  UsageService,
} from '@allmende/bookings';
import type { Actor } from '@allmende/core';
import { CurrentActor } from '../auth/current-actor.decorator';
import { RequirePermission } from '../auth/require-permission.decorator';
import { instant, optionalInstant } from '../common/instant';
import { decodeCursor, Page, toPage } from '../common/pagination';
import { uuidPipe } from '../common/uuid.pipe';
import {
  BookingQuery,
  BookingResponse,
  CancelledBookingResponse,
  CreatedBookingResponse,
  SeriesResponse,
  CreateBookingDto,
  CreateSeriesDto,
  localWindow,
  mapBooking,
  mapUsage,
  RescheduleBookingDto,
  UsageDto,
  UsageResponse,
} from './booking.dto';

function request(dto: CreateBookingDto) {
  return {
    resourceId: dto.resourceId,
    municipalityId: dto.municipalityId,
    siteMunicipalityId: dto.siteMunicipalityId,
    start: instant(dto.start),
    end: instant(dto.end),
    priority: dto.priority,
    operatorId: dto.operatorId,
    notes: dto.notes,
    contact: dto.contact,
    backdated: dto.backdated,
    flexible: dto.flexibleWindow
      ? { start: instant(dto.flexibleWindow.start), end: instant(dto.flexibleWindow.end) }
      : undefined,
  };
}

@ApiTags('bookings')
@ApiBearerAuth()
@Controller('bookings')
export class BookingsController {
  constructor(
    private readonly bookings: BookingsService,
    private readonly series: SeriesService,
    private readonly rescheduling: RescheduleService,
    private readonly cancellation: CancellationService,
    private readonly usages: UsageService,
    private readonly views: BookingViews,
  ) {}

  @Post()
  @RequirePermission(Permission.BookingsWrite)
  @ApiDoc({
    summary: 'Book a machine or a staff member',
    description:
      'Blocks the resource from departure at the previous site (or depot) until the end. A machine that ' +
      'needs an operator is booked with one (given or the best free qualified one), both or neither. ' +
      'Emergencies may displace normal bookings. Takes an Idempotency-Key.',
    created: CreatedBookingResponse,
  })
  @ApiConflictResponse({
    description: 'BOOKING_CONFLICT with conflictingBookingIds and alternatives, or RESOURCE_UNAVAILABLE',
  })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateBookingDto) {
    const outcome = await this.bookings.create(actor, request(dto));
    return {
      ...mapBooking(outcome.view, actor),
      displacedBookingIds: outcome.displaced.map((d) => d.id),
    };
  }

  @Post('series')
  @RequirePermission(Permission.BookingsWrite)
  @ApiDoc({
    summary: 'Book a recurring series (RFC 5545 RRULE)',
    description:
      'Occurrences keep their Europe/Berlin wall-clock times across DST. All or nothing by default; ' +
      'with onConflict "skip" the free occurrences are booked and the others reported. Takes an Idempotency-Key.',
    created: SeriesResponse,
  })
  async createSeries(@CurrentActor() actor: Actor, @Body() dto: CreateSeriesDto) {
    const { recurrence, ...booking } = dto;
    const outcome = await this.series.create(
      actor,
      request(booking),
      recurrence.rrule,
      recurrence.onConflict ?? 'fail',
    );
    return {
      seriesId: outcome.seriesId,
      bookings: (await this.views.of(actor, outcome.created)).map((v) => mapBooking(v, actor)),
      skipped: outcome.skipped.map((s) => ({ ...s, ...localWindow(s.start, s.end) })),
    };
  }

  @Get()
  @RequirePermission(Permission.BookingsRead)
  @ApiDoc({
    summary: 'List bookings',
    description:
      'Ordered by start; filter by resource, municipality, period and status. Other municipalities’ ' +
      'bookings appear as busy time without notes or contact.',
    ok: PageOf(BookingResponse),
  })
  async list(@CurrentActor() actor: Actor, @Query() query: BookingQuery): Promise<Page<BookingResponse>> {
    const limit = query.limit ?? 100;
    const rows = await this.bookings.list(
      actor,
      {
        resourceId: query.resourceId,
        municipalityId: query.municipalityId,
        from: optionalInstant(query.from),
        to: optionalInstant(query.to),
        status: query.status,
      },
      limit + 1,
      decodeCursor(query.cursor, ['startAt', 'id']),
    );
    return toPage(
      await this.views.of(actor, rows),
      limit,
      (v) => mapBooking(v, actor),
      (v) => ({ startAt: v.booking.startAt.toISOString(), id: v.booking.id }),
    );
  }

  @Get(':id')
  @RequirePermission(Permission.BookingsRead)
  @ApiDoc({
    summary: 'One booking',
    description: 'What the caller may see of it: notes and contact only for the booking municipality.',
    ok: BookingResponse,
  })
  async get(@CurrentActor() actor: Actor, @Param('id', uuidPipe) id: string): Promise<BookingResponse> {
    return mapBooking(await this.views.one(actor, await this.bookings.get(actor, id)), actor);
  }

  @Patch(':id')
  @RequirePermission(Permission.BookingsWrite)
  @ApiDoc({
    summary: 'Reschedule a booking',
    description: 'Move it in time, to another resource or site; keeps the id and bumps `sequence`.',
    ok: BookingResponse,
  })
  async reschedule(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Body() dto: RescheduleBookingDto,
  ): Promise<BookingResponse> {
    const booking = await this.rescheduling.reschedule(actor, id, {
      start: optionalInstant(dto.start),
      end: optionalInstant(dto.end),
      resourceId: dto.resourceId,
      siteMunicipalityId: dto.siteMunicipalityId,
      notes: dto.notes,
    });
    return mapBooking(await this.views.one(actor, booking), actor);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @RequirePermission(Permission.BookingsWrite)
  @ApiDoc({
    summary: 'Cancel a booking',
    description: 'Frees its time, which is offered to the waitlist in order.',
    ok: CancelledBookingResponse,
  })
  async cancel(@CurrentActor() actor: Actor, @Param('id', uuidPipe) id: string) {
    const { booking, offers } = await this.cancellation.cancel(actor, id);
    return {
      ...mapBooking(await this.views.one(actor, booking), actor),
      offeredWaitlistEntryIds: offers.map((o) => o.id),
    };
  }

  @Get(':id/usage')
  @RequirePermission(Permission.BookingsRead)
  @ApiDoc({
    summary: 'The recorded usage of a booking',
    description:
      'Operating hours and meter readings as last recorded, with earlier versions, for anyone who sees ' +
      'the booking; 404 if the booking is not visible or no usage has been recorded yet.',
    ok: UsageResponse,
  })
  async readUsage(@CurrentActor() actor: Actor, @Param('id', uuidPipe) id: string): Promise<UsageResponse> {
    return mapUsage(await this.usages.get(actor, id));
  }

  @Post(':id/usage')
  @HttpCode(200)
  @RequirePermission(Permission.UsageWrite)
  @ApiDoc({
    summary: 'Record the usage of a booking',
    description: 'On return: operating hours and meter readings, the basis of usage costs.',
    ok: UsageResponse,
  })
  async usage(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Body() dto: UsageDto,
  ): Promise<UsageResponse> {
    return mapUsage(await this.usages.record(actor, id, dto));
  }
}
