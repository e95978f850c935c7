import { Controller, Get, Header } from '@nestjs/common';
import { metricsRegistry } from '@pardot-x3/observability';
import { Public } from '../access/access.decorators.js';

/** Prometheus scrape endpoint: every metric of the process, in the text exposition format. */
@Controller('metrics')
@Public('Prometheus scrapes (no personal data, no actions)')
export class MetricsController {
  @Get()
  @Header('Content-Type', metricsRegistry.contentType)
  @Header('Cache-Control', 'no-store')
  async metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
