import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import { SalesforceApiError } from '../errors/salesforce-api.error.js';
import { SalesforceOrg } from '../org/salesforce-org.service.js';
import { normalizeSalesforceId } from '../sobjects/salesforce-id.util.js';
import { allSObjects } from '../sobjects/sobject-schema.util.js';
import { CurrentCall } from './current-call.decorator.js';
import { describeSObject, describeSummary } from './describe.util.js';
import { recordUrl, toRestRecord } from './record-json.util.js';
import { RestApiInterceptor } from './rest-api.interceptor.js';
import type { RestCall } from './rest-call.util.js';
import { SObjectApiService } from './sobject-api.service.js';

interface StatusResponse {
  status(code: number): StatusResponse;
  setHeader(name: string, value: string): void;
}

/** sObject resources: describe, create, read, update, delete, and rows by external id (get, upsert, delete). */
@Controller('services/data/:version')
@UseInterceptors(RestApiInterceptor)
export class SObjectsController {
  constructor(
    private readonly org: SalesforceOrg,
    private readonly api: SObjectApiService,
  ) {}

  @Get()
  resources(@CurrentCall() call: RestCall): Record<string, string> {
    const base = `/services/data/v${call.apiVersion}`;
    return {
      sobjects: `${base}/sobjects`,
      query: `${base}/query`,
      queryAll: `${base}/queryAll`,
      composite: `${base}/composite`,
      limits: `${base}/limits`,
    };
  }

  @Get('sobjects')
  describeGlobal(@CurrentCall() call: RestCall): Record<string, unknown> {
    return {
      encoding: 'UTF-8',
      maxBatchSize: 200,
      sobjects: allSObjects('data').map((def) => describeSummary(def, call.apiVersion)),
    };
  }

  @Get('sobjects/:type')
  basicInfo(@CurrentCall() call: RestCall, @Param('type') type: string): Record<string, unknown> {
    const def = this.api.requireType(type);
    return { objectDescribe: describeSummary(def, call.apiVersion), recentItems: [] };
  }

  @Post('sobjects/:type')
  @HttpCode(201)
  create(
    @CurrentCall() call: RestCall,
    @Param('type') type: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: StatusResponse,
  ): Record<string, unknown> {
    const id = this.api.create(call.context, type, body);
    res.setHeader('Location', recordUrl(this.api.requireType(type).name, id, call.apiVersion));
    return { id, success: true, errors: [] };
  }

  @Get('sobjects/:type/:id')
  read(
    @CurrentCall() call: RestCall,
    @Param('type') type: string,
    @Param('id') id: string,
    @Query('fields') fields: string | undefined,
  ): Record<string, unknown> {
    const def = this.api.requireType(type);
    if (id === 'describe') return describeSObject(def, call.apiVersion);
    const normalized = normalizeSalesforceId(id);
    const record = normalized
      ? this.org.store.get(def.name, normalized, { includeDeleted: true })
      : undefined;
    if (!record) throw SalesforceApiError.notFound();
    if (record['IsDeleted'] === true) throw SalesforceApiError.entityIsDeleted();
    return toRestRecord(
      def,
      record,
      call.apiVersion,
      fields ? fields.split(',').map((f) => f.trim()) : undefined,
    );
  }

  @Patch('sobjects/:type/:id')
  @HttpCode(204)
  update(
    @CurrentCall() call: RestCall,
    @Param('type') type: string,
    @Param('id') id: string,
    @Body() body: unknown,
  ): void {
    this.api.update(call.context, type, id, body);
  }

  @Delete('sobjects/:type/:id')
  @HttpCode(204)
  remove(@CurrentCall() call: RestCall, @Param('type') type: string, @Param('id') id: string): void {
    this.api.delete(call.context, type, id);
  }

  @Get('sobjects/:type/:field/:value')
  readByExternalId(
    @CurrentCall() call: RestCall,
    @Param('type') type: string,
    @Param('field') fieldName: string,
    @Param('value') value: string,
    @Res({ passthrough: true }) res: StatusResponse,
  ): unknown {
    const def = this.api.requireType(type);
    const field = this.api.externalIdField(def, fieldName);
    if (!field)
      throw SalesforceApiError.notFound(
        `Provided external ID field does not exist or is not accessible: ${fieldName}`,
      );
    const matches = this.api.findByExternalId(def, field, value);
    if (matches.length === 0) throw SalesforceApiError.notFound();
    if (matches.length > 1) {
      res.status(300);
      return matches.map((r) => recordUrl(def.name, String(r['Id']), call.apiVersion));
    }
    return toRestRecord(def, matches[0] as Record<string, unknown>, call.apiVersion);
  }

  @Patch('sobjects/:type/:field/:value')
  upsert(
    @CurrentCall() call: RestCall,
    @Param('type') type: string,
    @Param('field') fieldName: string,
    @Param('value') value: string,
    @Query('updateOnly') updateOnly: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: StatusResponse,
  ): unknown {
    const def = this.api.requireType(type);
    const field = this.api.externalIdField(def, fieldName);
    if (!field) throw SalesforceApiError.notFound();
    const outcome = this.api.upsert(
      call.context,
      call.apiVersion,
      def,
      field,
      value,
      body,
      updateOnly === 'true',
    );
    if (outcome.kind === 'multiple') {
      res.status(300);
      return outcome.urls;
    }
    if (outcome.kind === 'created') {
      res.status(201);
      res.setHeader('Location', recordUrl(def.name, outcome.id, call.apiVersion));
      return { id: outcome.id, success: true, errors: [], created: true };
    }
    res.status(this.org.upsertUpdateStatus);
    return this.org.upsertUpdateStatus === 204
      ? undefined
      : { id: outcome.id, success: true, errors: [], created: false };
  }

  @Delete('sobjects/:type/:field/:value')
  @HttpCode(204)
  removeByExternalId(
    @CurrentCall() call: RestCall,
    @Param('type') type: string,
    @Param('field') fieldName: string,
    @Param('value') value: string,
    @Res({ passthrough: true }) res: StatusResponse,
  ): unknown {
    const def = this.api.requireType(type);
    const field = this.api.externalIdField(def, fieldName);
    if (!field)
      throw SalesforceApiError.notFound(
        `Provided external ID field does not exist or is not accessible: ${fieldName}`,
      );
    const matches = this.api.findByExternalId(def, field, value);
    if (matches.length === 0) throw SalesforceApiError.notFound();
    if (matches.length > 1) {
      res.status(300);
      return matches.map((r) => recordUrl(def.name, String(r['Id']), call.apiVersion));
    }
    this.api.delete(call.context, def.name, String((matches[0] as Record<string, unknown>)['Id']));
    return undefined;
  }
}
