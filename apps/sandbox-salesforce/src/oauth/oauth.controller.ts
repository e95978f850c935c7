import { Body, Controller, Header, HttpCode, Post, Query, Req } from '@nestjs/common';
import { bodyErrorOf } from '../http/request-body.util.js';
import { ClientCredentialsGrantUseCase } from './client-credentials-grant.use-case.js';
import type { IssuedToken } from './connected-app.service.js';
import { JwtBearerGrantUseCase } from './jwt-bearer-grant.use-case.js';
import { OAuthError } from './oauth.error.js';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

type TokenParams = Record<string, unknown>;

/** `POST /services/oauth2/token` (form-encoded, or query parameters as Salesforce also accepts). */
@Controller('services/oauth2')
export class OAuthController {
  constructor(
    private readonly jwtBearer: JwtBearerGrantUseCase,
    private readonly clientCredentials: ClientCredentialsGrantUseCase,
  ) {}

  @Post('token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-cache,must-revalidate,max-age=0,no-store,private')
  async token(
    @Req() request: object,
    @Body() body: TokenParams | undefined,
    @Query() query: TokenParams,
  ): Promise<IssuedToken> {
    if (bodyErrorOf(request)) throw new OAuthError('invalid_request', 'the request body could not be read');
    const params = { ...query, ...(body && typeof body === 'object' ? body : {}) };
    const text = (name: string): string | undefined =>
      typeof params[name] === 'string' ? (params[name] as string) : undefined;
    switch (text('grant_type')) {
      case JWT_BEARER:
        return this.jwtBearer.execute(text('assertion'));
      case 'client_credentials':
        return this.clientCredentials.execute(text('client_id'), text('client_secret'));
      case 'password':
      case 'refresh_token':
      case 'authorization_code':
        throw new OAuthError(
          'unsupported_grant_type',
          'grant type not supported by the pardot-x3 sandbox (use JWT bearer or client credentials)',
        );
      default:
        throw new OAuthError('unsupported_grant_type', 'grant type not supported');
    }
  }
}
