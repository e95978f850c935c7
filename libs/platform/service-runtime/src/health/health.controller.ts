import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { Public } from '../access/access.decorators.js';
import { SERVICE_INFO, type ServiceInfo } from '../service-runtime.constants.js';
import type { ReadinessReport } from './readiness-check.types.js';
import { ReadinessRegistry } from './readiness-registry.service.js';

@Controller('health')
@Public('health probes of the orchestrator')
export class HealthController {
  constructor(
    private readonly readiness: ReadinessRegistry,
    @Inject(SERVICE_INFO) private readonly info: ServiceInfo,
  ) {}

  /** Liveness: the process runs and serves HTTP. Never depends on Kafka or a database. */
  @Get('live')
  live(): { status: 'live'; service: string; version: string } {
    return { status: 'live', service: this.info.name, version: this.info.version };
  }

  /** Readiness: 200 when every registered check passes, otherwise 503 naming each failing check. */
  @Get('ready')
  async ready(): Promise<ReadinessReport> {
    const report = await this.readiness.evaluate();
    if (report.status !== 'ready') throw new ServiceUnavailableException(report);
    return report;
  }
}
