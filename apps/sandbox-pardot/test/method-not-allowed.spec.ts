import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PardotSandbox } from './pardot-sandbox.harness.js';

const sandbox = new PardotSandbox(15206);
const V5 = '/api/v5';
const V4 = '/api/prospect/version/4/do';
/** Pardot's answer to a known route called with a method it does not have (apis.md §2.4, pardot/api-docs#234). */
const INVALID_METHOD = { code: 60, message: 'Invalid HTTP request method' };

beforeAll(async () => {
  await sandbox.start();
});
afterAll(async () => {
  await sandbox.stop();
});

describe('a wrong HTTP method on a known v5 route: 405 {"code":60,"message":"Invalid HTTP request method"}', () => {
  const cases: readonly (readonly [string, string])[] = [
    ['PUT', '/objects/prospects'],
    ['DELETE', '/objects/prospects'],
    ['POST', '/objects/prospects/100001'],
    ['PUT', '/objects/prospects/100001'],
    ['GET', '/objects/prospects/do/upsertLatestByEmail'],
    ['PATCH', '/objects/prospects/do/upsertLatestByEmail'],
    ['PUT', '/objects/prospects/do/upsertLatestByEmail'],
    ['DELETE', '/objects/prospects/do/upsertLatestByEmail'],
    ['GET', '/objects/prospects/do/undelete'],
    ['GET', '/objects/prospects/100001/do/addTag'],
    ['DELETE', '/objects/prospects/100001/do/removeTag'],
    ['PATCH', '/objects/custom-fields'],
    ['POST', '/objects/custom-fields/1'],
    ['POST', '/objects/visitor-activities'],
    ['DELETE', '/objects/visitor-activities/1'],
    ['PATCH', '/external-activities'],
    ['DELETE', '/external-activities/1'],
  ];
  it.each(cases)('%s %s', async (method, path) => {
    const reply = await sandbox.call(method, `${V5}${path}`, method === 'GET' ? {} : { body: {} });
    expect(reply.status).toBe(405);
    expect(reply.json).toEqual(INVALID_METHOD);
  });

  it('still answers 501 for a known action called with its own method that the sandbox does not offer', async () => {
    expect(await sandbox.call('POST', `${V5}/objects/prospects/do/undelete`, { body: {} })).toMatchObject({
      status: 501,
      json: { code: 2 },
    });
  });
});

describe('a wrong HTTP method on a known v4 do/ action: 405 with err_code 60 in the v4 envelope', () => {
  const fail60 = {
    '@attributes': { stat: 'fail', version: 1, err_code: 60 },
    err: 'Invalid HTTP request method',
  };
  const cases: readonly (readonly [string, string])[] = [
    ['PUT', '/read/id/100001'],
    ['PATCH', '/update/id/100001'],
    ['DELETE', '/batchUpsert'],
    ['PUT', '/create/email/a%40b.example'],
    ['PATCH', '/upsert/email/a%40b.example'],
    ['DELETE', '/query'],
    ['GET', '/delete/id/100001'],
    ['PUT', '/delete/id/100001'],
  ];
  it.each(cases)('%s %s', async (method, path) => {
    const reply = await sandbox.call(method, `${V4}${path}?format=json`);
    expect(reply.status).toBe(405);
    expect(reply.json).toEqual(fail60);
  });

  it('lets delete through with DELETE (its documented methods are POST and DELETE)', async () => {
    expect(await sandbox.call('DELETE', `${V4}/delete/id/100001?format=json`)).toMatchObject({
      status: 501,
      json: { '@attributes': { err_code: 2 } },
    });
  });
});
