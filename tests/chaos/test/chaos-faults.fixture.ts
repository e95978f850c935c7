import { setTimeout as sleep } from 'node:timers/promises';
import type { SandboxSystem } from '@pardot-x3/flow-testing';
import type { ChaosProcess, ChaosWorld } from './chaos-world.fixture.js';

/**
 * The faults of a phase, each switchable: SIGKILL of random service processes (restarted a moment
 * later), `kill -9` of the broker, PostgreSQL stopped and started, the registry restarted, and the
 * sandboxes' fault rules (apis.md's real error shapes: Pardot 5xx with code 183 and without a body,
 * Salesforce 503 SERVER_UNAVAILABLE, X3 500; rate-limit bursts — Pardot 66, Salesforce 403
 * REQUEST_LIMIT_EXCEEDED, X3 "No Web services accepted"; 2 s latency spikes; dropped connections).
 */

export const SCENARIOS = [
  'service-kills',
  'broker-kill',
  'postgres-restart',
  'registry-restart',
  'sandbox-faults',
  'lost-answers',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface FaultSettings {
  readonly killIntervalMs: number;
  readonly brokerDownMs: number;
  readonly postgresDownMs: number;
  /** How often a rate-limit burst or a latency spike starts, and how long it lasts. */
  readonly burstEveryMs: number;
  readonly burstMs: number;
}

export interface FaultLog {
  kills: number;
  readonly events: string[];
}

/** Routes of each sandbox's API (never the admin API, which the kit keeps out of faults anyway). */
const API_ROUTES: Record<SandboxSystem, string> = {
  pardot: '/api/v5/*',
  salesforce: '/services/data/*',
  x3: '/api1/*',
};

/** The steady faults: about 10 % 5xx (with and without a vendor code) and 3 % dropped connections. */
function steadyRules(system: SandboxSystem): unknown[] {
  const route = API_ROUTES[system];
  switch (system) {
    case 'pardot':
      return [
        // v5 {"code":183,"message":"An internal error occurred, please try your request again"}
        { id: 'chaos-5xx-code', route, errorRate: 0.05, status: 500 },
        // a gateway error without a Pardot body (apis.md §2.7, last row)
        { id: 'chaos-5xx-bare', route, errorRate: 0.05, status: 502, body: null },
        { id: 'chaos-drop', route, errorRate: 0.03, dropConnection: true },
      ];
    case 'salesforce':
      // 503 [{"errorCode":"SERVER_UNAVAILABLE",...}] in the sandbox's Salesforce dialect
      return [
        { id: 'chaos-5xx-code', route, errorRate: 0.1, status: 503 },
        { id: 'chaos-drop', route, errorRate: 0.03, dropConnection: true },
      ];
    case 'x3':
      // 500 with $diagnoses
      return [
        { id: 'chaos-5xx-code', route, errorRate: 0.1, status: 500 },
        { id: 'chaos-drop', route, errorRate: 0.03, dropConnection: true },
      ];
  }
}

/** A burst: every call refused by the system's own limit (or, alternately, 2 s slower). */
function burstRule(system: SandboxSystem, kind: 'limit' | 'latency'): unknown {
  const route = API_ROUTES[system];
  if (kind === 'latency') return { id: 'chaos-burst', route, latencyMs: 2_000 };
  // Pardot 66, Salesforce 403 REQUEST_LIMIT_EXCEEDED, X3 500 "No Web services accepted"
  return { id: 'chaos-burst', route, limit: system === 'salesforce' ? 'daily' : 'concurrency' };
}

const SYSTEMS: readonly SandboxSystem[] = ['pardot', 'salesforce', 'x3'];

/**
 * Writes whose answer is lost after they were applied. Only routes the load never uses (the people
 * would re-send too): Pardot writes, Salesforce sObject Collections. X3 is left out: the load creates
 * customers and orders through the same routes as x3-order-writer.
 */
const LOST_ANSWER_RATE = Number(process.env['PX3_CHAOS_LOST_ANSWER_RATE'] ?? '0.02');
const LOST_ANSWER_RULES: Partial<Record<SandboxSystem, unknown[]>> = {
  pardot: [
    {
      id: 'chaos-lost-answer-post',
      route: 'POST /api/v5/*',
      errorRate: LOST_ANSWER_RATE,
      dropResponse: true,
    },
    {
      id: 'chaos-lost-answer-patch',
      route: 'PATCH /api/v5/*',
      errorRate: LOST_ANSWER_RATE,
      dropResponse: true,
    },
  ],
  salesforce: [
    {
      id: 'chaos-lost-answer',
      route: '/services/data/*/composite/sobjects*',
      errorRate: 0.02,
      dropResponse: true,
    },
  ],
};

/** Runs the phase's faults until `durationMs` has passed, then lifts them and brings every process back. */
export async function runFaults(
  world: ChaosWorld,
  scenarios: readonly Scenario[],
  settings: FaultSettings,
  durationMs: number,
  seed: number,
  log: (line: string) => void,
): Promise<FaultLog> {
  const faultLog: FaultLog = { kills: 0, events: [] };
  const started = Date.now();
  const end = started + durationMs;
  const note = (event: string): void => {
    const line = `+${((Date.now() - started) / 1000).toFixed(1)} s ${event}`;
    faultLog.events.push(line);
    log(line);
  };
  let state = seed >>> 0;
  const next = (): number => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  const restarts: Promise<void>[] = [];

  const serviceKills = async (): Promise<void> => {
    for (let i = 0; i < 10_000 && Date.now() + settings.killIntervalMs < end; i += 1) {
      await sleep(settings.killIntervalMs);
      const candidates = world.processes.filter((p) => p.running);
      const victim: ChaosProcess | undefined = candidates[Math.floor(next() * candidates.length)];
      if (!victim) continue;
      await victim.kill();
      faultLog.kills += 1;
      note(`SIGKILL ${victim.name} (pid ${victim.process.pid ?? '?'})`);
      restarts.push(
        (async () => {
          await sleep(500 + Math.floor(next() * 1_500));
          await victim
            .restart()
            .catch((error: unknown) => note(`${victim.name} restart failed: ${String(error)}`));
        })(),
      );
    }
  };

  const at = async (share: number, action: () => Promise<void>): Promise<void> => {
    await sleep(Math.max(0, started + durationMs * share - Date.now()));
    await action();
  };

  const brokerKill = (): Promise<void> =>
    at(0.3, async () => {
      note('kill -9 of the Kafka broker');
      await world.stopInfrastructure('kafka', true);
      await sleep(settings.brokerDownMs);
      await world.startInfrastructure('kafka');
      note(`Kafka broker back after ${settings.brokerDownMs / 1000} s down`);
    });

  const postgresRestart = (): Promise<void> =>
    at(0.55, async () => {
      note('PostgreSQL stopped');
      await world.stopInfrastructure('postgres', false);
      await sleep(settings.postgresDownMs);
      await world.startInfrastructure('postgres');
      note(`PostgreSQL back after ${settings.postgresDownMs / 1000} s down`);
    });

  const registryRestart = (): Promise<void> =>
    at(0.75, async () => {
      note('schema registry restarting');
      await world.stopInfrastructure('schema-registry', false);
      await world.startInfrastructure('schema-registry');
      note('schema registry back');
    });

  const sandboxFaults = async (): Promise<void> => {
    for (const system of SYSTEMS) await world.sandbox(system).admin('POST', '/faults', steadyRules(system));
    note('sandbox faults on: ~10 % 5xx, 3 % dropped connections');
    for (let i = 0; i < 10_000 && Date.now() + settings.burstEveryMs < end; i += 1) {
      await sleep(settings.burstEveryMs);
      const kind = i % 2 === 0 ? 'limit' : 'latency';
      for (const system of SYSTEMS)
        await world.sandbox(system).admin('POST', '/faults', burstRule(system, kind));
      note(
        kind === 'limit'
          ? 'rate-limit burst (Pardot 66, Salesforce REQUEST_LIMIT_EXCEEDED, X3 refusals)'
          : '2 s latency spike',
      );
      await sleep(settings.burstMs);
      for (const system of SYSTEMS)
        await world
          .sandbox(system)
          .admin('DELETE', '/faults/chaos-burst')
          .catch(() => undefined);
    }
  };

  const lostAnswers = async (): Promise<void> => {
    for (const [system, rules] of Object.entries(LOST_ANSWER_RULES))
      await world.sandbox(system as SandboxSystem).admin('POST', '/faults', rules);
    note(
      `lost answers on: ${LOST_ANSWER_RATE * 100} % of Pardot and Salesforce writes applied, then the connection cut`,
    );
  };

  const runners: Record<Scenario, () => Promise<void>> = {
    'service-kills': serviceKills,
    'broker-kill': brokerKill,
    'postgres-restart': postgresRestart,
    'registry-restart': registryRestart,
    'sandbox-faults': sandboxFaults,
    'lost-answers': lostAnswers,
  };
  try {
    await Promise.all(scenarios.map((s) => runners[s]()));
    await sleep(Math.max(0, end - Date.now()));
  } finally {
    if (scenarios.includes('sandbox-faults') || scenarios.includes('lost-answers')) {
      for (const system of SYSTEMS)
        await world
          .sandbox(system)
          .admin('DELETE', '/faults')
          .catch(() => undefined);
      note('sandbox faults off');
    }
    await Promise.allSettled(restarts);
    // Every process runs again before convergence is measured (a restart may have failed while the
    // broker or the database was down).
    for (const p of world.processes.filter((p) => !p.running)) {
      await p.start().catch((error: unknown) => note(`${p.name} did not come back: ${String(error)}`));
    }
  }
  return faultLog;
}
