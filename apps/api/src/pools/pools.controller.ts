import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiDoc, ListOf, PageOf } from '../common/api-doc';
import { Permission } from '@allmende/auth';
import type { Actor } from '@allmende/core';
import { PoolsService, ResourcesService } from '@allmende/pools';
import { CurrentActor } from '../auth/current-actor.decorator';
import { RequirePermission } from '../auth/require-permission.decorator';
import { decodeCursor, Page, PageQuery, toPage } from '../common/pagination';
import { uuidPipe } from '../common/uuid.pipe';
import {
  AddMemberDto,
  CreatePoolDto,
  mapMember,
  mapPool,
  MemberResponse,
  OperatingHoursDto,
  PoolResponse,
  ResourceTypesResponse,
  TravelTimeDto,
} from './pool.dto';

@ApiTags('pools')
@ApiBearerAuth()
@Controller('pools')
export class PoolsController {
  constructor(
    private readonly pools: PoolsService,
    private readonly resources: ResourcesService,
  ) {}

  @Post()
  @RequirePermission(Permission.PoolsCreate)
  @ApiDoc({
    summary: 'Create a pool',
    description:
      'A pool of member municipalities sharing machines and staff in one field of action, with its ' +
      'cost-sharing key. Takes an Idempotency-Key.',
    created: PoolResponse,
  })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreatePoolDto): Promise<PoolResponse> {
    return mapPool(
      await this.pools.create(actor, {
        name: dto.name,
        fieldOfAction: dto.fieldOfAction,
        costSharing: dto.costSharing,
        costSharingValidFrom: dto.validFrom,
      }),
    );
  }

  @Get()
  @RequirePermission(Permission.PoolsRead)
  @ApiDoc({
    summary: 'List pools',
    description: 'The pools the caller sees (admin: all; others: those of their municipality), by name.',
    ok: PageOf(PoolResponse),
  })
  async list(@CurrentActor() actor: Actor, @Query() query: PageQuery): Promise<Page<PoolResponse>> {
    const limit = query.limit ?? 100;
    const rows = await this.pools.list(actor, limit + 1, decodeCursor(query.cursor, ['name', 'id']));
    return toPage(rows, limit, mapPool, (p) => ({ name: p.name, id: p.id }));
  }

  @Get(':id')
  @RequirePermission(Permission.PoolsRead)
  @ApiDoc({ summary: 'One pool', description: 'With its cost-sharing key.', ok: PoolResponse })
  async get(@CurrentActor() actor: Actor, @Param('id', uuidPipe) id: string): Promise<PoolResponse> {
    return mapPool(await this.pools.get(actor, id));
  }

  @Post(':id/members')
  @RequirePermission(Permission.PoolsManage)
  @ApiDoc({
    summary: 'Add a member municipality',
    description:
      'Membership from joinedOn until before leftOn; periods of one municipality must not overlap.',
    created: MemberResponse,
  })
  async addMember(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Body() dto: AddMemberDto,
  ): Promise<MemberResponse> {
    return mapMember(await this.pools.addMember(actor, id, dto));
  }

  @Get(':id/members')
  @RequirePermission(Permission.PoolsRead)
  @ApiDoc({
    summary: 'Members of a pool',
    description: 'Every membership period.',
    ok: ListOf(MemberResponse),
  })
  async members(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
  ): Promise<{ items: MemberResponse[] }> {
    return { items: (await this.pools.members(actor, id)).map(mapMember) };
  }

  @Get(':id/resource-types')
  @RequirePermission(Permission.PoolsRead)
  @ApiDoc({
    summary: 'Resource types of a pool',
    description:
      'The machine types and staff trades the pool has, with how many: the `type` of availability and the waitlist.',
    ok: ResourceTypesResponse,
  })
  async resourceTypes(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
  ): Promise<ResourceTypesResponse> {
    return { items: await this.resources.typesInPool(actor, id) };
  }

  @Put(':id/travel-times')
  @HttpCode(204)
  @RequirePermission(Permission.PoolsManage)
  @ApiDoc({
    summary: 'Set a travel time between two member municipalities',
    description: 'Minutes, used instead of great-circle distance ÷ transport speed.',
    noContent: true,
  })
  async setTravelTime(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Body() dto: TravelTimeDto,
  ): Promise<void> {
    await this.pools.setTravelTime(actor, id, dto);
  }

  @Put(':id/operating-hours')
  @RequirePermission(Permission.PoolsManage)
  @ApiDoc({
    summary: "Set a pool's operating hours",
    description:
      'Local hours per ISO weekday within which free windows and alternatives are offered; null restores ' +
      'the default Mon–Fri 06:00–20:00. Pool coordinators and admins only (403); 404 for an unseen pool; ' +
      '422 for malformed hours (unknown weekday, end not after start).',
    ok: PoolResponse,
  })
  async setOperatingHours(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Body() dto: OperatingHoursDto,
  ): Promise<PoolResponse> {
    return mapPool(await this.pools.setOperatingHours(actor, id, dto.operatingHours));
  }
}
