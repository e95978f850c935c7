import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import { SalesforceApiError } from '../errors/salesforce-api.error.js';
import { SalesforceOrg } from '../org/salesforce-org.service.js';
import { CurrentCall } from './current-call.decorator.js';
import { RestApiInterceptor } from './rest-api.interceptor.js';
import type { RestCall } from './rest-call.util.js';

/**
 * The Tooling API query resource, for the setup objects integrations check: MarketingAppExtension and
 * MarketingAppExtActivity (Account Engagement external activity types). Same SOQL subset as `query`.
 */
@Controller('services/data/:version/tooling')
@UseInterceptors(RestApiInterceptor)
export class ToolingController {
  constructor(private readonly org: SalesforceOrg) {}

  @Get('query')
  query(@CurrentCall() call: RestCall, @Query('q') q: string | undefined): Record<string, unknown> {
    if (q === undefined || q.trim() === '')
      throw new SalesforceApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    const outcome = this.org.soql.execute(q, {
      apiVersion: call.apiVersion,
      includeDeleted: false,
      api: 'tooling',
    });
    const first = outcome.records[0]?.['attributes'] as { type?: string } | undefined;
    return {
      size: outcome.totalSize,
      totalSize: outcome.totalSize,
      done: true,
      queryLocator: null,
      entityTypeName: first?.type ?? null,
      records: outcome.records.map((record) => ({
        ...record,
        attributes: {
          ...(record['attributes'] as object),
          url: String((record['attributes'] as { url: string }).url).replace(
            '/sobjects/',
            '/tooling/sobjects/',
          ),
        },
      })),
    };
  }
}
