import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Permission } from '@allmende/auth';
import type { Actor } from '@allmende/core';
import { PoolsService } from '@allmende/pools';
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
  TravelTimeDto,
} from './pool.dto';

@ApiTags('pools')
@ApiBearerAuth()
@Controller('pools')
export class PoolsController {
  constructor(private readonly pools: PoolsService) {}

  @Post()
  @RequirePermission(Permission.PoolsCreate)
  @ApiCreatedResponse({ type: PoolResponse })
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
  async list(@CurrentActor() actor: Actor, @Query() query: PageQuery): Promise<Page<PoolResponse>> {
    const limit = query.limit ?? 100;
    const rows = await this.pools.list(actor, limit + 1, decodeCursor(query.cursor, ['name', 'id']));
    return toPage(rows, limit, mapPool, (p) => ({ name: p.name, id: p.id }));
  }

  @Get(':id')
  @RequirePermission(Permission.PoolsRead)
  async get(@CurrentActor() actor: Actor, @Param('id', uuidPipe) id: string): Promise<PoolResponse> {
    return mapPool(await this.pools.get(actor, id));
  }

  @Post(':id/members')
  @RequirePermission(Permission.PoolsManage)
  @ApiCreatedResponse({ type: MemberResponse })
  async addMember(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Body() dto: AddMemberDto,
  ): Promise<MemberResponse> {
    return mapMember(await this.pools.addMember(actor, id, dto));
  }

  @Get(':id/members')
  @RequirePermission(Permission.PoolsRead)
  async members(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
  ): Promise<{ items: MemberResponse[] }> {
    return { items: (await this.pools.members(actor, id)).map(mapMember) };
  }

  @Put(':id/travel-times')
  @HttpCode(204)
  @RequirePermission(Permission.PoolsManage)
  async setTravelTime(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Body() dto: TravelTimeDto,
  ): Promise<void> {
    await this.pools.setTravelTime(actor, id, dto);
  }

  @Put(':id/operating-hours')
  @RequirePermission(Permission.PoolsManage)
  @ApiOkResponse({ type: PoolResponse })
  async setOperatingHours(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Body() dto: OperatingHoursDto,
  ): Promise<PoolResponse> {
    return mapPool(await this.pools.setOperatingHours(actor, id, dto.operatingHours));
  }
}
