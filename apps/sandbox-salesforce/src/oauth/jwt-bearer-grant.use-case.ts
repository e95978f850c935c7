import { Injectable } from '@nestjs/common';
import { decodeJwt, errors, jwtVerify } from 'jose';
import { SalesforceOrg } from '../org/salesforce-org.service.js';
import { ConnectedApp, type IssuedToken } from './connected-app.service.js';
import { OAuthError } from './oauth.error.js';

/**
 * OAuth 2.0 JWT bearer flow: the assertion must be an RS256 JWT signed with the key of the connected
 * app's certificate, `iss` its consumer key, `sub` the API user's username, `aud` a login URL, and
 * `exp` in the future. Errors carry Salesforce's texts.
 */
@Injectable()
export class JwtBearerGrantUseCase {
  constructor(
    private readonly app: ConnectedApp,
    private readonly org: SalesforceOrg,
  ) {}

  async execute(assertion: string | undefined): Promise<IssuedToken> {
    if (!assertion) throw new OAuthError('invalid_request', 'assertion type not supported');
    let claims: ReturnType<typeof decodeJwt>;
    try {
      claims = decodeJwt(assertion);
    } catch {
      throw new OAuthError('invalid_grant', 'invalid assertion');
    }
    if (claims.iss !== this.app.consumerKey)
      throw new OAuthError('invalid_client_id', 'client identifier invalid');
    const key = this.app.jwtVerificationKey();
    if (!key)
      throw new OAuthError('invalid_client', 'the connected app has no certificate for the JWT bearer flow');
    try {
      await jwtVerify(assertion, await key, { algorithms: ['RS256'], requiredClaims: ['exp'] });
    } catch (error) {
      if (error instanceof errors.JWTExpired)
        throw new OAuthError('invalid_grant', 'expired authorization code');
      throw new OAuthError('invalid_grant', 'invalid assertion');
    }
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    const accepted = this.app.audiences();
    if (!audiences.some((aud) => typeof aud === 'string' && accepted.includes(aud.replace(/\/$/, '')))) {
      throw new OAuthError('invalid_grant', `audience is invalid [audience=${String(claims.aud)}]`);
    }
    if (
      typeof claims.sub !== 'string' ||
      claims.sub.toLowerCase() !== this.org.apiUser.username.toLowerCase()
    ) {
      throw new OAuthError('invalid_grant', "user hasn't approved this consumer");
    }
    return this.app.issue(this.org.apiUser.userId);
  }
}
