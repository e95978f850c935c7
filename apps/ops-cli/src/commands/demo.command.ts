import { setTimeout as sleep } from 'node:timers/promises';
import { TOPIC_CATALOG } from '@pardot-x3/canonical';
import { LocalStack } from '@pardot-x3/local-stack';
import {
  PIPELINE_SERVICES,
  SANDBOX_ADMIN_TOKEN,
  localOperatorKey,
  SANDBOX_X3,
  sandboxEnvironment,
  sandboxUrl,
  serviceUrl,
  type LocalOperatorKey,
  type PipelineLayout,
} from '@pardot-x3/local-pipeline';
import { Command } from 'commander';
import kafkajs from 'kafkajs';
import pg from 'pg';
import { forgetLaunch, probeApp, stopApp } from '../processes/app-process.supervisor.js';
import { withMessaging } from './messaging-cli.util.js';
import { sandboxProcesses, startSandboxes } from './sandboxes.command.js';
import { lastServiceLaunch, localLayout, serviceProcesses, startServices } from './services.command.js';

const log = (line: string): void => console.error(`[demo] ${line}`);

/**
 * The demo's own topic namespace and database on the local stack: every `./pardot-x3 demo` starts them
 * afresh, like the sandboxes it starts, so a run never meets the state of an earlier one.
 */
const DEMO_NAMESPACE = 'demo.';
const DEMO_DATABASE = 'pardot_x3_demo';

/** The seeded X3 customer the demo changes (the first of the world every sandbox shares). */
const DEMO_CUSTOMER = 'C00001';
/** A new address on every run, so the change is news to the pipeline even when its database persisted. */
function demoAddress(now = new Date()): { ADDLIG1: string; CTY: string; POSCOD: string } {
  const cities = [
    { CTY: 'Lyon', POSCOD: '69002' },
    { CTY: 'Nantes', POSCOD: '44000' },
    { CTY: 'Lille', POSCOD: '59000' },
    { CTY: 'Bordeaux', POSCOD: '33000' },
  ] as const;
  const city = cities[now.getMinutes() % cities.length] ?? cities[0];
  return { ADDLIG1: `${now.getSeconds() + 1} rue de la Démo`, ...city };
}
const FLOW_TIMEOUT_MS = 120_000;

interface LedgerEntry {
  readonly seq: number;
  readonly at: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly requestBody?: unknown;
}

export function demoCommand(): Command {
  const demo = new Command('demo')
    .description(
      'the whole pipeline on local defaults: the stack (Kafka, registry, PostgreSQL), topics and schemas, the three ' +
        'sandboxes, the six services, then one X3 customer change followed to its golden record and its Pardot prospect',
    )
    .option('--no-build', 'start what the dist folders hold, without building')
    .action(async (options: { build: boolean }) => {
      await runDemo(options);
    });

  demo
    .command('down')
    .description(
      'stop the services, the sandboxes and the stack (data stays in .stack/); a later `services up` starts the services on the local defaults again',
    )
    .action(async () => {
      await stopDemoProcesses();
      // Until `demo down`, `services up <name>` restarts a service in the demo's namespace and database.
      for (const p of serviceProcesses())
        if (lastServiceLaunch(p)?.infrastructure.PX3_TOPIC_NAMESPACE === DEMO_NAMESPACE) forgetLaunch(p);
      for (const [name, outcome] of Object.entries(await new LocalStack().down())) log(`${name}: ${outcome}`);
    });

  demo
    .command('status')
    .description('what the demo runs, and where')
    .action(async () => {
      const stack = new LocalStack();
      console.table(stack.status().map((s) => ({ part: s.name, state: s.state, address: s.address })));
      const apps = await Promise.all([...sandboxProcesses(), ...serviceProcesses()].map(probeApp));
      console.table(apps.map((a) => ({ process: a.name, state: a.state, url: a.url, log: a.log })));
    });

  return demo;
}

async function runDemo(options: { build: boolean }): Promise<void> {
  const t0 = Date.now();
  const step = async <T>(title: string, body: () => Promise<T>): Promise<T> => {
    const start = Date.now();
    log(`${title} ...`);
    const result = await body();
    log(`${title}: done in ${((Date.now() - start) / 1000).toFixed(1)} s`);
    return result;
  };

  const stack = new LocalStack();
  const layout = localLayout();
  const operatorKey = localOperatorKey(stack.config.homeDir);
  await stopDemoProcesses();
  const infrastructure = await step('1/5 local stack (Kafka, schema registry, PostgreSQL)', async () => {
    const env = await stack.up(log);
    return {
      ...env,
      DATABASE_URL: await recreateDatabase(env.DATABASE_URL, DEMO_DATABASE),
      PX3_TOPIC_NAMESPACE: DEMO_NAMESPACE,
    };
  });
  await step(
    `2/5 topics and schemas from schemas/catalog.yaml (namespace "${DEMO_NAMESPACE}", recreated)`,
    async () => {
      await deleteNamespaceTopics(infrastructure.KAFKA_BROKERS, DEMO_NAMESPACE);
      process.env['PX3_TOPIC_NAMESPACE'] = DEMO_NAMESPACE;
      await withMessaging('demo', async (messaging) => {
        await messaging.provision(TOPIC_CATALOG);
      });
    },
  );
  const sandboxEnv = {
    ...process.env,
    ...sandboxEnvironment('salesforce', layout),
    ...sandboxEnvironment('pardot', layout),
    ...sandboxEnvironment('x3', layout),
  };
  await step('3/5 sandboxes (Salesforce, Pardot, Sage X3), seeded with one shared world', () =>
    startSandboxes(sandboxProcesses(), sandboxEnv, { build: options.build }),
  );
  await step(`4/5 the six services (${PIPELINE_SERVICES.join(', ')})`, () =>
    startServices(serviceProcesses(), { build: options.build, quickPolling: true, infrastructure }),
  );
  const outcome = await step(
    `5/5 an X3 address change of customer ${DEMO_CUSTOMER}, followed through the pipeline`,
    () => followDemoRecord(layout, operatorKey.key),
  );
  printWhereToLook(layout, outcome, (Date.now() - t0) / 1000, operatorKey);
}

interface DemoOutcome {
  readonly email: string;
  readonly address: { ADDLIG1: string; CTY: string; POSCOD: string };
  readonly goldenId: string;
  readonly secondsToGolden: number;
  readonly secondsToPardot: number;
  readonly pardotWrite: LedgerEntry;
}

async function followDemoRecord(layout: PipelineLayout, apiKey: string): Promise<DemoOutcome> {
  const x3 = sandboxUrl(layout, 'x3');
  const auth = `Basic ${Buffer.from(`${SANDBOX_X3.erpUser.name}:${SANDBOX_X3.erpUser.password}`).toString('base64')}`;
  const customerUrl = `${x3}/api1/x3/erp/${SANDBOX_X3.folder}/BPCUSTOMER('${DEMO_CUSTOMER}')`;
  const customer = await json<Record<string, unknown>>(
    await fetch(`${customerUrl}?representation=BPCUSTOMER.$details`, { headers: { authorization: auth } }),
  );
  const email = String(customer['WEB'] ?? '');
  const pardotBefore = await ledger(sandboxUrl(layout, 'pardot'));
  const since = pardotBefore.at(-1)?.seq ?? 0;

  const address = demoAddress();
  const changedAt = Date.now();
  const response = await fetch(`${customerUrl}?representation=BPCUSTOMER.$edit`, {
    method: 'PUT',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify(address),
  });
  if (!response.ok)
    throw new Error(`X3 refused the demo change: HTTP ${response.status} ${await response.text()}`);
  log(
    `changed ${DEMO_CUSTOMER} (${maskEmail(email)}) in X3: ${address.ADDLIG1}, ${address.POSCOD} ${address.CTY}`,
  );

  const mdm = serviceUrl(layout, 'mdm');
  const golden = await until('mdm to master the change into the golden record', async () => {
    const res = await fetch(`${mdm}/golden-customers/by-source/X3/BPCUSTOMER/${DEMO_CUSTOMER}`, {
      redirect: 'follow',
      headers: { 'x-api-key': apiKey },
    });
    if (!res.ok) return undefined;
    const view = (await res.json()) as {
      goldenId?: string;
      fields?: { address?: { city?: string | null; line1?: string | null } | null };
    };
    const now = view.fields?.address;
    return now?.city === address.CTY && now.line1 === address.ADDLIG1 ? view : undefined;
  });
  const secondsToGolden = (Date.now() - changedAt) / 1000;
  log(`golden record ${golden.goldenId} has the new address after ${secondsToGolden.toFixed(1)} s`);

  const pardotWrite = await until('pardot-writer to write the prospect', async () =>
    (await ledger(sandboxUrl(layout, 'pardot'), since)).find(
      (e) => e.method !== 'GET' && JSON.stringify(e.requestBody ?? '').includes(address.ADDLIG1),
    ),
  );
  const secondsToPardot = (Date.now() - changedAt) / 1000;
  log(
    `Pardot received ${pardotWrite.method} ${pardotWrite.path} (HTTP ${pardotWrite.status}) after ${secondsToPardot.toFixed(1)} s`,
  );
  return { email, address, goldenId: String(golden.goldenId), secondsToGolden, secondsToPardot, pardotWrite };
}

function printWhereToLook(
  layout: PipelineLayout,
  outcome: DemoOutcome,
  totalSeconds: number,
  operatorKey: LocalOperatorKey,
): void {
  const admin = `-H 'X-Admin-Token: ${SANDBOX_ADMIN_TOKEN}'`;
  const apiKey = `-H 'X-API-Key: ${operatorKey.key}'`;
  const lines = [
    '',
    `pardot-x3 is running (${totalSeconds.toFixed(0)} s to start everything and follow one change).`,
    '',
    `The demo change: X3 customer ${DEMO_CUSTOMER} (${maskEmail(outcome.email)}) moved to ${outcome.address.ADDLIG1}, ${outcome.address.CTY}.`,
    `  golden record in mdm after ${outcome.secondsToGolden.toFixed(1)} s, Pardot prospect written after ${outcome.secondsToPardot.toFixed(1)} s`,
    `  (${outcome.pardotWrite.method} ${outcome.pardotWrite.path} → HTTP ${outcome.pardotWrite.status}).`,
    '',
    'Where to look:',
    `  golden record        curl ${apiKey} ${serviceUrl(layout, 'mdm')}/golden-customers/${outcome.goldenId}`,
    `  why each value       curl ${apiKey} ${serviceUrl(layout, 'mdm')}/golden-customers/${outcome.goldenId}/explanation`,
    `  your API key         ${operatorKey.file}   (role operator; without it every route but health and metrics answers 401: docs/security.md)`,
    `  Pardot writes        curl ${admin} ${sandboxUrl(layout, 'pardot')}/__admin/ledger`,
    `  Salesforce writes    curl ${admin} ${sandboxUrl(layout, 'salesforce')}/__admin/ledger`,
    `  X3 writes            curl ${admin} ${sandboxUrl(layout, 'x3')}/__admin/ledger`,
    `  metrics              curl ${serviceUrl(layout, 'pardot-writer')}/metrics   (every service: ports ${layout.servicePorts['salesforce-ingest']}–${layout.servicePorts['x3-order-writer']})`,
    `  health               curl ${serviceUrl(layout, 'transformer')}/health/ready`,
    '  service logs         ./pardot-x3 services logs [service]   (JSON lines; .stack/services/*.log)',
    `  dead letters         PX3_TOPIC_NAMESPACE=${DEMO_NAMESPACE} ./pardot-x3 dlq list`,
    '  a mapping            ./pardot-x3 mapping preview golden-to-pardot-prospect --sample config/mappings/samples/golden-to-pardot-prospect.sample.json',
    '',
    'Change more in X3 (as a person working in X3) and watch it flow:',
    `  curl -u ${SANDBOX_X3.erpUser.name}:${SANDBOX_X3.erpUser.password} -X PUT -H 'content-type: application/json' \\`,
    `    "${sandboxUrl(layout, 'x3')}/api1/x3/erp/${SANDBOX_X3.folder}/BPCUSTOMER('C00002')?representation=BPCUSTOMER.\\$edit" -d '{"CTY":"Paris"}'`,
    '',
    'Stop everything: ./pardot-x3 demo down',
  ];
  console.log(lines.join('\n'));
}

/** Stops the demo's services, then its sandboxes (each gracefully; reports what was running). */
async function stopDemoProcesses(): Promise<void> {
  for (const p of [...serviceProcesses(), ...sandboxProcesses()]) {
    const outcome = await stopApp(p);
    if (outcome !== 'not-running') log(`${p.name}: ${outcome}`);
  }
}

/** Drops and creates a database next to the one of `url`; returns its URL. */
export async function recreateDatabase(url: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const demo = new URL(url);
  demo.pathname = `/${name}`;
  return demo.toString();
}

/** Deletes every topic of a namespace (the demo's own), so its consumer groups start from nothing. */
async function deleteNamespaceTopics(brokers: string, namespace: string): Promise<void> {
  const kafka = new kafkajs.Kafka({
    clientId: 'pardot-x3-demo',
    brokers: brokers.split(','),
    logLevel: kafkajs.logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(namespace));
    if (topics.length > 0) {
      await admin.deleteTopics({ topics, timeout: 30_000 });
      await until('Kafka to finish deleting the previous demo topics', async () =>
        (await admin.listTopics()).some((t) => t.startsWith(namespace)) ? undefined : true,
      );
      const groups = (await admin.listGroups()).groups
        .map((g) => g.groupId)
        .filter((g) => g.startsWith(namespace));
      if (groups.length > 0) await admin.deleteGroups(groups);
    }
  } finally {
    await admin.disconnect();
  }
}

async function ledger(baseUrl: string, since = 0): Promise<LedgerEntry[]> {
  const res = await fetch(`${baseUrl}/__admin/ledger?since=${since}&limit=1000`, {
    headers: { 'x-admin-token': SANDBOX_ADMIN_TOKEN },
  });
  return (await json<{ entries: LedgerEntry[] }>(res)).entries;
}

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`${res.url}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + FLOW_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(250);
  }
  throw new Error(
    `Timed out after ${FLOW_TIMEOUT_MS / 1000} s waiting for ${what}` +
      (lastError instanceof Error ? ` (last error: ${lastError.message})` : '') +
      '. See ./pardot-x3 services logs and ./pardot-x3 dlq list.',
  );
}

function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return domain ? `${local.slice(0, 2)}***@${domain}` : '***';
}
