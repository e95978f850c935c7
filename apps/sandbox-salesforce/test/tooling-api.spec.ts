import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_VERSION, startTestSandbox, type TestSandbox } from './sandbox-salesforce.fixture.js';

describe('Tooling API: external activity setup (MarketingAppExtension, MarketingAppExtActivity)', () => {
  let sandbox: TestSandbox;
  let token: string;

  const get = async (path: string): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(`${sandbox.url}/services/data/v${API_VERSION}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    return { status: res.status, body: await res.json() };
  };
  const tooling = (soql: string) => get(`/tooling/query?q=${encodeURIComponent(soql)}`);

  beforeAll(async () => {
    sandbox = await startTestSandbox({ SF_MARKETING_APP_EXTENSIONS: 'PardotX3:OrderShipped' });
    token = await sandbox.token();
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it('answers the extension and its activity types as registered, active or not', async () => {
    const registered = await sandbox.admin('PUT', '/salesforce/marketing-app-extensions', {
      extension: 'PardotX3',
      type: 'InvoicePaid',
      active: false,
    });
    expect(registered.status).toBe(200);

    const extensions = await tooling(
      "SELECT Id, DeveloperName, IsActive FROM MarketingAppExtension WHERE DeveloperName = 'PardotX3'",
    );
    expect(extensions).toMatchObject({
      status: 200,
      body: {
        size: 1,
        totalSize: 1,
        done: true,
        entityTypeName: 'MarketingAppExtension',
        records: [{ DeveloperName: 'PardotX3', IsActive: true }],
      },
    });
    const extensionId = ((extensions.body as { records: { Id: string }[] }).records[0] as { Id: string }).Id;
    const activities = await tooling(
      `SELECT Id, DeveloperName, IsActive FROM MarketingAppExtActivity WHERE MarketingAppExtensionId = '${extensionId}'`,
    );
    expect((activities.body as { records: unknown[] }).records).toEqual([
      expect.objectContaining({ DeveloperName: 'OrderShipped', IsActive: true }),
      expect.objectContaining({ DeveloperName: 'InvoicePaid', IsActive: false }),
    ]);
    expect(
      await tooling("SELECT Id FROM MarketingAppExtension WHERE DeveloperName = 'Unknown'"),
    ).toMatchObject({ body: { size: 0, records: [] } });
  });

  it('keeps Tooling objects out of the data API', async () => {
    expect(await get('/sobjects/MarketingAppExtension/describe')).toMatchObject({
      status: 404,
      body: [{ errorCode: 'NOT_FOUND' }],
    });
    expect(await get(`/query?q=${encodeURIComponent('SELECT Id FROM MarketingAppExtension')}`)).toMatchObject(
      { status: 400, body: [{ errorCode: 'INVALID_TYPE' }] },
    );
    expect(await tooling('SELECT Id FROM Account')).toMatchObject({
      status: 400,
      body: [{ errorCode: 'INVALID_TYPE' }],
    });
  });
});
