import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { DatabaseHealth } from '@allmende/database';
import { QueueHealth } from '@allmende/queue';
import { Public } from '../auth/public.decorator';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: DatabaseHealth,
    private readonly queue: QueueHealth,
  ) {}

  @Get(['health', 'api/v1/health'])
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness, and readiness of database and queue (503 when one is down)' })
  check() {
    return this.health.check([
      async () => this.indicate('database', await this.database.check()),
      async () => this.indicate('queue', await this.queue.check()),
    ]);
  }

  private indicate<K extends string>(key: K, result: { ok: boolean; detail?: string }) {
    const session = this.indicators.check(key);
    return result.ok ? session.up() : session.down({ message: result.detail ?? 'unavailable' });
  }
}
