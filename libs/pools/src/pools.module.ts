import { Module } from '@nestjs/common';
import { MunicipalitiesService } from './municipalities.service';
import { PoolVisibility } from './pool-visibility';
import { PoolsService } from './pools.service';
import { ResourcesService } from './resources.service';

@Module({
  providers: [MunicipalitiesService, PoolsService, ResourcesService, PoolVisibility],
  exports: [MunicipalitiesService, PoolsService, ResourcesService, PoolVisibility],
})
export class PoolsModule {}
