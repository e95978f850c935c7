import { Controller, Get, UseInterceptors } from '@nestjs/common';
import { SalesforceOrg } from '../org/salesforce-org.service.js';
import { RestApiInterceptor } from '../rest/rest-api.interceptor.js';

/** `GET /limits`: the org's allocations; DailyApiRequests is the one the sandbox enforces. */
@Controller('services/data/:version/limits')
@UseInterceptors(RestApiInterceptor)
export class LimitsController {
  constructor(private readonly org: SalesforceOrg) {}

  @Get()
  limits(): Record<string, { Max: number; Remaining: number }> {
    const limit = this.org.usage.limit;
    return {
      DailyApiRequests: { Max: limit, Remaining: Math.max(0, limit - this.org.usage.used()) },
      DailyBulkV2QueryJobs: { Max: 10_000, Remaining: 10_000 },
      DailyDeliveredPlatformEvents: { Max: 50_000, Remaining: 50_000 },
      DailyStreamingApiEvents: { Max: 1_000_000, Remaining: 1_000_000 },
      DataStorageMB: { Max: 5_120, Remaining: 5_120 },
      MonthlyPlatformEventsUsageEntitlement: { Max: 1_500_000, Remaining: 1_500_000 },
    };
  }
}
