import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { Body, Controller, Get, Module, Param, Post, type DynamicModule } from '@nestjs/common';
import { apiKeyLine, AUDIT_SINK, createApiKey, type AuditEntry, type Principal } from '@pardot-x3/access';
import { ConfigValidationError, httpServerConfigSchemaWithPort } from '@pardot-x3/config';
import { listRoutes, probeRouteAccess, testAccess } from '@pardot-x3/testing';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceApp, CurrentPrincipal, RequireRole, type ServiceApp } from '../src/index.js';

const PORT = 16151;
const ISSUER = 'https://idp.access-test.local/realms/px3';
const AUDIENCE = 'pardot-x3';

@Controller('things')
class ThingsController {
  @Get(':id')
  read(@Param('id') id: string, @CurrentPrincipal() caller: Principal): { id: string; caller: string } {
    return { id, caller: caller.id };
  }

  /** A read sent as a POST (a search body). */
  @Post('search')
  @RequireRole('viewer')
  search(@Body() body: unknown): { query: unknown } {
    return { query: body };
  }

  /** An action: operator by default. */
  @Post(':id/redrive')
  redrive(@Param('id') id: string): { redriven: string } {
    return { redriven: id };
  }

  @Post(':id/fail')
  fail(): never {
    throw new Error('the re-drive failed');
  }
}

const audited: AuditEntry[] = [];

@Module({})
class AccessTestModule {
  static register(): DynamicModule {
    return {
      module: AccessTestModule,
      controllers: [ThingsController],
      providers: [
        { provide: AUDIT_SINK, useValue: { record: async (e: AuditEntry) => void audited.push(e) } },
      ],
    };
  }
}

/** An identity provider of the test: a key pair, its JWKS served over HTTP on 127.0.0.1. */
async function startIdentityProvider(): Promise<{
  jwksUrl: string;
  fetches: () => number;
  sign: (
    claims: Record<string, unknown>,
    options?: { audience?: string; expiresIn?: string },
  ) => Promise<string>;
  close: () => Promise<void>;
}> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwks = JSON.stringify({
    keys: [{ ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' }],
  });
  let fetches = 0;
  const server: Server = createServer((req, res) => {
    fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/protocol/openid-connect/certs`,
    fetches: () => fetches,
    sign: (claims, options = {}) => signWith(privateKey, 'idp-1', claims, options),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function signWith(
  key: CryptoKey,
  kid: string,
  claims: Record<string, unknown>,
  options: { audience?: string; expiresIn?: string },
): Promise<string> {
  return new SignJWT({ sub: 'person-1', preferred_username: 'jane', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(key);
}

describe('service runtime: authentication and roles', () => {
  const keys = { viewer: createApiKey(), pii: createApiKey(), operator: createApiKey() };
  const logs = new PassThrough();
  let logText = '';
  logs.on('data', (chunk: Buffer) => (logText += chunk.toString('utf8')));
  let idp: Awaited<ReturnType<typeof startIdentityProvider>>;
  let service: ServiceApp;
  let url: string;

  const call = (method: string, path: string, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(method === 'POST' ? { body: '{"q":"x"}' } : {}),
    });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    idp = await startIdentityProvider();
    service = await createServiceApp({
      service: 'access-test',
      configSchema: httpServerConfigSchemaWithPort(PORT),
      module: AccessTestModule.register(),
      env: {
        HOST: '127.0.0.1',
        PX3_API_KEYS: [
          apiKeyLine('dashboard', 'viewer', keys.viewer),
          apiKeyLine('support', 'pii', keys.pii),
          apiKeyLine('ci', 'operator', keys.operator),
        ].join(','),
        PX3_OIDC_ISSUER: ISSUER,
        PX3_OIDC_AUDIENCE: AUDIENCE,
        PX3_OIDC_JWKS_URL: idp.jwksUrl,
        PX3_OIDC_ROLES_CLAIM: 'realm_access.roles',
        PX3_OIDC_ROLE_MAP: 'px3-operators:operator,px3-readers:viewer',
      },
      logDestination: logs,
    });
    url = await service.listen();
  });

  afterAll(async () => {
    await service?.shutdown();
    await idp?.close();
  });

  it('answers 401 without credentials, saying what to send, with WWW-Authenticate', async () => {
    const res = await call('GET', '/things/1');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'credentials are required: send Authorization: Bearer <token> or X-API-Key',
    });
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="pardot-x3", ApiKey realm="pardot-x3", header="X-API-Key"',
    );
    const bad = await call('GET', '/things/1', { 'x-api-key': `${keys.operator}x` });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(((await bad.json()) as { message: string }).message).toBe('the X-API-Key is not valid');
  });

  it('keeps /health and /metrics open', async () => {
    expect((await call('GET', '/health/live')).status).toBe(200);
    expect((await call('GET', '/metrics')).status).toBe(200);
  });

  it('API keys: viewer reads, operator acts, viewer acting is 403 naming the role', async () => {
    const read = await call('GET', '/things/7', { 'x-api-key': keys.viewer });
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual({ id: '7', caller: 'api-key:dashboard' });
    expect((await call('POST', '/things/search', { 'x-api-key': keys.viewer })).status).toBe(201);
    const denied = await call('POST', '/things/7/redrive', { 'x-api-key': keys.viewer });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'POST /things/7/redrive needs the operator role; dashboard has viewer',
    });
    expect((await call('POST', '/things/7/redrive', { 'x-api-key': keys.pii })).status).toBe(403);
    expect((await call('POST', '/things/7/redrive', { 'x-api-key': keys.operator })).status).toBe(201);
    expect((await call('POST', '/things/7/redrive', bearer(keys.operator))).status).toBe(201);
  });

  it('OIDC: tokens verified against the JWKS served by the identity provider, roles from the mapped claim', async () => {
    const operator = await idp.sign({ realm_access: { roles: ['px3-operators', 'offline_access'] } });
    const reader = await idp.sign({ realm_access: { roles: ['px3-readers'] } });
    const nobody = await idp.sign({ realm_access: { roles: ['offline_access'] } });
    expect((await call('POST', '/things/8/redrive', bearer(operator))).status).toBe(201);
    const read = await call('GET', '/things/8', bearer(reader));
    expect(await read.json()).toEqual({ id: '8', caller: 'oidc:person-1' });
    expect((await call('POST', '/things/8/redrive', bearer(reader))).status).toBe(403);
    const noRole = await call('GET', '/things/8', bearer(nobody));
    expect(noRole.status).toBe(403);
    expect(((await noRole.json()) as { message: string }).message).toMatch(/jane has no pardot-x3 role/);
    expect(idp.fetches()).toBeGreaterThanOrEqual(1);

    const refused = async (token: string, reason: RegExp) => {
      const res = await call('GET', '/things/8', bearer(token));
      expect(res.status).toBe(401);
      expect(((await res.json()) as { message: string }).message).toMatch(reason);
    };
    await refused(await idp.sign({}, { audience: 'another-app' }), /"aud"/);
    await refused(await idp.sign({}, { expiresIn: '-10m' }), /expired/);
    const stranger = await generateKeyPair('RS256');
    await refused(await signWith(stranger.privateKey, 'idp-1', {}, {}), /signature/);
    await refused('not.a.jwt', /not valid/);
  });

  it('audits every operator action and refused attempt: a log line and the audit sink', async () => {
    audited.length = 0;
    await call('POST', '/things/9/redrive', { 'x-api-key': keys.operator });
    await call('POST', '/things/9/fail', { 'x-api-key': keys.operator });
    await call('POST', '/things/9/redrive', { 'x-api-key': keys.viewer });
    await call('POST', '/things/9/redrive');
    await call('GET', '/things/9', { 'x-api-key': keys.viewer }); // a read: not audited
    await expect.poll(() => audited.length).toBe(4);
    expect(audited.map((e) => [e.actorId, e.action, e.path, e.outcome, e.statusCode])).toEqual([
      ['api-key:ci', 'POST /things/:id/redrive', '/things/9/redrive', 'succeeded', 201],
      ['api-key:ci', 'POST /things/:id/fail', '/things/9/fail', 'failed', 500],
      ['api-key:dashboard', 'POST /things/:id/redrive', '/things/9/redrive', 'denied', 403],
      ['anonymous', 'POST /things/:id/redrive', '/things/9/redrive', 'unauthenticated', 401],
    ]);
    expect(audited.every((e) => e.service === 'access-test' && e.at instanceof Date)).toBe(true);
    const lines = logText
      .split('\n')
      .filter((l) => l.includes('"audit":true'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.at(-4)).toMatchObject({
      audit: true,
      actorId: 'api-key:ci',
      action: 'POST /things/:id/redrive',
      outcome: 'succeeded',
      statusCode: 201,
    });
    expect(logText).not.toContain(keys.operator);
  });

  it('every route of the router but health and metrics answers 401 without credentials, 403 without the role', async () => {
    const routes = listRoutes(service.nest);
    expect(routes).toEqual(
      expect.arrayContaining(['GET /things/:id', 'POST /things/search', 'POST /things/:id/redrive']),
    );
    const access = testAccess();
    // The test credentials of @pardot-x3/testing are not this service's: use its own keys for "viewer".
    const probes = await probeRouteAccess(url, routes, {
      ...access,
      headers: () => ({ 'x-api-key': keys.viewer }),
    });
    expect(probes.length).toBe(routes.length - 3);
    for (const probe of probes) {
      expect(probe, probe.route).toMatchObject({ withoutCredentials: 401, withBadKey: 401 });
      expect(probe.wwwAuthenticate, probe.route).toContain('X-API-Key');
    }
    const actions = ['POST /things/:id/redrive', 'POST /things/:id/fail'];
    for (const probe of probes.filter((p) => actions.includes(p.route)))
      expect(probe.asViewer, probe.route).toBe(403);
  });

  it('refuses to start with incomplete OIDC settings, naming each problem', async () => {
    const attempt = createServiceApp({
      service: 'access-test',
      configSchema: httpServerConfigSchemaWithPort(PORT + 1),
      module: AccessTestModule.register(),
      env: { PX3_OIDC_ISSUER: ISSUER },
      logDestination: new PassThrough(),
    });
    await expect(attempt).rejects.toBeInstanceOf(ConfigValidationError);
    await expect(attempt).rejects.toThrow(
      /PX3_OIDC_AUDIENCE is required[\s\S]*PX3_OIDC_JWKS_URL or PX3_OIDC_JWKS_FILE/,
    );
  });
});
