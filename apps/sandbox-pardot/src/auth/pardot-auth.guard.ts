import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { verifySandboxAccessToken } from '@pardot-x3/sandbox-kit';
import { PardotApiError } from '../errors/pardot-api.error.js';
import type { PardotRequest, PardotResponse } from '../http/pardot-request.types.js';
import { PardotApiUsage } from '../limits/pardot-api-usage.service.js';
import { SANDBOX_PARDOT_CONFIG, type SandboxPardotConfig } from '../sandbox-pardot.config.js';

export const BUSINESS_UNIT_HEADER = 'pardot-business-unit-id';
const BUSINESS_UNIT_ID = /^0Uv[A-Za-z0-9]{15}$/;

/**
 * What every Pardot API request must carry, checked in Pardot's order: a Salesforce access token with
 * the `pardot_api` scope (`Authorization: Bearer …`, else 401 code 184; legacy user_key/api_key → 126),
 * the business unit (`Pardot-Business-Unit-Id`: missing 181, malformed 182, unknown 201), then one call
 * of the daily allocation (exhausted → 122). `X-Return-Api-Usage: 1` adds the `x-api-usage` header.
 */
@Injectable()
export class PardotAuthGuard implements CanActivate {
  constructor(
    @Inject(SANDBOX_PARDOT_CONFIG) private readonly config: SandboxPardotConfig,
    private readonly usage: PardotApiUsage,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<PardotRequest>();
    const res = context.switchToHttp().getResponse<PardotResponse>();
    const authorization = req.headers.authorization;
    if (!authorization)
      throw new PardotApiError(184, 401, 'send Authorization: Bearer <Salesforce access token>');
    if (/user_key\s*=|api_key\s*=/i.test(authorization)) throw new PardotApiError(126, 401);
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]) throw new PardotApiError(184, 401);
    const verification = verifySandboxAccessToken(match[1], this.config.SANDBOX_TOKEN_SECRET);
    if (!verification.valid)
      throw new PardotApiError(
        184,
        401,
        verification.reason === 'expired' ? 'the access token has expired' : undefined,
      );
    const { claims } = verification;
    if (!claims.scopes.includes('pardot_api'))
      throw new PardotApiError(184, 401, 'the access token lacks the pardot_api scope');

    const businessUnit = req.headers[BUSINESS_UNIT_HEADER];
    if (businessUnit === undefined || businessUnit === '')
      throw new PardotApiError(181, 400, 'Pardot-Business-Unit-Id');
    if (typeof businessUnit !== 'string' || !BUSINESS_UNIT_ID.test(businessUnit)) {
      throw new PardotApiError(182, 400, 'Pardot-Business-Unit-Id must be an 18-character id starting 0Uv');
    }
    if (
      businessUnit !== this.config.PARDOT_BUSINESS_UNIT_ID ||
      claims.orgId.slice(0, 15) !== this.config.PARDOT_SALESFORCE_ORG_ID.slice(0, 15)
    ) {
      throw new PardotApiError(201, 400);
    }

    if (!this.usage.consume()) throw new PardotApiError(122, this.config.PARDOT_LIMIT_HTTP_STATUS);
    const wantsUsage = req.headers['x-return-api-usage'];
    if (wantsUsage === '1' || wantsUsage === 'true') res.setHeader('x-api-usage', this.usage.usageHeader());
    req.pardotCaller = { clientId: claims.clientId, userId: claims.userId, businessUnitId: businessUnit };
    return true;
  }
}
