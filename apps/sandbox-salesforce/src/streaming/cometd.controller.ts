import { BadRequestException, Body, Controller, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import { bodyErrorOf } from '../http/request-body.util.js';
import { ConnectedApp } from '../oauth/connected-app.service.js';
import { SalesforceOrg } from '../org/salesforce-org.service.js';
import { bearerToken } from '../rest/rest-call.util.js';
import type { BayeuxMessage, BayeuxReply, StreamingAuth } from './bayeux.types.js';

const MIN_STREAMING_VERSION = 23;

/** The Streaming API endpoint, `/cometd/XX.X`: Bayeux over HTTP long polling (what jsforce's faye client uses). */
@Controller('cometd')
export class CometdController {
  constructor(
    private readonly org: SalesforceOrg,
    private readonly app: ConnectedApp,
  ) {}

  @Post()
  @HttpCode(200)
  withoutVersion(@Body() body: unknown): BayeuxReply[] {
    return this.org.streaming.rejectAll(
      messagesOf(body),
      "400::API version in the URI is mandatory. URI format: '/cometd/60.0'",
    );
  }

  @Post(':version')
  @HttpCode(200)
  async bayeux(
    @Req() request: object,
    @Param('version') version: string,
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
  ): Promise<BayeuxReply[]> {
    if (bodyErrorOf(request)) throw new BadRequestException('the Bayeux message body could not be read');
    const messages = messagesOf(body);
    const major = /^(\d+)\.\d$/.exec(version)?.[1];
    if (!major || Number(major) < MIN_STREAMING_VERSION) {
      return this.org.streaming.rejectAll(
        messages,
        "400::Unsupported API version. Only API versions '23.0' and above are supported. URI format: '/cometd/60.0'",
      );
    }
    return this.org.streaming.handle(messages, this.authenticate(authorization));
  }

  private authenticate(authorization: string | undefined): StreamingAuth {
    const token = bearerToken(authorization);
    const verification = token ? this.app.verify(token) : undefined;
    return verification?.valid ? { valid: true, userId: verification.claims.userId } : { valid: false };
  }
}

function messagesOf(body: unknown): BayeuxMessage[] {
  if (Array.isArray(body)) return body.filter((m): m is BayeuxMessage => !!m && typeof m === 'object');
  return body && typeof body === 'object' ? [body as BayeuxMessage] : [];
}
