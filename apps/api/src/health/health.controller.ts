import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { DatabaseHealth } from '@allmende/database';
import { QueueHealth } from '@allmende/queue';
import { Public } from '../auth/public.decorator';

class HealthResponse {
  @ApiProperty({ enum: ['ok', 'error'] }) status: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { database: { status: 'up' } } })
  details: Record<string, unknown>;
}

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: DatabaseHealth,
    private readonly queue: QueueHealth,
  ) {}

  @Get(['health', 'health/ready', 'api/v1/health'])
  @Public()
  @HealthCheck()
  @ApiOperation({
    summary: 'Health',
    description:
      'Readiness of database and queue (Redis): 200, or 503 while one is lost; it turns 200 again ' +
      'once it is back, without a restart. /health and /health/ready answer the same. No token needed.',
  })
  @ApiOkResponse({ type: HealthResponse })
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
