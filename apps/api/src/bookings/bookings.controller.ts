import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
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
  @ApiCreatedResponse({ type: BookingResponse })
  @ApiConflictResponse({
    description: 'BOOKING_CONFLICT with conflictingBookingIds and alternatives, or RESOURCE_UNAVAILABLE',
  })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateBookingDto) {
    const outcome = await this.bookings.create(actor, request(dto));
    return {
      ...mapBooking(await this.views.one(actor, outcome.booking), actor),
      displacedBookingIds: outcome.displaced.map((d) => d.id),
    };
  }

  @Post('series')
  @RequirePermission(Permission.BookingsWrite)
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
  async get(@CurrentActor() actor: Actor, @Param('id', uuidPipe) id: string): Promise<BookingResponse> {
    return mapBooking(await this.views.one(actor, await this.bookings.get(actor, id)), actor);
  }

  @Patch(':id')
  @RequirePermission(Permission.BookingsWrite)
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
  async cancel(@CurrentActor() actor: Actor, @Param('id', uuidPipe) id: string) {
    const { booking, offers } = await this.cancellation.cancel(actor, id);
    return {
      ...mapBooking(await this.views.one(actor, booking), actor),
      offeredWaitlistEntryIds: offers.map((o) => o.id),
    };
  }

  @Get(':id/usage')
  @RequirePermission(Permission.BookingsRead)
  @ApiOkResponse({ type: UsageResponse })
  async readUsage(@CurrentActor() actor: Actor, @Param('id', uuidPipe) id: string): Promise<UsageResponse> {
    return mapUsage(await this.usages.get(actor, id));
  }

  @Post(':id/usage')
  @HttpCode(200)
  @RequirePermission(Permission.UsageWrite)
  @ApiOkResponse({ type: UsageResponse })
  async usage(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Body() dto: UsageDto,
  ): Promise<UsageResponse> {
    return mapUsage(await this.usages.record(actor, id, dto));
  }
}
