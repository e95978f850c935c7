import { Controller, Get, Headers, Param, Query, UseInterceptors } from '@nestjs/common';
import { SalesforceApiError } from '../errors/salesforce-api.error.js';
import { SalesforceOrg } from '../org/salesforce-org.service.js';
import { CurrentCall } from './current-call.decorator.js';
import { DEFAULT_QUERY_BATCH_SIZE, type QueryPage } from './query-cursor.service.js';
import { RestApiInterceptor } from './rest-api.interceptor.js';
import type { RestCall } from './rest-call.util.js';

/** SOQL: `query` and `queryAll` (deleted records too), paged by `nextRecordsUrl` batches. */
@Controller('services/data/:version')
@UseInterceptors(RestApiInterceptor)
export class QueryController {
  constructor(private readonly org: SalesforceOrg) {}

  @Get('query')
  query(
    @CurrentCall() call: RestCall,
    @Query('q') q: string | undefined,
    @Headers('sforce-query-options') options: string | undefined,
  ): QueryPage {
    return this.run(call, q, options, false);
  }

  @Get('queryAll')
  queryAll(
    @CurrentCall() call: RestCall,
    @Query('q') q: string | undefined,
    @Headers('sforce-query-options') options: string | undefined,
  ): QueryPage {
    return this.run(call, q, options, true);
  }

  @Get('query/:locator')
  more(@Param('locator') locator: string): QueryPage {
    return this.org.cursors.nextPage(locator);
  }

  @Get('queryAll/:locator')
  moreAll(@Param('locator') locator: string): QueryPage {
    return this.org.cursors.nextPage(locator);
  }

  private run(
    call: RestCall,
    q: string | undefined,
    options: string | undefined,
    includeDeleted: boolean,
  ): QueryPage {
    if (q === undefined || q.trim() === '')
      throw new SalesforceApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    const outcome = this.org.soql.execute(q, { apiVersion: call.apiVersion, includeDeleted });
    return this.org.cursors.firstPage(
      outcome.records,
      outcome.totalSize,
      batchSize(options),
      call.apiVersion,
    );
  }
}

/** `Sforce-Query-Options: batchSize=500` (200 to 2,000; Salesforce treats it as a hint). */
function batchSize(header: string | undefined): number {
  const m = /batchSize\s*=\s*(\d+)/i.exec(header ?? '');
  const n = m?.[1] ? Number(m[1]) : DEFAULT_QUERY_BATCH_SIZE;
  return Math.min(DEFAULT_QUERY_BATCH_SIZE, Math.max(200, n));
}
