import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { AdminExceptionFilter, AdminRequestError, AdminTokenGuard } from '@pardot-x3/sandbox-kit';
import type { GapChangeType } from '../cdc/change-event.types.js';
import { SalesforceApiError } from '../errors/salesforce-api.error.js';
import { ConnectedApp } from '../oauth/connected-app.service.js';
import { SalesforceOrg } from '../org/salesforce-org.service.js';
import { CustomFieldError, declareCustomFields } from '../sobjects/custom-field.util.js';
import { findSObject } from '../sobjects/sobject-schema.util.js';

const GAP_TYPES = new Set<GapChangeType>([
  'GAP_CREATE',
  'GAP_UPDATE',
  'GAP_DELETE',
  'GAP_UNDELETE',
  'GAP_OVERFLOW',
]);

/**
 * Salesforce-specific admin actions under /__admin/salesforce (same X-Admin-Token as the kit's
 * admin API): API limit, connected app and token lifetime, upsert answer, change event retention,
 * expiry and gap events, undelete, streaming client reset, the org's own custom fields.
 */
@Controller('__admin/salesforce')
@UseGuards(AdminTokenGuard)
@UseFilters(AdminExceptionFilter)
export class SalesforceAdminController {
  constructor(
    private readonly org: SalesforceOrg,
    private readonly app: ConnectedApp,
  ) {}

  /**
   * Declares the org's own custom fields, as an admin adds them in Setup:
   * `{"Account": [{"name": "Ext_Id__c", "type": "Text", "length": 20, "externalId": true, "unique": true}]}`.
   * They show in describe and are enforced on writes (length → STRING_TOO_LONG, unique → DUPLICATE_VALUE);
   * an external id serves upserts (`PATCH /sobjects/Account/Ext_Id__c/<value>`). A data reset keeps them.
   * 201 with the new fields' describe entries; 400 for a declaration Setup would refuse (none is added).
   */
  @Post('custom-fields')
  @HttpCode(201)
  customFields(@Body() body: unknown): { fields: Record<string, unknown>[] } {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new AdminRequestError(
        'expected {"<Object>": [{"name": "X__c", "type": "Text", "length": 20, …}]}',
      );
    const byObject: Record<string, unknown[]> = {};
    for (const [object, fields] of Object.entries(body)) {
      if (!Array.isArray(fields)) throw new AdminRequestError(`${object}: expected a list of fields`);
      byObject[object] = fields;
    }
    try {
      return { fields: declareCustomFields(byObject).map((f) => ({ ...f })) };
    } catch (error) {
      if (error instanceof CustomFieldError) throw new AdminRequestError(error.message);
      throw error;
    }
  }

  @Get('settings')
  settings(): Record<string, unknown> {
    return {
      dailyApiLimit: this.org.usage.limit,
      apiUsage: this.org.usage.used(),
      upsertUpdateStatus: this.org.upsertUpdateStatus,
      cdcRetentionHours: this.org.changeEvents.retentionHours,
      connectedApp: {
        consumerKey: this.app.consumerKey,
        hasCertificate: this.app.hasCertificate,
        tokenTtlSeconds: this.app.tokenTtlSeconds,
      },
      apiUser: this.org.apiUser,
      orgId: this.org.orgId,
      instanceUrl: this.org.baseUrl,
    };
  }

  /** `{"dailyApiLimit"?: n, "used"?: n}`: the DailyApiRequests allocation and how much of it is spent. */
  @Put('limits')
  limits(@Body() body: unknown): Record<string, unknown> {
    const input = objectBody(body);
    const limit = optionalNumber(input, 'dailyApiLimit', 1);
    const used = optionalNumber(input, 'used', 0);
    if (limit !== undefined) this.org.usage.setLimit(limit);
    if (used !== undefined) this.org.usage.setUsed(used);
    return { dailyApiLimit: this.org.usage.limit, apiUsage: this.org.usage.used() };
  }

  /** `{"consumerKey"?, "consumerSecret"?, "certificate"?: PEM | null, "tokenTtlSeconds"?}`. */
  @Put('connected-app')
  connectedApp(@Body() body: unknown): Record<string, unknown> {
    const input = objectBody(body);
    const text = (name: string): string | undefined => {
      const value = input[name];
      if (value === undefined) return undefined;
      if (typeof value !== 'string' || value === '')
        throw new AdminRequestError(`${name} must be a non-empty string`);
      return value;
    };
    const certificate = input['certificate'];
    if (
      certificate !== undefined &&
      certificate !== null &&
      (typeof certificate !== 'string' || !certificate.includes('-----BEGIN'))
    ) {
      throw new AdminRequestError('certificate must be a PEM X.509 certificate or public key, or null');
    }
    this.app.configure({
      consumerKey: text('consumerKey'),
      consumerSecret: text('consumerSecret'),
      certificate: certificate as string | null | undefined,
      tokenTtlSeconds: optionalNumber(input, 'tokenTtlSeconds', 1),
    });
    return {
      consumerKey: this.app.consumerKey,
      hasCertificate: this.app.hasCertificate,
      tokenTtlSeconds: this.app.tokenTtlSeconds,
    };
  }

  /** `{"status": 200 | 204}`: how an upsert that updates a record answers. */
  @Put('upsert-update-status')
  upsertStatus(@Body() body: unknown): { upsertUpdateStatus: number } {
    const status = objectBody(body)['status'];
    if (status !== 200 && status !== 204) throw new AdminRequestError('status must be 200 or 204');
    this.org.upsertUpdateStatus = status;
    return { upsertUpdateStatus: status };
  }

  @Get('change-events')
  changeEvents(): Record<string, unknown> {
    return {
      retained: this.org.changeEvents.size(),
      latestReplayId: this.org.changeEvents.latestReplayId,
      retentionHours: this.org.changeEvents.retentionHours,
      events: this.org.changeEvents.eventsAfter('/data/ChangeEvents', -1).slice(-200),
    };
  }

  /** `{"hours": n}`: the retention window. */
  @Put('change-events/retention')
  retention(@Body() body: unknown): { retentionHours: number } {
    const hours = objectBody(body)['hours'];
    if (typeof hours !== 'number' || !(hours > 0))
      throw new AdminRequestError('hours must be a positive number');
    this.org.changeEvents.setRetentionHours(hours);
    return { retentionHours: hours };
  }

  /** `{"throughReplayId"?: n}`: expire retained events (all, or up to a replay id), as if 72 h had passed. */
  @Post('change-events/expire')
  @HttpCode(200)
  expire(@Body() body: unknown): { expired: number; latestReplayId: number } {
    const input = body === undefined ? {} : objectBody(body);
    const through = optionalNumber(input, 'throughReplayId', 0);
    return {
      expired: this.org.changeEvents.expire(through),
      latestReplayId: this.org.changeEvents.latestReplayId,
    };
  }

  /** `{"entityName": "Account", "recordIds": ["001…"], "changeType": "GAP_UPDATE"}`. */
  @Post('change-events/gap')
  @HttpCode(201)
  gap(@Body() body: unknown): { replayId: number } {
    const input = objectBody(body);
    const def = typeof input['entityName'] === 'string' ? findSObject(input['entityName']) : undefined;
    if (!def?.changeDataCapture)
      throw new AdminRequestError('entityName must be an object selected for Change Data Capture');
    const changeType = input['changeType'] ?? 'GAP_UPDATE';
    if (typeof changeType !== 'string' || !GAP_TYPES.has(changeType as GapChangeType))
      throw new AdminRequestError(`changeType must be one of ${[...GAP_TYPES].join(', ')}`);
    const recordIds = input['recordIds'];
    if (!Array.isArray(recordIds) || recordIds.some((id) => typeof id !== 'string'))
      throw new AdminRequestError('recordIds must be an array of record ids');
    const event = this.org.changeEvents.emitGap(
      def.name,
      recordIds as string[],
      changeType as GapChangeType,
      this.org.apiUser.userId,
    );
    return { replayId: event.replayId };
  }

  /**
   * `{"extension":"PardotX3","type":"OrderShipped","active"?:true,"extensionActive"?:true}`: registers an
   * Account Engagement external activity type in Setup (Tooling API objects); same body as the Pardot
   * sandbox's registration, so a demo can send it to both.
   */
  @Put('marketing-app-extensions')
  registerActivityType(@Body() body: unknown): { extensionId: string; activityId: string } {
    const input = objectBody(body);
    const text = (name: string): string => {
      const value = input[name];
      if (typeof value !== 'string' || value.trim() === '')
        throw new AdminRequestError(`${name} must be a non-empty string`);
      return value.trim();
    };
    const flag = (name: string): boolean | undefined => {
      const value = input[name];
      if (value !== undefined && typeof value !== 'boolean')
        throw new AdminRequestError(`${name} must be true or false`);
      return value;
    };
    return this.org.registerActivityType({
      extension: text('extension'),
      type: text('type'),
      active: flag('active'),
      extensionActive: flag('extensionActive'),
    });
  }

  /** Restores a deleted record from the recycle bin (UNDELETE change event). */
  @Post('undelete/:type/:id')
  @HttpCode(200)
  undelete(@Param('type') type: string, @Param('id') id: string): { id: string } {
    try {
      const record = this.org.store.transaction(this.org.adminContext(), (tx) =>
        this.org.store.undelete(tx, type, id),
      );
      return { id: String(record['Id']) };
    } catch (error) {
      if (error instanceof SalesforceApiError)
        throw new AdminRequestError(`${error.errorCode}: ${error.message}`);
      throw error;
    }
  }

  /** Forgets every CometD client (their next connect gets 403::Unknown client). */
  @Delete('streaming/clients')
  @HttpCode(200)
  dropClients(): { dropped: number } {
    const dropped = this.org.streaming.clientCount;
    this.org.streaming.dropAllClients();
    return { dropped };
  }
}

function objectBody(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new AdminRequestError('the body must be a JSON object');
  return body as Record<string, unknown>;
}

function optionalNumber(input: Record<string, unknown>, name: string, min: number): number | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    throw new AdminRequestError(`${name} must be a whole number >= ${min}`);
  return value;
}
