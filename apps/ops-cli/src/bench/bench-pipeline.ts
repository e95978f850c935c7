import { SANDBOX_X3, sandboxUrl, type PipelineLayout } from '@pardot-x3/local-pipeline';
import kafkajs from 'kafkajs';
import { startApp, stopApp, type AppProcess } from '../processes/app-process.supervisor.js';

/**
 * What the benches that start a pipeline of their own share (`bench e2e`, `bench memory`): starting
 * its processes, cleaning up its namespace on the broker, and the X3 record their changes are made from.
 */

/** A loaded 2-core machine can take more than the supervisor's usual minute to boot six NestJS services. */
export const BENCH_READY_TIMEOUT_MS = 300_000;

/**
 * Starts every process at once and waits until each is ready; a service that exits during start (on a
 * busy broker it can give up on a metadata request while it boots) is started again, up to 4 times.
 * Throws with every failure's message once all have settled.
 */
export async function startBenchProcesses(
  processes: readonly AppProcess[],
  envOf: (p: AppProcess) => NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<void> {
  const results = await Promise.allSettled(
    processes.map(async (p) => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await startApp(p, envOf(p), log, undefined, BENCH_READY_TIMEOUT_MS);
        } catch (error) {
          if (attempt >= 4 || !/exited during start/.test((error as Error).message)) throw error;
          log(`${p.name} exited during start (attempt ${attempt}); starting it again`);
          await stopApp(p);
        }
      }
    }),
  );
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
  if (failures.length > 0) throw new Error(failures.join('\n\n'));
}

/**
 * Asks Kafka to delete every topic and consumer group whose name starts with `prefix` (a bench's
 * namespaces, never another's); does not wait for the deletion.
 */
export async function deleteNamespaceTopics(
  brokers: string,
  prefix: string,
  clientId: string,
): Promise<void> {
  const kafka = new kafkajs.Kafka({
    clientId,
    brokers: brokers.split(','),
    logLevel: kafkajs.logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 60_000 });
    const groups = (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((g) => g.startsWith(prefix));
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}

/** One customer of the X3 sandbox as its `$details` representation shows it (the shape X3 notifies). */
export async function x3CustomerTemplate(layout: PipelineLayout): Promise<Record<string, unknown>> {
  const x3 = `${sandboxUrl(layout, 'x3')}/api1/x3/erp/${SANDBOX_X3.folder}`;
  const user = SANDBOX_X3.erpUser;
  const res = await fetch(`${x3}/BPCUSTOMER('C00001')?representation=BPCUSTOMER.$details`, {
    headers: { authorization: `Basic ${Buffer.from(`${user.name}:${user.password}`).toString('base64')}` },
  });
  if (!res.ok) throw new Error(`the X3 sandbox did not return customer C00001: HTTP ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}
