import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  amplification,
  checkStock,
  checkTargets,
  ledgerMarks,
  scanDeadLetters,
  type CheckResult,
  type DeadLetterSummary,
} from './chaos-checks.fixture.js';
import { runFaults } from './chaos-faults.fixture.js';
import { runLoad } from './chaos-load.fixture.js';
import { selectedProfile } from './chaos-profile.fixture.js';
import { summaryTable, writeReport, type ChaosReport, type PhaseReport } from './chaos-report.fixture.js';
import { ChaosSystems } from './chaos-systems.fixture.js';
import { ChaosWorld } from './chaos-world.fixture.js';

/**
 * `./pardot-x3 chaos`: the whole pipeline under load while its processes are killed, the broker,
 * PostgreSQL and the registry go away, and the SaaS stand-ins answer with errors, limits, latency and
 * dropped connections — then, once load and faults stop, every changed entity must reach its newest
 * value in every target, every effect must exist exactly once, and no transient error may sit in a
 * dead-letter topic. Checks read the sandboxes' state and ledgers and the dead-letter topics only.
 * Profile: PX3_CHAOS_PROFILE (short in CI; long by command), docs/chaos.md.
 */

const profile = selectedProfile();
const log = (line: string): void => {
  process.stderr.write(`[chaos] ${line}\n`);
};
const TAG = Date.now().toString(36).slice(-5);
let world: ChaosWorld | undefined;
let report: ChaosReport | undefined;

function commit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

const totalMs = profile.phases.reduce((sum, p) => sum + p.load.durationMs + profile.convergeTimeoutMs, 0);

describe(`chaos (${profile.name} profile): nothing lost, nothing twice, under kills, outages and SaaS faults`, () => {
  beforeAll(async () => {
    world = await ChaosWorld.start({
      label: 'chaos',
      basePort: 22000,
      stackPortOffset: 30,
      stackHome: '.stack-chaos',
      seedCounts: {
        companies: 6,
        contacts: 6,
        leads: 0,
        products: 20,
        sites: 2,
        opportunities: 0,
        visitorActivities: 0,
      },
      log,
    });
  }, 600_000);

  afterAll(async () => {
    await world?.stop();
  }, 120_000);

  it(
    'ends every changed entity at its newest value in every target, each effect once, no transient dead letter',
    async () => {
      if (!world) throw new Error('the chaos world did not start');
      const systems = new ChaosSystems(world);
      const startedAt = new Date();
      // Products people order: in stock at the shipping site, cheap enough for a new customer's credit.
      const stock = await systems.x3Query('ITMMVT', 'ITMMVT', "STOFCY eq 'FR011'");
      const prices = new Map(
        (await systems.x3Query('ITMMASTER', 'ITMMASTER')).map((r) => [
          String(r['ITMREF']),
          Number(r['BASPRI']),
        ]),
      );
      const codes = stock
        .filter((r) => Number(r['PHYSTO']) - Number(r['PHYALL']) - Number(r['GLOALL']) >= 40)
        .map((r) => String(r['ITMREF']))
        .filter((code) => (prices.get(code) ?? Infinity) < 1_000);
      const product2 = await systems.soql<{ Id: string; ProductCode: string }>(
        'SELECT Id, ProductCode FROM Product2 WHERE ProductCode != null',
      );
      const ids = new Map(product2.map((p) => [p.ProductCode, p.Id]));
      const products = codes.flatMap((c) => (ids.has(c) ? [[c, ids.get(c) ?? ''] as const] : [])).slice(0, 8);
      log(`${products.length} products to order: ${products.map(([c]) => c).join(', ')}`);

      let prospectEmails = new Set<string>();
      let prospectsReadAt = 0;
      const hasProspect = async (email: string): Promise<boolean> => {
        if (Date.now() - prospectsReadAt > 3_000) {
          prospectEmails = new Set(
            (await systems.pardotList('objects/prospects', ['id', 'email'])).map((p) =>
              String(p['email']).toLowerCase(),
            ),
          );
          prospectsReadAt = Date.now();
        }
        return prospectEmails.has(email.toLowerCase());
      };

      const phases: PhaseReport[] = [];
      const phaseWindows: [number, number][] = [];
      for (const [index, phase] of profile.phases.entries()) {
        log(
          `phase ${phase.name}: ${phase.scenarios.join(', ') || 'no faults'} for ${phase.load.durationMs / 1000} s`,
        );
        const phaseStart = Date.now();
        const marks = await ledgerMarks(world);
        const stopAt = phaseStart + phase.load.durationMs + 60_000;
        const [load, faults] = await Promise.all([
          runLoad(phase.load, {
            systems,
            tag: `${TAG}p${index}`,
            seed: 11 + index,
            products,
            hasProspect,
            stopAt,
          }),
          runFaults(world, phase.scenarios, profile.faults, phase.load.durationMs, 29 + index, log),
        ]);
        const loadEnd = Date.now();
        log(
          `phase ${phase.name}: ${load.changes} changes, ${faults.kills} kills; load errors: ${load.errors.length}; waiting for convergence`,
        );
        let targets: CheckResult | undefined;
        let stockCheck: CheckResult | undefined;
        let convergeSeconds: number | null = null;
        const convergeDeadline = loadEnd + profile.convergeTimeoutMs;
        for (let round = 0; round < 10_000; round += 1) {
          try {
            targets = await checkTargets(systems, load);
            stockCheck = await checkStock(systems);
            const open = [targets, stockCheck].reduce((n, r) => n + r.stale + r.missing + r.duplicated, 0);
            if (open === 0) {
              convergeSeconds = (Date.now() - loadEnd) / 1000;
              break;
            }
            if (round % 6 === 0)
              log(
                `  ${open} open after ${((Date.now() - loadEnd) / 1000).toFixed(0)} s, e.g. ${[...targets.problems, ...stockCheck.problems][0]?.what ?? ''}`,
              );
          } catch (error) {
            log(`  check failed (retrying): ${(error as Error).message}`);
          }
          if (Date.now() > convergeDeadline) break;
          await sleep(5_000);
        }
        const marksAfter = await ledgerMarks(world);
        const amp = await amplification(world, marks, marksAfter);
        phaseWindows.push([phaseStart, Date.now()]);
        const problems = [...(targets?.problems ?? []), ...(stockCheck?.problems ?? [])];
        phases.push({
          phase: phase.name,
          scenarios: phase.scenarios,
          changes: load.changes,
          entities: (targets?.entities ?? 0) + (stockCheck?.entities ?? 0),
          kills: faults.kills,
          stale: problems.filter((p) => p.kind === 'stale').length,
          missing: problems.filter((p) => p.kind === 'missing').length,
          duplicated: problems.filter((p) => p.kind === 'duplicated').length,
          transientDeadLetters: 0,
          permanentDeadLetters: 0,
          amplification: amp,
          durationSeconds: (loadEnd - phaseStart) / 1000,
          convergeSeconds,
          events: faults.events,
          problems: problems.slice(0, 200),
          deadLetters: [],
          loadErrors: load.errors,
        });
      }

      // Dead letters, each counted in the phase it was parked in.
      const deadLetters = await scanDeadLetters(world);
      const phaseOf = (dl: DeadLetterSummary): number => {
        const i = phaseWindows.findIndex(
          ([from, to]) => dl.deadLetteredAt >= from && dl.deadLetteredAt <= to,
        );
        return i >= 0 ? i : phaseWindows.length - 1;
      };
      const withDeadLetters = phases.map((p, i) => {
        const mine = deadLetters.filter((dl) => phaseOf(dl) === i);
        return {
          ...p,
          transientDeadLetters: mine.filter((dl) => dl.transient).length,
          permanentDeadLetters: mine.filter((dl) => !dl.transient).length,
          deadLetters: mine.slice(0, 200),
        };
      });
      report = {
        profile: profile.name,
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        commit: commit(),
        machine: { cpus: cpus().length, node: process.version },
        phases: withDeadLetters,
      };
      const file = writeReport(report);
      console.log(`\n${summaryTable(report)}\n(report: ${file})\n`);
      for (const p of withDeadLetters) {
        for (const problem of p.problems.slice(0, 10))
          console.log(`[chaos] ${p.phase}: ${problem.kind}: ${problem.what}`);
        for (const dl of p.deadLetters.slice(0, 10))
          console.log(
            `[chaos] ${p.phase}: dead letter (${dl.transient ? 'TRANSIENT' : 'permanent'}) ${dl.consumerGroup} ← ${dl.originTopic}: ${dl.errorClass}: ${dl.errorMessage.slice(0, 200)}`,
          );
      }

      for (const p of withDeadLetters) {
        expect
          .soft({ phase: p.phase, stale: p.stale, missing: p.missing, duplicated: p.duplicated })
          .toEqual({
            phase: p.phase,
            stale: 0,
            missing: 0,
            duplicated: 0,
          });
        expect.soft({ phase: p.phase, transientDeadLetters: p.transientDeadLetters }).toEqual({
          phase: p.phase,
          transientDeadLetters: 0,
        });
        if (p.scenarios.length > 0)
          for (const [system, a] of Object.entries(p.amplification))
            expect
              .soft(a.ratio, `${p.phase}: retry amplification at ${system}`)
              .toBeLessThanOrEqual(profile.maxAmplification);
      }
    },
    totalMs + 600_000,
  );
});
