import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiDoc, ListOf, PageOf } from '../common/api-doc';
import { Permission } from '@allmende/auth';
import type { Actor } from '@allmende/core';
import { ResourcesService } from '@allmende/pools';
import { BookingViews, ResourceCareService } from '@allmende/bookings';
import { mapBooking } from '../bookings/booking.dto';
import { RetiredResourceResponse } from './retired-resource.response';
import { CurrentActor } from '../auth/current-actor.decorator';
import { RequirePermission } from '../auth/require-permission.decorator';
import { instant } from '../common/instant';
import { decodeCursor, Page, toPage } from '../common/pagination';
import { uuidPipe } from '../common/uuid.pipe';
import {
  BlackoutQuery,
  BlackoutResponse,
  CreateBlackoutDto,
  InspectionDto,
  InspectionResponse,
  mapInspection,
  RecordedInspectionResponse,
  UpdateResourceDto,
  CreateResourceDto,
  mapBlackout,
  mapResource,
  ResourceQuery,
  ResourceResponse,
} from './resource.dto';

@ApiTags('resources')
@ApiBearerAuth()
@Controller('resources')
export class ResourcesController {
  constructor(
    private readonly resources: ResourcesService,
    private readonly care: ResourceCareService,
    private readonly views: BookingViews,
  ) {}

  @Post()
  @RequirePermission(Permission.ResourcesWrite)
  @ApiDoc({
    summary: 'Add a machine or a staff member to a pool',
    description:
      'A machine (with its rates, transport speed, inspection date, required operator qualification) or ' +
      'a staff member (with qualifications and weekly hours). Takes an Idempotency-Key.',
    created: ResourceResponse,
  })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateResourceDto): Promise<ResourceResponse> {
    return mapResource(
      await this.resources.create(actor, {
        poolId: dto.poolId,
        kind: dto.kind,
        name: dto.name,
        type: dto.type,
        homeMunicipalityId: dto.homeMunicipalityId,
        attributes: dto.attributes ?? {},
        qualifications: dto.qualifications ?? [],
        requiredQualification: dto.requiredQualification ?? null,
        hourlyRateCents: dto.hourlyRateCents ?? 0,
        perUseCents: dto.perUseCents ?? 0,
        annualFixedCostCents: dto.annualFixedCostCents ?? 0,
        transportSpeedKmh: dto.transportSpeedKmh ?? null,
        nextInspectionDue: dto.nextInspectionDue ?? null,
        weeklyHours: dto.weeklyHours ?? null,
        workingHours: null,
        email: dto.email ?? null,
      }),
    );
  }

  @Get()
  @RequirePermission(Permission.ResourcesRead)
  @ApiDoc({
    summary: 'List machines and staff',
    description: 'Of the pools the caller sees, by name; filter by pool, type and kind.',
    ok: PageOf(ResourceResponse),
  })
  async list(@CurrentActor() actor: Actor, @Query() query: ResourceQuery): Promise<Page<ResourceResponse>> {
    const { limit: requested, cursor, ...filter } = query;
    const limit = requested ?? 100;
    const rows = await this.resources.list(actor, filter, limit + 1, decodeCursor(cursor, ['name', 'id']));
    return toPage(rows, limit, mapResource, (r) => ({ name: r.name, id: r.id }));
  }

  @Get(':id')
  @RequirePermission(Permission.ResourcesRead)
  @ApiDoc({
    summary: 'One machine or staff member',
    description: 'With rates and inspection date.',
    ok: ResourceResponse,
  })
  async get(@CurrentActor() actor: Actor, @Param('id', uuidPipe) id: string): Promise<ResourceResponse> {
    return mapResource(await this.resources.get(actor, id));
  }

  @Post(':id/blackouts')
  @RequirePermission(Permission.ResourcesWrite)
  @ApiDoc({
    summary: 'Block a resource for maintenance or absence',
    description: 'No booking, not even an emergency, may use the resource then. Takes an Idempotency-Key.',
    created: BlackoutResponse,
  })
  async addBlackout(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Body() dto: CreateBlackoutDto,
  ): Promise<BlackoutResponse> {
    return mapBlackout(
      await this.resources.addBlackout(actor, id, {
        start: instant(dto.start),
        end: instant(dto.end),
        reason: dto.reason,
      }),
    );
  }

  @Patch(':id')
  @RequirePermission(Permission.ResourcesWrite)
  @ApiDoc({
    summary: 'Change a machine or staff member',
    description:
      'Only the fields sent change. Pool coordinators and admins only (403 otherwise); 404 if the caller ' +
      'cannot see the resource; 422 for a retired resource, an unknown home municipality or a field that ' +
      'does not fit the kind (e.g. an inspection date on staff, working hours on a machine). A new depot or ' +
      'speed recomputes the trips of the bookings ahead.',
    ok: ResourceResponse,
  })
  async change(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Body() dto: UpdateResourceDto,
  ): Promise<ResourceResponse> {
    return mapResource(await this.care.change(actor, id, dto));
  }

  @Post(':id/inspections')
  @RequirePermission(Permission.ResourcesWrite)
  @ApiDoc({
    summary: 'Record an inspection of a machine (UVV, HU/TÜV)',
    description:
      'Sets the next due date: nextDue if given, else inspectedOn plus the inspection interval; a failed ' +
      'inspection makes the machine overdue until one passes. Pool coordinators and admins only (403); ' +
      '404 for an unseen resource; 422 for a date in the future, nextDue not after inspectedOn, or no ' +
      'interval and no nextDue. Also allowed on a retired machine.',
    created: RecordedInspectionResponse,
  })
  async recordInspection(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Body() dto: InspectionDto,
  ): Promise<RecordedInspectionResponse> {
    const { inspection, resource } = await this.care.recordInspection(actor, id, dto);
    return { ...mapInspection(inspection), resource: mapResource(resource) };
  }

  @Get(':id/inspections')
  @RequirePermission(Permission.ResourcesRead)
  @ApiDoc({
    summary: "A machine's inspection history",
    description: 'Every recorded inspection of the resource, for anyone who sees its pool; 404 otherwise.',
    ok: ListOf(InspectionResponse),
  })
  async inspections(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
  ): Promise<{ items: InspectionResponse[] }> {
    return { items: (await this.care.inspections(actor, id)).map(mapInspection) };
  }

  @Post(':id/retire')
  @HttpCode(200)
  @RequirePermission(Permission.ResourcesWrite)
  @ApiDoc({
    summary: 'Retire a machine or staff member',
    description:
      'No new bookings from now on; bookings already placed stay and are listed as bookingsToRebook. ' +
      'Retiring twice changes nothing. Pool coordinators and admins only (403); 404 for an unseen resource.',
    ok: RetiredResourceResponse,
  })
  async retire(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
  ): Promise<RetiredResourceResponse> {
    const { resource, bookingsToRebook } = await this.care.retire(actor, id);
    const views = await this.views.of(actor, bookingsToRebook);
    return { ...mapResource(resource), bookingsToRebook: views.map((v) => mapBooking(v, actor)) };
  }

  @Get(':id/blackouts')
  @RequirePermission(Permission.ResourcesRead)
  @ApiDoc({
    summary: "A resource's blackouts in a period",
    description:
      'Maintenance and absence periods overlapping [from, to), for anyone who sees the pool; 404 otherwise, ' +
      '422 for a malformed or reversed period.',
    ok: ListOf(BlackoutResponse),
  })
  async blackouts(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Query() q: BlackoutQuery,
  ): Promise<{ items: BlackoutResponse[] }> {
    const items = await this.resources.blackouts(actor, id, instant(q.from), instant(q.to));
    return { items: items.map(mapBlackout) };
  }

  @Delete(':id/blackouts/:blackoutId')
  @HttpCode(204)
  @RequirePermission(Permission.ResourcesWrite)
  @ApiDoc({
    summary: 'Remove a blackout',
    description:
      'The resource can be booked in that period again. Pool coordinators and admins only (403); 404 if ' +
      'the resource or the blackout (of that resource) is not found.',
    noContent: true,
  })
  async removeBlackout(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Param('blackoutId', uuidPipe) blackoutId: string,
  ): Promise<void> {
    await this.resources.removeBlackout(actor, id, blackoutId);
  }
}
