import { timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { SalesforceOrg } from '../org/salesforce-org.service.js';
import { ConnectedApp, type IssuedToken } from './connected-app.service.js';
import { OAuthError } from './oauth.error.js';

/** OAuth 2.0 client credentials flow: the connected app's key and secret; runs as the API user. */
@Injectable()
export class ClientCredentialsGrantUseCase {
  constructor(
    private readonly app: ConnectedApp,
    private readonly org: SalesforceOrg,
  ) {}

  execute(clientId: string | undefined, clientSecret: string | undefined): IssuedToken {
    if (!clientId) throw new OAuthError('invalid_client_id', 'client identifier invalid');
    if (clientId !== this.app.consumerKey)
      throw new OAuthError('invalid_client_id', 'client identifier invalid');
    if (!clientSecret || !sameText(clientSecret, this.app.consumerSecret))
      throw new OAuthError('invalid_client', 'invalid client credentials');
    return this.app.issue(this.org.apiUser.userId);
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
