import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { avroRecordSchema, TOPICS, type TopicCatalog, type TopicDefinition } from '@pardot-x3/canonical';
import { uniqueNamespace } from '@pardot-x3/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaPublisher, TopicNamespace, type Messaging } from '../src/index.js';
import {
  messagingTestEnvironment,
  testCatalog,
  type MessagingTestEnvironment,
} from './support/messaging-test-environment.js';

const run = promisify(execFile);

function record(fields: object[]): string {
  return JSON.stringify({
    type: 'record',
    name: 'Probe',
    namespace: 'pardotx3.test',
    doc: 'A probe.',
    fields,
  });
}

const V1 = record([
  { name: 'id', type: 'string', doc: 'Id.' },
  { name: 'quantity', type: 'int', doc: 'Quantity.' },
]);
const ADD_OPTIONAL = record([
  { name: 'id', type: 'string', doc: 'Id.' },
  { name: 'quantity', type: 'int', doc: 'Quantity.' },
  { name: 'note', type: ['null', 'string'], default: null, doc: 'Note.' },
]);
const ADD_REQUIRED = record([
  { name: 'id', type: 'string', doc: 'Id.' },
  { name: 'quantity', type: 'int', doc: 'Quantity.' },
  { name: 'site', type: 'string', doc: 'Site (no default: old data has none).' },
]);
const CHANGE_TYPE = record([
  { name: 'id', type: 'string', doc: 'Id.' },
  { name: 'quantity', type: 'string', doc: 'Quantity as text.' },
]);

function catalogWith(json: string): TopicCatalog {
  const topic: TopicDefinition<unknown> = {
    ...TOPICS.customerObservationRecordedV1,
    name: 'test.probe.changed.v1',
    value: avroRecordSchema(json),
    keyFields: ['id'],
  };
  return testCatalog([topic]);
}

describe('the schema compatibility check (real registry)', () => {
  let env: MessagingTestEnvironment;
  let messaging: Messaging;

  beforeAll(async () => {
    env = await messagingTestEnvironment('compat', catalogWith(V1));
    messaging = env.messaging;
  });

  afterAll(async () => {
    await env?.close();
  });

  it('fails an incompatible change and names what breaks; the registry keeps only v1', async () => {
    const publisher = messaging.schemaPublisher();
    for (const [change, pattern] of [
      [ADD_REQUIRED, /site/],
      [CHANGE_TYPE, /quantity|int|string/],
    ] as const) {
      const [checked] = await publisher.check(catalogWith(change));
      expect(checked).toMatchObject({
        subject: `${env.namespace}test.probe.changed.v1-value`,
        status: 'incompatible',
      });
      expect(checked?.detail).toMatch(pattern);
      const [registered] = await publisher.register(catalogWith(change));
      expect(registered?.status).toBe('incompatible');
    }
    expect(await messaging.registry.versions(`${env.namespace}test.probe.changed.v1-value`)).toEqual([1]);
  });

  it('passes a compatible change, which then registers as version 2; re-registering changes nothing', async () => {
    const publisher = messaging.schemaPublisher();
    expect((await publisher.check(catalogWith(ADD_OPTIONAL)))[0]?.status).toBe('compatible');
    expect((await publisher.register(catalogWith(ADD_OPTIONAL)))[0]?.status).toBe('registered');
    expect((await publisher.register(catalogWith(ADD_OPTIONAL)))[0]?.status).toBe('unchanged');
    expect(await messaging.registry.versions(`${env.namespace}test.probe.changed.v1-value`)).toEqual([1, 2]);
  });

  it('checks against every earlier version, not only the last one (BACKWARD_TRANSITIVE)', async () => {
    const publisher = new SchemaPublisher(messaging.registry, new TopicNamespace(''));
    // v2 drops "quantity"; v3 brings it back as text: v3 reads v2 but not v1.
    const v2 = record([{ name: 'id', type: 'string', doc: 'Id.' }]);
    const v3 = record([
      { name: 'id', type: 'string', doc: 'Id.' },
      { name: 'quantity', type: 'string', default: '', doc: 'Quantity as text.' },
    ]);
    const [result] = await publisher.verifyHistory(
      [{ subject: 'probe-value', versions: [V1, v2, v3] }],
      uniqueNamespace('transitive'),
    );
    expect(result?.status).toBe('incompatible');
    expect(result?.detail).toMatch(/version 3 of 3 .*cannot read version 1/);
  });

  it("accepts the repository's schemas as they evolved through git history", async () => {
    const root = join(import.meta.dirname, '..', '..', '..', '..');
    const { stdout } = await run(process.execPath, ['libs/contracts/canonical/codegen/schema-history.ts'], {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    });
    const history = JSON.parse(stdout) as {
      commits: number;
      subjects: { subject: string; versions: string[] }[];
    };
    expect(history.commits).toBeGreaterThanOrEqual(1);
    expect(history.subjects.map((s) => s.subject)).toContain('customer.golden-record.mastered.v1-value');
    const results = await messaging
      .schemaPublisher()
      .verifyHistory(history.subjects, uniqueNamespace('history'));
    expect(results.filter((r) => r.status === 'incompatible')).toEqual([]);
  });
});
