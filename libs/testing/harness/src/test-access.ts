import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { apiKeyLine, createApiKey, ROLES, type Role } from '@pardot-x3/access';
import { SignJWT } from 'jose';
import { expect } from 'vitest';

/** The routes no credential is asked for: health, metrics and the HMAC-signed X3 webhook. */
export const OPEN_ROUTES: readonly string[] = [
  'GET /health/live',
  'GET /health/ready',
  'GET /metrics',
  'POST /webhooks/x3',
];

export const TEST_OIDC_ISSUER = 'https://idp.test.pardot-x3.local/';
export const TEST_OIDC_AUDIENCE = 'pardot-x3-tests';

/**
 * Credentials for tests of services: one random API key per role (fresh for each test process, never
 * written anywhere but as hashes in the service's environment) and an OIDC provider of the test's own
 * (a key pair, its JWKS in a temporary file) to sign tokens with.
 */
export interface TestAccess {
  /** Give this to every service the test starts: PX3_API_KEYS and the PX3_OIDC_* settings. */
  readonly env: Readonly<Record<string, string>>;
  readonly keys: Readonly<Record<Role, string>>;
  /** `{ 'x-api-key': … }` of the role's key. */
  headers(role?: Role): Record<string, string>;
  /** A token of the test provider, with `claims` (e.g. `{ roles: ['viewer'] }`). */
  token(
    claims?: Record<string, unknown>,
    options?: { expiresIn?: string; audience?: string },
  ): Promise<string>;
}

let shared: TestAccess | undefined;

/** The test process's credentials (created once per process, synchronously). */
export function testAccess(): TestAccess {
  shared ??= createTestAccess();
  return shared;
}

function createTestAccess(): TestAccess {
  const keys = Object.fromEntries(ROLES.map((role) => [role, createApiKey()])) as Record<Role, string>;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'ES256', use: 'sig' };
  const dir = mkdtempSync(join(tmpdir(), 'px3-access-'));
  const jwksFile = join(dir, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify({ keys: [jwk] }), { mode: 0o600 });
  return {
    env: {
      PX3_API_KEYS: ROLES.map((role) => apiKeyLine(`test-${role}`, role, keys[role])).join(','),
      PX3_OIDC_ISSUER: TEST_OIDC_ISSUER,
      PX3_OIDC_AUDIENCE: TEST_OIDC_AUDIENCE,
      PX3_OIDC_JWKS_FILE: jwksFile,
    },
    keys,
    headers: (role: Role = 'operator') => ({ 'x-api-key': keys[role] }),
    token: (claims = {}, options = {}) => sign(privateKey, claims, options),
  };
}

function sign(
  key: KeyObject,
  claims: Record<string, unknown>,
  options: { expiresIn?: string; audience?: string },
): Promise<string> {
  return new SignJWT({ sub: 'test-person', ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: 'test-key' })
    .setIssuer(TEST_OIDC_ISSUER)
    .setAudience(options.audience ?? TEST_OIDC_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(key);
}

interface RouterLayer {
  readonly route?: { readonly path?: unknown; readonly methods?: Record<string, boolean> };
}

/** Every route of a Nest application on Express, from the router itself: `GET /golden-customers/:goldenId`, … */
export function listRoutes(nest: INestApplication): string[] {
  const express = nest.getHttpAdapter().getInstance() as {
    router?: { stack?: RouterLayer[] };
    _router?: { stack?: RouterLayer[] };
  };
  const stack = express.router?.stack ?? express._router?.stack ?? [];
  return stack.flatMap((layer) => {
    const path = layer.route?.path;
    // Controller routes start with "/"; middleware Nest mounts for every path (nestjs-pino's
    // "{/*splat}") is not a route.
    if (typeof path !== 'string' || !path.startsWith('/')) return [];
    return Object.entries(layer.route?.methods ?? {})
      .filter(([method, on]) => on && method !== '_all')
      .map(([method]) => `${method.toUpperCase()} ${path}`);
  });
}

export interface RouteAccessProbe {
  readonly route: string;
  readonly withoutCredentials: number;
  readonly wwwAuthenticate: string | null;
  readonly withBadKey: number;
  /** With a valid token carrying no pardot-x3 role. */
  readonly withoutRole: number;
  /** With the viewer's key: 403 for actions (operator routes). */
  readonly asViewer: number;
}

/**
 * Calls every route that is not open (OPEN_ROUTES) of a listening service without credentials, with a
 * wrong key, with a token without a role and, for actions, as viewer: what each answered.
 */
export async function probeRouteAccess(
  baseUrl: string,
  routes: readonly string[],
  access: TestAccess,
): Promise<RouteAccessProbe[]> {
  const noRole = await access.token({ roles: ['someone-else'] });
  const probes: RouteAccessProbe[] = [];
  for (const route of routes.filter((r) => !OPEN_ROUTES.includes(r))) {
    const [method = 'GET', pattern = '/'] = route.split(' ');
    const url = `${baseUrl}${pattern.replace(/:[A-Za-z0-9_]+/g, 'probe')}`;
    const call = async (headers: Record<string, string>) =>
      fetch(url, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        ...(method === 'GET' || method === 'HEAD' ? {} : { body: '{}' }),
        redirect: 'manual',
      });
    const anonymous = await call({});
    probes.push({
      route,
      withoutCredentials: anonymous.status,
      wwwAuthenticate: anonymous.headers.get('www-authenticate'),
      withBadKey: (await call({ 'x-api-key': `${access.keys.operator}x` })).status,
      withoutRole: (await call({ authorization: `Bearer ${noRole}` })).status,
      asViewer: (await call(access.headers('viewer'))).status,
    });
  }
  return probes;
}

/**
 * The access matrix of a listening service, from its own router: every route but OPEN_ROUTES answers
 * 401 (with WWW-Authenticate) without credentials and with a wrong key, 403 to a token without a
 * pardot-x3 role, and exactly `operatorRoutes` answer 403 to the viewer. A route added without
 * thinking of access fails here. Needs the service started with `testAccess().env`.
 */
export async function expectEveryRouteGuarded(
  nest: INestApplication,
  baseUrl: string,
  operatorRoutes: readonly string[],
): Promise<string[]> {
  const routes = listRoutes(nest);
  expect(routes, 'the routes are listed from the router').toEqual(
    expect.arrayContaining(['GET /health/live']),
  );
  const probes = await probeRouteAccess(baseUrl, routes, testAccess());
  for (const probe of probes)
    expect(
      { ...probe, wwwAuthenticate: probe.wwwAuthenticate?.includes('X-API-Key') },
      `${probe.route} must refuse callers without credentials or role`,
    ).toMatchObject({ withoutCredentials: 401, wwwAuthenticate: true, withBadKey: 401, withoutRole: 403 });
  expect(
    probes
      .filter((p) => p.asViewer === 403)
      .map((p) => p.route)
      .sort(),
  ).toEqual([...operatorRoutes].sort());
  return routes;
}
