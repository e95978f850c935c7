import { Body, Controller, Get, HttpCode, Inject, Post, UseFilters, UseGuards } from '@nestjs/common';
import {
  AdminExceptionFilter,
  AdminRequestError,
  AdminTokenGuard,
  issueSandboxAccessToken,
} from '@pardot-x3/sandbox-kit';
import { PardotApiUsage, type ApiUsageSnapshot } from '../limits/pardot-api-usage.service.js';
import { SANDBOX_PARDOT_CONFIG, type SandboxPardotConfig } from '../sandbox-pardot.config.js';
import type { ExternalActivityTypeRecord } from '../store/pardot-records.types.js';
import { PardotStore } from '../store/pardot-store.service.js';

const DEFAULT_USER_ID = '0055g00000PX3SBXAA';

/**
 * Pardot-only admin routes (X-Admin-Token): the external activity setup that real orgs do through the
 * Salesforce Tooling API, the API limits, and access tokens for using this sandbox on its own.
 */
@Controller('__admin/pardot')
@UseGuards(AdminTokenGuard)
@UseFilters(AdminExceptionFilter)
export class PardotAdminController {
  constructor(
    private readonly store: PardotStore,
    private readonly usage: PardotApiUsage,
    @Inject(SANDBOX_PARDOT_CONFIG) private readonly config: SandboxPardotConfig,
  ) {}

  @Get('external-activity-types')
  listActivityTypes(): { types: ExternalActivityTypeRecord[] } {
    return { types: [...this.store.externalActivityTypes.values()] };
  }

  /**
   * Registers (or changes) an activity type: {extension, type, active?, extensionActive?, businessUnitId?}.
   * Defaults: both active, assigned to this sandbox's business unit.
   */
  @Post('external-activity-types')
  @HttpCode(201)
  registerActivityType(@Body() body: unknown): ExternalActivityTypeRecord {
    const input = object(body, '{"extension":"PardotX3","type":"OrderShipped"}');
    const extension = requiredString(input, 'extension');
    const type = requiredString(input, 'type');
    return this.store.registerExternalActivityType({
      extension,
      type,
      active: optionalBoolean(input, 'active') ?? true,
      extensionActive: optionalBoolean(input, 'extensionActive') ?? true,
      businessUnitId:
        typeof input['businessUnitId'] === 'string'
          ? input['businessUnitId']
          : this.config.PARDOT_BUSINESS_UNIT_ID,
    });
  }

  @Get('limits')
  limits(): ApiUsageSnapshot {
    return this.usage.snapshot();
  }

  /** Changes the limits at run time: {dailyLimit?, used?, concurrentLimit?} (used = calls already made today). */
  @Post('limits')
  @HttpCode(200)
  setLimits(@Body() body: unknown): ApiUsageSnapshot {
    const input = object(body, '{"dailyLimit":100,"used":100}');
    return this.usage.configure({
      dailyLimit: optionalCount(input, 'dailyLimit', 1),
      used: optionalCount(input, 'used', 0),
      concurrentLimit: optionalCount(input, 'concurrentLimit', 1),
    });
  }

  /**
   * An access token as the Salesforce sandbox would issue it (same secret): {clientId?, scopes?, ttlSeconds?}.
   * Lets the Pardot sandbox be used without the Salesforce one.
   */
  @Post('access-tokens')
  @HttpCode(201)
  issueToken(@Body() body: unknown): {
    access_token: string;
    token_type: 'Bearer';
    scope: string;
    business_unit_id: string;
  } {
    const input =
      body === undefined || body === null
        ? {}
        : object(body, '{"clientId":"my-connector","scopes":["api","pardot_api"]}');
    const scopes = input['scopes'] ?? ['api', 'pardot_api', 'refresh_token'];
    if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string'))
      throw new AdminRequestError('scopes must be an array of strings');
    const token = issueSandboxAccessToken(
      {
        orgId: this.config.PARDOT_SALESFORCE_ORG_ID,
        userId: typeof input['userId'] === 'string' ? input['userId'] : DEFAULT_USER_ID,
        clientId: typeof input['clientId'] === 'string' ? input['clientId'] : 'pardot-sandbox-admin',
        scopes: scopes as string[],
        ttlSeconds: optionalCount(input, 'ttlSeconds', 1) ?? 7_200,
      },
      this.config.SANDBOX_TOKEN_SECRET,
    );
    return {
      access_token: token,
      token_type: 'Bearer',
      scope: (scopes as string[]).join(' '),
      business_unit_id: this.config.PARDOT_BUSINESS_UNIT_ID,
    };
  }
}

function object(body: unknown, example: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new AdminRequestError(`send a JSON object, e.g. ${example}`);
  return body as Record<string, unknown>;
}

function requiredString(input: Record<string, unknown>, key: string): string {
  const value = input[key];
  if (typeof value !== 'string' || value.trim() === '')
    throw new AdminRequestError(`${key} is required (a non-empty string)`);
  return value.trim();
}

function optionalBoolean(input: Record<string, unknown>, key: string): boolean | undefined {
  const value = input[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new AdminRequestError(`${key} must be true or false`);
  return value;
}

function optionalCount(input: Record<string, unknown>, key: string, min: number): number | undefined {
  const value = input[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    throw new AdminRequestError(`${key} must be a whole number ≥ ${min}`);
  return value;
}
