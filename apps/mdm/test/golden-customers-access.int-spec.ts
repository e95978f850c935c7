import { fileURLToPath } from 'node:url';
import { CONSUMER_GROUPS, TOPICS, type CustomerObservation } from '@pardot-x3/canonical';
import { TestMessaging } from '@pardot-x3/flow-testing';
import { createServiceApp, type ServiceApp } from '@pardot-x3/service-runtime';
import { createTestDatabase, expectEveryRouteGuarded, testAccess, waitFor } from '@pardot-x3/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';
import { mdmConfigSchema, type MdmConfig } from '../src/mdm.config.js';

const CONFIG_DIR = fileURLToPath(new URL('../../../config/', import.meta.url));
const PORT = 21041;
const BASE = `http://127.0.0.1:${PORT}`;
const PATH = '/golden-customers/by-source/X3/BPCUSTOMER/C0ACCESS1';

interface View {
  goldenId: string;
  fields: {
    email?: string | null;
    firstName?: string | null;
    lastName?: string | null;
    phone?: string | null;
    companyName?: string | null;
    address?: {
      line1?: string | null;
      city?: string | null;
      postalCode?: string | null;
      countryCode?: string | null;
    };
  };
}

function observation(): CustomerObservation {
  return {
    sourceSystem: 'X3',
    sourceEntity: 'BPCUSTOMER',
    sourceId: 'C0ACCESS1',
    observedAt: new Date(),
    deleted: false,
    email: 'jeanne.martin@example.org',
    firstName: 'Jeanne',
    lastName: 'Martin',
    companyName: 'Martin Outillage',
    phone: '+33472001122',
    address: {
      line1: '12 rue de la République',
      line2: null,
      city: 'Lyon',
      postalCode: '69002',
      region: null,
      countryCode: 'FR',
    },
    customerCode: 'C0ACCESS1',
    customerGroup: null,
    currencyCode: 'EUR',
    paymentTerms: null,
    creditStatus: null,
    totalRevenue: null,
    lastPurchaseDate: null,
    industrySegment: null,
    pardotGrade: null,
    pardotScore: null,
    customFields: {},
    clearedFields: [],
    links: [],
    quarantinedFields: [],
  };
}

/** mdm's golden-customer API: credentials on every route, personal data masked for viewers (issue 11). */
describe('mdm: golden customers need credentials; viewers see personal data masked', () => {
  let messaging: TestMessaging;
  let database: { url: string; drop: () => Promise<void> };
  let app: ServiceApp<MdmConfig>;
  const access = testAccess();
  const get = (path: string, role: 'viewer' | 'pii' | 'operator') =>
    fetch(`${BASE}${path}`, { headers: access.headers(role) });

  beforeAll(async () => {
    messaging = await TestMessaging.start({
      label: 'mdm-access',
      topics: [
        TOPICS.customerObservationRecordedV1,
        TOPICS.customerGoldenRecordMasteredV1,
        TOPICS.customerGoldenRecordMergedV1,
        TOPICS.pardotProspectUpsertedV1,
        TOPICS.platformAuditRecordedV1,
      ],
      groups: [CONSUMER_GROUPS.mdmCustomerMastering, CONSUMER_GROUPS.mdmProspectLinks],
    });
    database = await createTestDatabase('mdm-access');
    app = await createServiceApp({
      service: 'mdm',
      configSchema: mdmConfigSchema,
      module: (config) => AppModule.register(config),
      env: messaging.serviceEnv(PORT, { DATABASE_URL: database.url, PX3_CONFIG_DIR: CONFIG_DIR }),
    });
    await app.listen();
    await messaging.send(TOPICS.customerObservationRecordedV1, observation());
  });

  afterAll(async () => {
    await app?.shutdown();
    await messaging?.close();
    await database?.drop();
  });

  it('every route but health and metrics answers 401 without credentials and 403 without a role; none is an action', async () => {
    const routes = await expectEveryRouteGuarded(app.nest, BASE, []);
    expect(routes).toEqual(
      expect.arrayContaining([
        'GET /golden-customers/:goldenId',
        'GET /golden-customers/:goldenId/explanation',
        'GET /golden-customers/by-source/:system/:entity/:sourceId',
        'POST /golden-customers/lookup',
      ]),
    );
  });

  it('masks names, email, phone and street for a viewer; pii and operator read them in clear', async () => {
    const clear = await waitFor(
      async () => {
        const res = await get(PATH, 'pii');
        return res.status === 200 ? ((await res.json()) as View) : undefined;
      },
      { timeoutMs: 30_000, description: 'the golden record of C0ACCESS1' },
    );
    expect(clear.fields).toMatchObject({
      email: 'jeanne.martin@example.org',
      firstName: 'Jeanne',
      phone: '+33472001122',
      address: { line1: '12 rue de la République', city: 'Lyon', postalCode: '69002' },
    });
    expect(((await (await get(PATH, 'operator')).json()) as View).fields.email).toBe(
      'jeanne.martin@example.org',
    );

    const masked = (await (await get(PATH, 'viewer')).json()) as View;
    expect(masked.goldenId).toBe(clear.goldenId);
    expect(masked.fields).toMatchObject({
      email: 'j***@***.org',
      firstName: 'J***',
      lastName: 'M***',
      phone: '***22',
      companyName: 'Martin Outillage',
      address: { line1: '***', city: 'L***', postalCode: '***', countryCode: 'FR' },
    });
    const text = JSON.stringify(masked);
    for (const personal of ['jeanne.martin', 'Jeanne', '7200112', 'République', '69002'])
      expect(text).not.toContain(personal);

    const explanation = (await (
      await get(`/golden-customers/${clear.goldenId}/explanation`, 'viewer')
    ).json()) as {
      fields: { field: string; value: unknown }[];
    };
    expect(JSON.stringify(explanation)).not.toContain('jeanne.martin');
    expect(explanation.fields.find((f) => f.field === 'email')?.value).toBe('j***@***.org');

    const lookup = await fetch(`${BASE}/golden-customers/lookup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...access.headers('viewer') },
      body: JSON.stringify({ email: 'jeanne.martin@example.org' }),
    });
    expect(lookup.status).toBe(200);
    expect(((await lookup.json()) as View).fields.email).toBe('j***@***.org');
  });

  it('accepts people with OIDC tokens: a viewer token sees masked data, a pii token the data', async () => {
    const as = async (roles: string[]) =>
      fetch(`${BASE}${PATH}`, { headers: { authorization: `Bearer ${await access.token({ roles })}` } });
    expect(((await (await as(['viewer'])).json()) as View).fields.email).toBe('j***@***.org');
    expect(((await (await as(['pii'])).json()) as View).fields.email).toBe('jeanne.martin@example.org');
    expect((await as(['nothing-we-know'])).status).toBe(403);
  });
});
