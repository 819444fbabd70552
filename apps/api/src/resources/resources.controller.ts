import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Permission } from '@allmende/auth';
import type { Actor } from '@allmende/core';
import { ResourcesService } from '@allmende/pools';
import { BookingViews, ResourceCareService } from '@allmende/bookings';
import { mapBooking } from '../bookings/booking.dto';
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
  @ApiCreatedResponse({ type: ResourceResponse })
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
  async list(@CurrentActor() actor: Actor, @Query() query: ResourceQuery): Promise<Page<ResourceResponse>> {
    const { limit: requested, cursor, ...filter } = query;
    const limit = requested ?? 100;
    const rows = await this.resources.list(actor, filter, limit + 1, decodeCursor(cursor, ['name', 'id']));
    return toPage(rows, limit, mapResource, (r) => ({ name: r.name, id: r.id }));
  }

  @Get(':id')
  @RequirePermission(Permission.ResourcesRead)
  async get(@CurrentActor() actor: Actor, @Param('id', uuidPipe) id: string): Promise<ResourceResponse> {
    return mapResource(await this.resources.get(actor, id));
  }

  @Post(':id/blackouts')
  @RequirePermission(Permission.ResourcesWrite)
  @ApiCreatedResponse({ type: BlackoutResponse })
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
  @ApiOkResponse({ type: ResourceResponse })
  async change(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Body() dto: UpdateResourceDto,
  ): Promise<ResourceResponse> {
    return mapResource(await this.care.change(actor, id, dto));
  }

  @Post(':id/inspections')
  @RequirePermission(Permission.ResourcesWrite)
  @ApiCreatedResponse({ type: InspectionResponse })
  async recordInspection(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Body() dto: InspectionDto,
  ): Promise<InspectionResponse & { resource: ResourceResponse }> {
    const { inspection, resource } = await this.care.recordInspection(actor, id, dto);
    return { ...mapInspection(inspection), resource: mapResource(resource) };
  }

  @Get(':id/inspections')
  @RequirePermission(Permission.ResourcesRead)
  async inspections(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
  ): Promise<{ items: InspectionResponse[] }> {
    return { items: (await this.care.inspections(actor, id)).map(mapInspection) };
  }

  @Post(':id/retire')
  @HttpCode(200)
  @RequirePermission(Permission.ResourcesWrite)
  async retire(@CurrentActor() actor: Actor, @Param('id', uuidPipe) id: string) {
    const { resource, bookingsToRebook } = await this.care.retire(actor, id);
    const views = await this.views.of(actor, bookingsToRebook);
    return { ...mapResource(resource), bookingsToRebook: views.map((v) => mapBooking(v, actor)) };
  }

  @Get(':id/blackouts')
  @RequirePermission(Permission.ResourcesRead)
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
  async removeBlackout(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Param('blackoutId', uuidPipe) blackoutId: string,
  ): Promise<void> {
    await this.resources.removeBlackout(actor, id, blackoutId);
  }
}
