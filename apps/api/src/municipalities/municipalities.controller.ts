import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiDoc, PageOf } from '../common/api-doc';
import { Permission } from '@allmende/auth';
import { MunicipalitiesService } from '@allmende/pools';
import { RequirePermission } from '../auth/require-permission.decorator';
import { decodeCursor, Page, PageQuery, toPage } from '../common/pagination';
import { uuidPipe } from '../common/uuid.pipe';
import { CreateMunicipalityDto, mapMunicipality, MunicipalityResponse } from './municipality.dto';

@ApiTags('municipalities')
@ApiBearerAuth()
@Controller('municipalities')
export class MunicipalitiesController {
  constructor(private readonly municipalities: MunicipalitiesService) {}

  @Post()
  @RequirePermission(Permission.MunicipalitiesWrite)
  @ApiDoc({
    summary: 'Add a municipality',
    description:
      'With its AGS (8 digits, unique), population, location and state (for holidays). Takes an Idempotency-Key.',
    created: MunicipalityResponse,
  })
  async create(@Body() dto: CreateMunicipalityDto): Promise<MunicipalityResponse> {
    const { location, state, ...rest } = dto;
    return mapMunicipality(await this.municipalities.create({ ...rest, ...location, state: state ?? 'HE' }));
  }

  @Get()
  @RequirePermission(Permission.MunicipalitiesRead)
  @ApiDoc({
    summary: 'List municipalities',
    description: 'All of the installation, by name.',
    ok: PageOf(MunicipalityResponse),
  })
  async list(@Query() query: PageQuery): Promise<Page<MunicipalityResponse>> {
    const limit = query.limit ?? 100;
    const rows = await this.municipalities.list(limit + 1, decodeCursor(query.cursor, ['name', 'id']));
    return toPage(rows, limit, mapMunicipality, (m) => ({ name: m.name, id: m.id }));
  }

  @Get(':id')
  @RequirePermission(Permission.MunicipalitiesRead)
  @ApiDoc({
    summary: 'One municipality',
    description: 'With AGS, population, location and state.',
    ok: MunicipalityResponse,
  })
  async get(@Param('id', uuidPipe) id: string): Promise<MunicipalityResponse> {
    return mapMunicipality(await this.municipalities.get(id));
  }
}
