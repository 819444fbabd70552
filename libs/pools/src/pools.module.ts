import { Module } from '@nestjs/common';
import { JoinerDemandEstimator } from './joiner-demand';
import { MunicipalitiesService } from './municipalities.service';
import { PoolVisibility } from './pool-visibility';
import { PoolsService } from './pools.service';
import { ResourcesService } from './resources.service';

@Module({
  providers: [MunicipalitiesService, PoolsService, ResourcesService, PoolVisibility, JoinerDemandEstimator],
  exports: [MunicipalitiesService, PoolsService, ResourcesService, PoolVisibility, JoinerDemandEstimator],
})
export class PoolsModule {}
