import { DeadLetterSchema } from '@pardot-x3/canonical';
import type { LedgerEntry, SandboxSystem } from '@pardot-x3/flow-testing';
import avro from 'avsc';
import kafkajs from 'kafkajs';
import type { LoadResult } from './chaos-load.fixture.js';
import type { ChaosSystems } from './chaos-systems.fixture.js';
import { LOAD_CREDENTIALS, LOAD_SALESFORCE_CLIENT, type ChaosWorld } from './chaos-world.fixture.js';

/**
 * What the suite checks, from the sandboxes' state and ledgers and the dead-letter topics only —
 * never from the pipeline's own view (golden records, metrics, inboxes).
 */

export interface Problem {
  readonly kind: 'stale' | 'missing' | 'duplicated';
  readonly what: string;
}

export interface CheckResult {
  readonly entities: number;
  readonly stale: number;
  readonly missing: number;
  readonly duplicated: number;
  readonly problems: readonly Problem[];
}

interface Prospect {
  readonly email: string;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly city: string | null;
  readonly Customer_Group__c: string | null;
  readonly ERP_Customer_Code__c: string | null;
}

function count(problems: readonly Problem[], entities: number): CheckResult {
  return {
    entities,
    stale: problems.filter((p) => p.kind === 'stale').length,
    missing: problems.filter((p) => p.kind === 'missing').length,
    duplicated: problems.filter((p) => p.kind === 'duplicated').length,
    problems,
  };
}

/** Every changed entity of a phase, with its newest value in every target, each effect once. */
export async function checkTargets(systems: ChaosSystems, load: LoadResult): Promise<CheckResult> {
  const problems: Problem[] = [];
  let entities = 0;
  const prospects = (await systems.pardotList('objects/prospects', [
    'id',
    'email',
    'firstName',
    'lastName',
    'city',
    'Customer_Group__c',
    'ERP_Customer_Code__c',
  ])) as unknown as Prospect[];
  const byEmail = new Map<string, Prospect[]>();
  for (const p of prospects) {
    const key = String(p.email).toLowerCase();
    byEmail.set(key, [...(byEmail.get(key) ?? []), p]);
  }
  const one = (email: string, what: string): Prospect | undefined => {
    const found = byEmail.get(email.toLowerCase()) ?? [];
    if (found.length === 0) problems.push({ kind: 'missing', what: `${what}: no Pardot prospect` });
    if (found.length > 1)
      problems.push({ kind: 'duplicated', what: `${what}: ${found.length} Pardot prospects` });
    return found[0];
  };

  // X3 customers: their newest city and group on their one prospect.
  if (load.x3Customers.length > 0) {
    const codes = new Set(load.x3Customers.map((c) => c.code));
    const rows = (await systems.x3Query('BPCUSTOMER', 'BPCUSTOMER')).filter((r) =>
      codes.has(String(r['BPCNUM'])),
    );
    for (const row of rows) {
      entities += 1;
      const code = String(row['BPCNUM']);
      const prospect = one(String(row['WEB']), `X3 customer ${code}`);
      if (!prospect) continue;
      const expected = {
        city: row['CTY'],
        Customer_Group__c: row['BCGCOD'] ?? null,
        ERP_Customer_Code__c: code,
      };
      const actual = {
        city: prospect.city,
        Customer_Group__c: prospect.Customer_Group__c,
        ERP_Customer_Code__c: prospect.ERP_Customer_Code__c,
      };
      if (JSON.stringify(expected) !== JSON.stringify(actual))
        problems.push({
          kind: 'stale',
          what: `X3 customer ${code}: X3 ${JSON.stringify(expected)}, Pardot ${JSON.stringify(actual)}`,
        });
    }
  }

  // Salesforce Contacts: their newest names on their one prospect.
  if (load.contacts.length > 0) {
    const rows = await systems.soqlByIds<{ Id: string; FirstName: string; LastName: string; Email: string }>(
      'SELECT Id, FirstName, LastName, Email FROM Contact',
      load.contacts.map((c) => c.id),
    );
    for (const row of rows) {
      entities += 1;
      const prospect = one(row.Email, `Contact ${row.Id}`);
      if (prospect && (prospect.firstName !== row.FirstName || prospect.lastName !== row.LastName))
        problems.push({
          kind: 'stale',
          what: `Contact ${row.Id}: Salesforce ${row.FirstName} ${row.LastName}, Pardot ${prospect.firstName} ${prospect.lastName}`,
        });
    }
  }

  // Closed Won opportunities: exactly one X3 order each, its number on the Opportunity; one X3 customer per account.
  if (load.opportunities.length > 0) {
    const orders = await systems.x3Query('SORDER', 'SOH', "left(CUSORDREF,3) eq '006'");
    const byOpportunity = new Map<string, string[]>();
    for (const o of orders)
      byOpportunity.set(String(o['CUSORDREF']), [
        ...(byOpportunity.get(String(o['CUSORDREF'])) ?? []),
        String(o['SOHNUM']),
      ]);
    const rows = await systems.soqlByIds<{
      Id: string;
      X3_Order_Number__c: string | null;
      X3_Order_Status__c: string | null;
    }>('SELECT Id, X3_Order_Number__c, X3_Order_Status__c FROM Opportunity', load.opportunities);
    for (const row of rows) {
      entities += 1;
      const found = byOpportunity.get(row.Id) ?? [];
      if (found.length === 0)
        problems.push({
          kind: 'missing',
          what: `Opportunity ${row.Id}: no X3 order (${row.X3_Order_Status__c ?? 'no status'})`,
        });
      else if (found.length > 1)
        problems.push({ kind: 'duplicated', what: `Opportunity ${row.Id}: X3 orders ${found.join(', ')}` });
      else if (row.X3_Order_Number__c !== found[0])
        problems.push({
          kind: 'stale',
          what: `Opportunity ${row.Id}: X3 order ${found[0]}, Opportunity shows ${row.X3_Order_Number__c}`,
        });
    }
    const names = new Set(load.accounts.map((a) => a.name));
    const customers = (await systems.x3Query('BPCUSTOMER', 'BPCUSTOMER')).filter((c) =>
      names.has(String(c['BPCNAM'])),
    );
    const perName = new Map<string, number>();
    for (const c of customers) perName.set(String(c['BPCNAM']), (perName.get(String(c['BPCNAM'])) ?? 0) + 1);
    for (const [name, n] of perName)
      if (n > 1) problems.push({ kind: 'duplicated', what: `Account "${name}": ${n} X3 customers` });
  }

  // Validated deliveries: exactly one "X3 Order Shipped" and one "X3 Order Created" activity per order.
  if (load.shippedOrders.length > 0) {
    const activities = await systems.pardotList('external-activities', ['id', 'type', 'value', 'email']);
    for (const shipped of load.shippedOrders) {
      entities += 1;
      for (const type of ['X3_Order_Shipped', 'X3_Order_Created']) {
        const n = activities.filter((a) => a['type'] === type && a['value'] === shipped.order).length;
        if (n === 0)
          problems.push({ kind: 'missing', what: `X3 order ${shipped.order}: no ${type} activity` });
        if (n > 1)
          problems.push({ kind: 'duplicated', what: `X3 order ${shipped.order}: ${n} ${type} activities` });
      }
    }
  }
  return count(problems, entities);
}

/** Every product's Salesforce stock field equals X3's available stock now. */
export async function checkStock(systems: ChaosSystems): Promise<CheckResult> {
  const perItem = await systems.x3AvailablePerItem();
  const rows = await systems.soql<{ Id: string; X3_Item_Code__c: string; Stock_Available__c: number | null }>(
    'SELECT Id, X3_Item_Code__c, Stock_Available__c FROM Product2 WHERE X3_Item_Code__c != null',
  );
  const problems: Problem[] = [];
  for (const row of rows) {
    const expected = perItem.get(row.X3_Item_Code__c);
    if (expected !== undefined && row.Stock_Available__c !== expected)
      problems.push({
        kind: 'stale',
        what: `Product2 ${row.X3_Item_Code__c}: X3 ${expected}, Salesforce ${row.Stock_Available__c}`,
      });
  }
  return count(problems, rows.length);
}

/** One dead letter, as its envelope says. */
export interface DeadLetterSummary {
  readonly topic: string;
  readonly consumerGroup: string;
  readonly reason: string;
  readonly errorClass: string;
  readonly errorMessage: string;
  readonly attempts: number;
  readonly deadLetteredAt: number;
  readonly originTopic: string;
  readonly transient: boolean;
}

/**
 * Error classes and messages of failures that pass: the network, the broker (KafkaJS connection,
 * request timeout, not-leader, retries exceeded), the database going away, 5xx, Pardot 66/122/183,
 * Salesforce REQUEST_LIMIT_EXCEEDED / UNABLE_TO_LOCK_ROW / SERVER_UNAVAILABLE, X3 refusals and locks.
 * A dead letter matching one of them is a transient error that should have been retried.
 */
const TRANSIENT: readonly RegExp[] = [
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|socket hang up|other side closed|fetch failed|network|aborted|timed? ?out|timeout/i,
  /KafkaJS(Connection|RequestTimeout|NumberOfRetriesExceeded|Broker|ProtocolError)|Connection (error|closed|refused|terminated)|NOT_(LEADER|COORDINATOR)|LEADER_NOT_AVAILABLE|COORDINATOR_(NOT_AVAILABLE|LOAD_IN_PROGRESS)|REBALANCE_IN_PROGRESS|broker/i,
  /the database system is (starting up|shutting down)|terminating connection|Connection terminated|QueryFailedError.*(connect|terminat)|57P0[1-3]|admin_shutdown/i,
  /\b(HTTP|status)[ :]*5\d\d\b|\b50[0-4]\b|Service Unavailable|Internal Server Error|Bad Gateway/i,
  /\b(code|error|Pardot)\b[^0-9]{0,12}\b(66|122|183)\b|concurrent request limit|Daily API rate limit|internal error occurred/i,
  /REQUEST_LIMIT_EXCEEDED|UNABLE_TO_LOCK_ROW|SERVER_UNAVAILABLE|No Web services accepted|WSSIZELIMIT|Locked record|Change In Progress/i,
  /SchemaRegistryUnavailable|registry.*(unavailable|unreachable)/i,
];

export function isTransient(errorClass: string, errorMessage: string): boolean {
  const text = `${errorClass}: ${errorMessage}`;
  return TRANSIENT.some((re) => re.test(text));
}

/** Every record of every `*.dlq` topic of the namespace, decoded and classified. */
export async function scanDeadLetters(world: ChaosWorld): Promise<DeadLetterSummary[]> {
  const kafka = new kafkajs.Kafka({
    clientId: 'chaos-dlq-scan',
    brokers: world.stackEnv.KAFKA_BROKERS.split(','),
    logLevel: kafkajs.logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const type = avro.Type.forSchema(JSON.parse(DeadLetterSchema.json) as avro.Schema);
  const out: DeadLetterSummary[] = [];
  try {
    const topics = (await admin.listTopics()).filter(
      (t) => t.startsWith(world.namespace) && t.endsWith('.dlq'),
    );
    const withData: string[] = [];
    let expected = 0;
    for (const topic of topics) {
      const offsets = await admin.fetchTopicOffsets(topic);
      const n = offsets.reduce((sum, o) => sum + (Number(o.high) - Number(o.low)), 0);
      if (n > 0) {
        withData.push(topic);
        expected += n;
      }
    }
    if (expected === 0) return out;
    const consumer = kafka.consumer({ groupId: `${world.namespace}chaos-dlq-scan-${Date.now()}` });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: withData, fromBeginning: true });
      const deadline = Date.now() + 60_000;
      await consumer.run({
        eachMessage: async ({ topic, message }) => {
          if (!message.value || message.value.length < 5) return;
          const dl = type.fromBuffer(message.value.subarray(5)) as {
            consumerGroup: string;
            reason: string;
            errorClass: string;
            errorMessage: string;
            attempts: number;
            deadLetteredAt: Date;
            origin: { topic: string };
          };
          out.push({
            topic: topic.slice(world.namespace.length),
            consumerGroup: dl.consumerGroup,
            reason: dl.reason,
            errorClass: dl.errorClass,
            errorMessage: dl.errorMessage.slice(0, 500),
            attempts: dl.attempts,
            deadLetteredAt: new Date(dl.deadLetteredAt).getTime(),
            originTopic: dl.origin.topic,
            transient: isTransient(dl.errorClass, dl.errorMessage),
          });
        },
      });
      while (out.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    } finally {
      await consumer.disconnect();
    }
  } finally {
    await admin.disconnect();
  }
  return out;
}

/** Requests for effects a target received, and how many distinct effects succeeded. */
export interface Amplification {
  readonly requests: number;
  /** Requests answered with an error or dropped (by an injected fault or the system itself). */
  readonly failed: number;
  /** Requests an injected fault touched (latency included). */
  readonly faulted: number;
  readonly effects: number;
  readonly ratio: number;
}

/** Writes the pipeline sent (not the load's), by target. */
function pipelineWrite(system: SandboxSystem, entry: LedgerEntry): boolean {
  if (entry.method === 'GET' && !(system === 'pardot' && entry.path.includes('/do/'))) return false;
  if (system === 'salesforce') return entry.clientId !== LOAD_SALESFORCE_CLIENT;
  if (system === 'x3') return entry.clientId === LOAD_CREDENTIALS.x3IntegrationUser;
  return true;
}

/** Sequence number of each sandbox's ledger now, to measure a phase from. */
export async function ledgerMarks(world: ChaosWorld): Promise<Record<SandboxSystem, number>> {
  const marks = {} as Record<SandboxSystem, number>;
  for (const system of ['pardot', 'salesforce', 'x3'] as const) {
    const page = await world
      .sandbox(system)
      .admin<{ lastSeq: number }>('GET', '/ledger?limit=1&since=999999999');
    marks[system] = page.lastSeq;
  }
  return marks;
}

export async function amplification(
  world: ChaosWorld,
  since: Record<SandboxSystem, number>,
  until?: Record<SandboxSystem, number>,
): Promise<Record<SandboxSystem, Amplification>> {
  const out = {} as Record<SandboxSystem, Amplification>;
  for (const system of ['pardot', 'salesforce', 'x3'] as const) {
    const entries: LedgerEntry[] = [];
    let from = since[system];
    for (let page = 0; page < 10_000; page += 1) {
      const result = await world
        .sandbox(system)
        .admin<{ entries: LedgerEntry[] }>('GET', `/ledger?since=${from}&limit=1000`);
      entries.push(...result.entries);
      const last = result.entries.at(-1);
      if (!last || result.entries.length < 1000) break;
      from = last.seq;
    }
    const writes = entries.filter((e) => (until ? e.seq <= until[system] : true) && pipelineWrite(system, e));
    const effects = new Set(
      writes
        .filter((e) => e.status >= 200 && e.status < 300)
        .map((e) => `${e.method} ${e.path} ${JSON.stringify(e.requestBody ?? null)}`),
    );
    out[system] = {
      requests: writes.length,
      failed: writes.filter((e) => e.status < 200 || e.status >= 300).length,
      faulted: writes.filter((e) => (e as LedgerEntry & { fault?: unknown }).fault !== undefined).length,
      effects: effects.size,
      ratio: effects.size === 0 ? 1 : Math.round((writes.length / effects.size) * 100) / 100,
    };
  }
  return out;
}
