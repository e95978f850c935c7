import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOPICS, type SourceRecordChanged, type TopicDefinition } from '@pardot-x3/canonical';
import { flattenSourceFields } from '@pardot-x3/ingestion';
import { findRepositoryRoot } from '@pardot-x3/local-stack';
import { testAccess, type TestAccess } from '@pardot-x3/testing';

/**
 * The bad inputs of the black-box fuzz suite (issue 11): HTTP requests to every edge of the services
 * that has one, and Kafka records on the topics the transformer and mdm read. Deterministic (a fixed
 * list and seeded variations), so a failure names the input and runs the same again.
 */

/** What a fuzz input may carry as credentials; every header is made by {@link FuzzCredentials}. */
export type Credentials = 'operator' | 'none' | 'order-confirmation';

/**
 * The one place credentials come from: the test process's API keys and OIDC provider
 * (`testAccess()` of @pardot-x3/testing) for every non-health route, the X3 webhook secret for
 * signatures, and the order-confirmation bearer token. Give {@link serviceEnv} to every service.
 */
export class FuzzCredentials {
  static readonly WEBHOOK_SECRET = 'fuzz-x3-webhook-secret';
  static readonly ORDER_CONFIRMATION_TOKEN = 'fuzz-order-confirmation-token';

  private constructor(private readonly access: TestAccess) {}

  static async create(): Promise<FuzzCredentials> {
    return new FuzzCredentials(await testAccess());
  }

  /** Settings every service under test gets. */
  serviceEnv(): Record<string, string> {
    return {
      ...this.access.env,
      X3_WEBHOOK_SECRET: FuzzCredentials.WEBHOOK_SECRET,
      ORDER_CONFIRMATION_TOKEN: FuzzCredentials.ORDER_CONFIRMATION_TOKEN,
    };
  }

  headers(credentials: Credentials): Record<string, string> {
    if (credentials === 'none') return {};
    const operator = this.access.headers('operator');
    if (credentials === 'operator') return operator;
    return { ...operator, authorization: `Bearer ${FuzzCredentials.ORDER_CONFIRMATION_TOKEN}` };
  }

  /** `X-X3-Timestamp` and `X-X3-Signature` headers of a body, as X3 signs it. */
  static signed(
    body: string | Buffer,
    timestamp = String(Math.floor(Date.now() / 1000)),
  ): Record<string, string> {
    const hmac = createHmac('sha256', FuzzCredentials.WEBHOOK_SECRET);
    hmac.update(`${timestamp}.`);
    hmac.update(body);
    return { 'x-x3-timestamp': timestamp, 'x-x3-signature': `sha256=${hmac.digest('hex')}` };
  }
}

export type FuzzService = 'x3-ingest' | 'salesforce-ingest' | 'mdm';

/** One bad HTTP request. `signed`: the X3 webhook signature is added when sent (fresh timestamp). */
export interface HttpFuzzInput {
  readonly name: string;
  readonly service: FuzzService;
  readonly method: 'GET' | 'POST';
  /** Path as sent on the wire (already percent-encoded where it must be). */
  readonly path: string;
  readonly body?: string | Buffer;
  readonly contentType?: string;
  readonly credentials: Credentials;
  readonly signed?: boolean;
  /** Extra headers (bad signature variants). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Send the same signed request twice; the second answer is the one judged (a replay). */
  readonly replay?: boolean;
}

/**
 * A path segment as a hostile client sends it: percent-encoded, a lone surrogate (which has no UTF-8)
 * as the bytes of its CESU-8 form, %ED%A0%80 — invalid UTF-8 on the wire.
 */
function segment(text: string): string {
  return [...text].map((ch) => (/[\uD800-\uDFFF]/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch))).join('');
}

// --- values a hostile caller tries in any field ----------------------------------------------------

/** JSON values of the wrong type or shape for a text field. */
const WRONG_VALUES: readonly unknown[] = [
  null,
  0,
  12345,
  -1,
  1.5,
  1e308,
  true,
  [],
  ['C00001'],
  {},
  { $ne: null },
  '',
  ' ',
  'x\u0000y',
  '\u0000',
  '\uD800',
  'a'.repeat(70),
];

/** A NUL byte or a lone surrogate: text no store can keep. */
const unsafe = (text: string): boolean => text.includes('\u0000') || text.includes('\uD800');

const GOOD_RECORD = {
  BPCNUM: 'C00001',
  BPCNAM: 'Fuzz Industrie',
  UPDDATTIM: '2026-11-20T09:15:00Z',
  UPDTICK: 3,
};

function notification(
  overrides: Record<string, unknown>,
  record: Record<string, unknown> = {},
): Record<string, unknown> {
  const key = typeof record['BPCNUM'] === 'string' ? record['BPCNUM'] : 'C00001';
  return {
    eventId: 'fuzz-event',
    folder: 'SEED',
    class: 'BPCUSTOMER',
    key,
    changeType: 'UPDATE',
    record: { ...GOOD_RECORD, ...record },
    ...overrides,
  };
}

function without(value: Record<string, unknown>, field: string): Record<string, unknown> {
  const { [field]: _dropped, ...rest } = value;
  return rest;
}

/** Signed X3 webhooks whose content is bad: each must be a 400 (or 409 for the replay), never published. */
function x3WebhookInputs(): HttpFuzzInput[] {
  const inputs: HttpFuzzInput[] = [];
  const post = (name: string, body: string | Buffer, extra: Partial<HttpFuzzInput> = {}): void => {
    inputs.push({
      name: `x3 webhook: ${name}`,
      service: 'x3-ingest',
      method: 'POST',
      path: '/webhooks/x3',
      body,
      credentials: 'none',
      signed: true,
      ...extra,
    });
  };
  // every top-level field missing, and of a wrong type
  for (const field of ['eventId', 'folder', 'class', 'key', 'changeType', 'record']) {
    post(`no ${field}`, JSON.stringify(without(notification({}), field)));
    for (const [i, wrong] of WRONG_VALUES.entries()) {
      if (field === 'folder' && typeof wrong === 'string' && wrong.trim() !== '' && !unsafe(wrong)) continue; // another folder is ignored, by design
      if (field === 'class' && typeof wrong === 'string' && wrong.trim() !== '' && !unsafe(wrong)) continue; // a class not ingested is ignored, by design
      if (field === 'eventId' && typeof wrong === 'string' && wrong.trim() !== '' && !unsafe(wrong)) continue; // any event id is fine
      post(
        `${field} = ${JSON.stringify(wrong).slice(0, 30)} (#${i})`,
        JSON.stringify(notification({ [field]: wrong })),
      );
    }
  }
  // the record's key and version of the wrong type, and text PostgreSQL cannot keep
  for (const [i, wrong] of WRONG_VALUES.entries()) {
    if (typeof wrong === 'string' && wrong.trim() !== '' && !unsafe(wrong) && wrong.length <= 64) continue;
    post(
      `record.BPCNUM = ${JSON.stringify(wrong).slice(0, 30)} (#${i})`,
      JSON.stringify(notification({}, { BPCNUM: wrong })),
    );
  }
  for (const tick of ['three', '3', 1.5, -1, 1e300, [], {}, true, 'NaN'])
    post(`record.UPDTICK = ${JSON.stringify(tick)}`, JSON.stringify(notification({}, { UPDTICK: tick })));
  for (const stamp of [null, '', 'yesterday', '2026-13-45T99:99:99Z', 1764547200000, [], '20261120'])
    post(
      `record.UPDDATTIM = ${JSON.stringify(stamp)}`,
      JSON.stringify(notification({}, { UPDDATTIM: stamp })),
    );
  post('record.BPCNAM with a NUL byte', JSON.stringify(notification({}, { BPCNAM: 'Fuzz\u0000Industrie' })));
  post('record field name with a NUL byte', JSON.stringify(notification({}, { 'Y\u0000X': 'v' })));
  post('record.BPCNAM with a lone surrogate', JSON.stringify(notification({}, { BPCNAM: 'Fuzz \uDC00' })));
  post('key differs from the record', JSON.stringify(notification({ key: 'C00002' })));
  post(
    'nested __proto__',
    JSON.stringify(notification({})).replace(
      '"BPCNAM"',
      '"BPAADDLIG":{"__proto__":{"px3Polluted":"yes"}},"BPCNAM"',
    ),
  );
  post(
    'top-level constructor.prototype',
    JSON.stringify(notification({})).replace(
      '"eventId"',
      '"constructor":{"prototype":{"px3Polluted":"yes"}},"eventId"',
    ),
  );
  // bodies that are not a notification at all
  for (const body of [
    '',
    '{',
    '}',
    'null',
    '[]',
    '"text"',
    '42',
    'true',
    '{"a":',
    '[{"eventId":"e"}]',
    '{"record":[]}',
    'x'.repeat(100),
  ])
    post(`body ${JSON.stringify(body.slice(0, 20))}`, body);
  post(
    'body of bytes that are not UTF-8',
    Buffer.from(JSON.stringify(notification({}, { BPCNAM: 'Fuzz \u00ff\u00fe' })), 'latin1'),
  );
  post('body deeply nested', `${'['.repeat(5000)}${']'.repeat(5000)}`);
  post('body over the size limit', JSON.stringify(notification({}, { BPCNAM: 'x'.repeat(300_000) })));
  post('text/plain body', JSON.stringify(notification({})), { contentType: 'text/plain' });
  post('a replay of an accepted request', JSON.stringify(notification({}, { BPCNUM: 'FZREPLAY1' })), {
    replay: true,
  });
  // signatures that do not verify: 401
  const body = JSON.stringify(notification({}, { BPCNUM: 'FZUNSIGNED' }));
  const now = Math.floor(Date.now() / 1000);
  const unsigned: [string, Record<string, string>][] = [
    ['no signature headers', {}],
    ['no timestamp', { 'x-x3-signature': `sha256=${'0'.repeat(64)}` }],
    ['no signature', { 'x-x3-timestamp': String(now) }],
    ['signature not hex', { 'x-x3-timestamp': String(now), 'x-x3-signature': 'sha256=zz' }],
    [
      'signature of another secret',
      {
        'x-x3-timestamp': String(now),
        'x-x3-signature': `sha256=${createHmac('sha256', 'wrong').update(`${now}.${body}`).digest('hex')}`,
      },
    ],
    ['timestamp an hour old', { ...FuzzCredentials.signed(body, String(now - 3600)) }],
    ['timestamp a day ahead', { ...FuzzCredentials.signed(body, String(now + 86400)) }],
    ['timestamp not a time', { 'x-x3-timestamp': 'soon', 'x-x3-signature': `sha256=${'0'.repeat(64)}` }],
    [
      'timestamp with a NUL',
      {
        'x-x3-timestamp': `${now}\u0000`.replace('\u0000', '%00'),
        'x-x3-signature': `sha256=${'0'.repeat(64)}`,
      },
    ],
    ['signature md5=', { 'x-x3-timestamp': String(now), 'x-x3-signature': `md5=${'0'.repeat(32)}` }],
    ['signature of another body', { ...FuzzCredentials.signed(`${body} `, String(now)) }],
    [
      'signature 63 hex digits',
      { 'x-x3-timestamp': String(now), 'x-x3-signature': `sha256=${'a'.repeat(63)}` },
    ],
  ];
  for (const [name, headers] of unsigned)
    inputs.push({
      name: `x3 webhook: ${name}`,
      service: 'x3-ingest',
      method: 'POST',
      path: '/webhooks/x3',
      body,
      credentials: 'none',
      headers,
    });
  return inputs;
}

/** `POST /salesforce/backfill` bodies that make no sense: 400 (401 without credentials). */
function backfillInputs(): HttpFuzzInput[] {
  const since = '2026-11-01T00:00:00Z';
  const bodies: unknown[] = [
    {},
    { since: null },
    { since: 1764547200000 },
    { since: 'yesterday' },
    { since: '2026-11-01' },
    { since: '+010000-01-01T00:00:00Z' },
    { since: '9999-12-31T23:59:59Z' },
    { since: '1970-01-01T00:00:00Z' },
    { since: '0000-01-01T00:00:00Z' },
    { since: '2026-02-30T00:00:00Z' },
    { since: '2026-11-01T25:00:00Z' },
    { since: `${since}\u0000` },
    { since: [since] },
    { since, until: '2026-10-01T00:00:00Z' },
    { since, until: '3026-01-01T00:00:00Z' },
    { since, until: 'now' },
    { since, until: 0 },
    { since, objects: 'Lead' },
    { since, objects: {} },
    { since, objects: [] },
    { since, objects: ['Case'] },
    { since, objects: ['Lead', 'Lead'] },
    { since, objects: ['lead'] },
    { since, objects: [null] },
    { since, objects: [['Lead']] },
    { since, objects: ['Lead\u0000'] },
    { since, objects: Array.from({ length: 1000 }, () => 'Lead') },
    { since, sinse: since },
    { since, objects: [{ __proto__: { admin: true } }] },
    null,
    [],
    'since',
    42,
  ];
  const inputs: HttpFuzzInput[] = bodies.map((body, i) => ({
    name: `backfill: ${JSON.stringify(body)?.slice(0, 60)} (#${i})`,
    service: 'salesforce-ingest' as const,
    method: 'POST' as const,
    path: '/salesforce/backfill',
    body:
      typeof body === 'object' && body !== null && 'objects' in body && JSON.stringify(body).includes('{}]')
        ? `{"since":"${since}","objects":[{"__proto__":{"admin":true}}]}`
        : JSON.stringify(body),
    credentials: 'operator' as const,
  }));
  for (const raw of ['{', '', 'not json', '{"since":"2026-11-01T00:00:00Z"'])
    inputs.push({
      name: `backfill: body ${JSON.stringify(raw)}`,
      service: 'salesforce-ingest',
      method: 'POST',
      path: '/salesforce/backfill',
      body: raw,
      credentials: 'operator',
    });
  inputs.push({
    name: 'backfill: no credentials',
    service: 'salesforce-ingest',
    method: 'POST',
    path: '/salesforce/backfill',
    body: JSON.stringify({ since }),
    credentials: 'none',
  });
  for (const id of ['nope', '%00', 'x'.repeat(300), '..%2F..%2Fetc%2Fpasswd'])
    inputs.push({
      name: `backfill status ${id.slice(0, 20)}`,
      service: 'salesforce-ingest',
      method: 'GET',
      path: `/salesforce/backfill/${id}`,
      credentials: 'operator',
    });
  return inputs;
}

/** Ids that are not Salesforce Opportunity ids (percent-encoded for a path). */
const BAD_IDS: readonly string[] = [
  'not-an-id',
  '006',
  '006000000000NUL\u00001A',
  '006000000000NONE1A\u0000',
  '\uD800',
  '0015g00000Kq7RzAAJ',
  '006000000000NONE1AX',
  "006' OR '1'='1",
  'x'.repeat(300),
  '🚲',
  ' ',
];

function orderConfirmationInputs(): HttpFuzzInput[] {
  const inputs: HttpFuzzInput[] = [];
  const bodies: unknown[] = [
    {},
    { opportunityId: null },
    { opportunityId: 6 },
    { opportunityId: ['006000000000NONE1A'] },
    ...BAD_IDS.map((opportunityId) => ({ opportunityId })),
    null,
    [],
    'x',
  ];
  for (const [i, body] of bodies.entries())
    inputs.push({
      name: `order confirmation: ${JSON.stringify(body)?.slice(0, 50)} (#${i})`,
      service: 'salesforce-ingest',
      method: 'POST',
      path: '/orders/confirmations',
      body: JSON.stringify(body),
      credentials: 'order-confirmation',
    });
  for (const id of BAD_IDS)
    inputs.push({
      name: `order confirmation status ${JSON.stringify(id).slice(0, 30)}`,
      service: 'salesforce-ingest',
      method: 'GET',
      path: `/orders/confirmations/${segment(id)}`,
      credentials: 'order-confirmation',
    });
  for (const path of [
    '/orders/confirmations/%FF',
    '/orders/confirmations/%',
    '/orders/confirmations/%E0%A4%A',
  ])
    inputs.push({
      name: `order confirmation status ${path}`,
      service: 'salesforce-ingest',
      method: 'GET',
      path,
      credentials: 'order-confirmation',
    });
  inputs.push({
    name: 'order confirmation without the bearer token',
    service: 'salesforce-ingest',
    method: 'POST',
    path: '/orders/confirmations',
    body: JSON.stringify({ opportunityId: '006000000000NONE1A' }),
    credentials: 'operator',
  });
  return inputs;
}

/** Golden-customer lookups with ids and bodies that are not ids: 400 (404 for an id that is merely unknown). */
function mdmInputs(): HttpFuzzInput[] {
  const inputs: HttpFuzzInput[] = [];
  const ids = [
    '\u0000',
    'a\u0000b',
    '\uD800',
    'x'.repeat(300),
    "' OR 1=1 --",
    '%FF',
    '%',
    '%E0%A4%A',
    'unknown-golden-id',
  ];
  for (const id of ids) {
    const path = id.startsWith('%') ? id : segment(id);
    inputs.push({
      name: `golden customer ${JSON.stringify(id).slice(0, 20)}`,
      service: 'mdm',
      method: 'GET',
      path: `/golden-customers/${path}`,
      credentials: 'operator',
    });
    inputs.push({
      name: `explanation ${JSON.stringify(id).slice(0, 20)}`,
      service: 'mdm',
      method: 'GET',
      path: `/golden-customers/${path}/explanation`,
      credentials: 'operator',
    });
  }
  for (const [system, entity, id] of [
    ['X3', 'BPCUSTOMER', 'C0\u00001'],
    ['X3\u0000', 'BPCUSTOMER', 'C00001'],
    ['X3', 'BPCUSTOMER\u0000', 'C00001'],
    ['X3', 'BPCUSTOMER', 'x'.repeat(300)],
    ['NOPE', 'Lead', '00Q'],
    ['SALESFORCE', 'Opportunity', '006'],
    ['X3', 'BPCUSTOMER', '\uDFFF'],
  ] as const)
    inputs.push({
      name: `by-source ${JSON.stringify([system, entity, id]).slice(0, 50)}`,
      service: 'mdm',
      method: 'GET',
      path: `/golden-customers/by-source/${segment(system)}/${segment(entity)}/${segment(id)}`,
      credentials: 'operator',
    });
  const lookups: unknown[] = [
    {},
    { email: '' },
    { email: null },
    { email: 42 },
    { email: ['a@b.example'] },
    { email: 'a\u0000@b.example' },
    { email: '\uD800@b.example' },
    { email: `${'a'.repeat(400)}@b.example` },
    { email: { $ne: null } },
    { system: 'X3', entity: 'BPCUSTOMER' },
    { system: 'X3', entity: 'BPCUSTOMER', id: 7 },
    { system: 'X3', entity: 'BPCUSTOMER', id: 'C0\u00001' },
    { system: 'X3\u0000', entity: 'BPCUSTOMER', id: 'C00001' },
    { email: 'a@b.example', system: 'X3' },
    { email: 'nobody@fuzz.example' },
    null,
    [],
    'a@b.example',
  ];
  for (const [i, body] of lookups.entries())
    inputs.push({
      name: `lookup ${JSON.stringify(body)?.slice(0, 50)} (#${i})`,
      service: 'mdm',
      method: 'POST',
      path: '/golden-customers/lookup',
      body: JSON.stringify(body),
      credentials: 'operator',
    });
  for (const raw of ['{', 'not json', Buffer.from('{"email":"\xff\xfe@b.example"}', 'latin1')])
    inputs.push({
      name: `lookup body ${JSON.stringify(String(raw)).slice(0, 20)}`,
      service: 'mdm',
      method: 'POST',
      path: '/golden-customers/lookup',
      body: raw,
      credentials: 'operator',
    });
  inputs.push({
    name: 'lookup without credentials',
    service: 'mdm',
    method: 'POST',
    path: '/golden-customers/lookup',
    body: JSON.stringify({ email: 'a@b.example' }),
    credentials: 'none',
  });
  inputs.push({
    name: 'golden customer with a bad API key',
    service: 'mdm',
    method: 'GET',
    path: '/golden-customers/x',
    credentials: 'none',
    headers: { 'x-api-key': 'px3_not-a-key' },
  });
  return inputs;
}

export function httpFuzzInputs(): HttpFuzzInput[] {
  return [...x3WebhookInputs(), ...backfillInputs(), ...orderConfirmationInputs(), ...mdmInputs()];
}

// --- Kafka ------------------------------------------------------------------------------------------

/** One bad Kafka record; `token` is in its key (and its payload when it has one), to find its dead letter or output. */
export type KafkaFuzzInput =
  | {
      readonly name: string;
      readonly token: string;
      readonly kind: 'raw';
      readonly topic: TopicDefinition<unknown>;
      readonly value: Buffer;
    }
  | {
      readonly name: string;
      readonly token: string;
      readonly kind: 'event';
      readonly topic: TopicDefinition<SourceRecordChanged>;
      readonly value: SourceRecordChanged;
    };

const SAMPLES = join(findRepositoryRoot(), 'config', 'mappings', 'samples');
const sample = (template: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(SAMPLES, `${template}.sample.json`), 'utf8')) as Record<string, unknown>;

const CUSTOMER_SOURCES: readonly {
  topic: TopicDefinition<SourceRecordChanged>;
  system: SourceRecordChanged['system'];
  entity: string;
  template: string;
  /** The field the template reads the source id from. */
  idField: string;
  omit?: string;
}[] = [
  {
    topic: TOPICS.x3CustomerChangedV1,
    system: 'X3',
    entity: 'BPCUSTOMER',
    template: 'x3-customer-to-canonical',
    idField: 'BPCNUM',
    omit: 'BPAADDLIG',
  },
  {
    topic: TOPICS.salesforceLeadChangedV1,
    system: 'SALESFORCE',
    entity: 'Lead',
    template: 'salesforce-lead-to-canonical',
    idField: 'Id',
  },
  {
    topic: TOPICS.salesforceContactChangedV1,
    system: 'SALESFORCE',
    entity: 'Contact',
    template: 'salesforce-contact-to-canonical',
    idField: 'Id',
  },
  {
    topic: TOPICS.salesforceAccountChangedV1,
    system: 'SALESFORCE',
    entity: 'Account',
    template: 'salesforce-account-to-canonical',
    idField: 'Id',
  },
  {
    topic: TOPICS.pardotProspectChangedV1,
    system: 'PARDOT',
    entity: 'Prospect',
    template: 'pardot-prospect-to-canonical',
    idField: 'id',
  },
];

/** The topics the transformer and mdm read: where raw bad bytes go. */
const CONSUMED_TOPICS: readonly TopicDefinition<unknown>[] = [
  TOPICS.x3CustomerChangedV1,
  TOPICS.salesforceLeadChangedV1,
  TOPICS.salesforceContactChangedV1,
  TOPICS.salesforceAccountChangedV1,
  TOPICS.pardotProspectChangedV1,
  TOPICS.salesforceOpportunityChangedV1,
  TOPICS.x3SalesOrderChangedV1,
  TOPICS.x3DeliveryChangedV1,
  TOPICS.x3InvoiceChangedV1,
  TOPICS.x3StockChangedV1,
  TOPICS.pardotVisitorActivityRecordedV1,
  TOPICS.customerObservationRecordedV1,
] as TopicDefinition<unknown>[];

export function kafkaFuzzInputs(): KafkaFuzzInput[] {
  const inputs: KafkaFuzzInput[] = [];
  let n = 0;
  const token = (): string => `FZ${String(++n).padStart(4, '0')}Z`;
  // bytes that are not an event: no magic byte, an unknown schema id, a truncated Avro body, JSON
  for (const topic of CONSUMED_TOPICS) {
    const variants: [string, (t: string) => Buffer][] = [
      ['plain text', (t) => Buffer.from(`not avro ${t}`)],
      ['unknown schema id', (t) => Buffer.concat([Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0]), Buffer.from(t)])],
      ['magic byte only', () => Buffer.from([0])],
      ['JSON instead of Avro', (t) => Buffer.from(JSON.stringify({ recordId: t, fields: {} }))],
    ];
    for (const [name, make] of variants) {
      const t = token();
      inputs.push({ name: `${topic.name}: ${name}`, token: t, kind: 'raw', topic, value: make(t) });
    }
  }
  // well-formed source events whose content cannot become a customer observation or cannot be stored
  for (const source of CUSTOMER_SOURCES) {
    const { [source.omit ?? '']: _omitted, ...record } = sample(source.template);
    const fields = flattenSourceFields(record);
    const event = (t: string, overrides: Partial<SourceRecordChanged>): SourceRecordChanged => ({
      system: source.system,
      sourceInstance: null,
      entity: source.entity,
      recordId: t,
      changeType: 'UPDATED',
      changedAt: new Date('2026-11-20T14:05:12Z'),
      via: 'POLL',
      changedFields: [],
      fields,
      lines: [],
      origin: null,
      ...overrides,
    });
    const variants: [string, (t: string) => Partial<SourceRecordChanged>][] = [
      ['no fields at all', () => ({ fields: {} })],
      ['every field null', () => ({ fields: Object.fromEntries(Object.keys(fields).map((k) => [k, null])) })],
      [
        'every field a NUL byte',
        () => ({ fields: Object.fromEntries(Object.keys(fields).map((k) => [k, '\u0000'])) }),
      ],
      ['a __proto__ field path', (t) => ({ fields: { ...fields, [`__proto__.${t}`]: 'x' } })],
      [
        'a constructor.prototype field path',
        (t) => ({ fields: { ...fields, [`constructor.prototype.${t}`]: 'x' } }),
      ],
      [
        'every field a 20 KB text',
        () => ({ fields: Object.fromEntries(Object.keys(fields).map((k) => [k, 'x'.repeat(20_000)])) }),
      ],
      [
        'every field a number',
        () => ({ fields: Object.fromEntries(Object.keys(fields).map((k) => [k, 1e308])) }),
      ],
      [
        'a record id with a NUL byte',
        (t) => ({ recordId: `${t}\u0000`, fields: { ...fields, [source.idField]: `${t}\u0000` } }),
      ],
      [
        'a record id of 10 KB',
        (t) => ({ recordId: t, fields: { ...fields, [source.idField]: `${t}${'9'.repeat(10_000)}` } }),
      ],
    ];
    for (const [name, make] of variants) {
      const t = token();
      const value = event(t, make(t));
      // the token rides in a field too, so an empty record id can still be found
      inputs.push({
        name: `${source.topic.name}: ${name}`,
        token: t,
        kind: 'event',
        topic: source.topic,
        value: { ...value, fields: { ...value.fields, FuzzToken: t } },
      });
    }
  }
  return inputs;
}

/** Topics where an input the pipeline accepted shows up (with its token in the payload). */
export const OUTPUT_TOPICS: readonly TopicDefinition<unknown>[] = [
  TOPICS.customerObservationRecordedV1,
  TOPICS.customerGoldenRecordMasteredV1,
  TOPICS.x3CustomerChangedV1,
] as TopicDefinition<unknown>[];
