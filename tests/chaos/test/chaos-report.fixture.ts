import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxSystem } from '@pardot-x3/flow-testing';
import { findRepositoryRoot } from '@pardot-x3/local-stack';
import type { Amplification, DeadLetterSummary, Problem } from './chaos-checks.fixture.js';
import type { Scenario } from './chaos-faults.fixture.js';

/** One row of the summary: a phase of the profile and what the checks found after it. */
export interface PhaseReport {
  readonly phase: string;
  readonly scenarios: readonly Scenario[];
  readonly changes: number;
  readonly entities: number;
  readonly kills: number;
  readonly stale: number;
  readonly missing: number;
  readonly duplicated: number;
  readonly transientDeadLetters: number;
  readonly permanentDeadLetters: number;
  readonly amplification: Record<SandboxSystem, Amplification>;
  readonly durationSeconds: number;
  /** Seconds from the end of load and faults until every check passed; null when it never did. */
  readonly convergeSeconds: number | null;
  readonly events: readonly string[];
  readonly problems: readonly Problem[];
  readonly deadLetters: readonly DeadLetterSummary[];
  readonly loadErrors: readonly string[];
}

export interface ChaosReport {
  readonly profile: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly commit?: string;
  readonly machine: { readonly cpus: number; readonly node: string };
  readonly phases: readonly PhaseReport[];
}

const ampText = (a: Record<SandboxSystem, Amplification>): string =>
  (['pardot', 'salesforce', 'x3'] as const)
    .map((s) => `${s[0]?.toUpperCase()}${a[s].ratio.toFixed(2)} (${a[s].requests}/${a[s].effects})`)
    .join(' ');

/** The summary table: one line per phase. */
export function summaryTable(report: ChaosReport): string {
  const header = [
    'scenario',
    'changes',
    'kills',
    'stale',
    'missing',
    'duplicated',
    'transient DLQ',
    'permanent DLQ',
    'amplification P/S/X (requests/effects)',
    'duration',
    'converged after',
  ];
  const rows = report.phases.map((p) => [
    `${p.phase} [${p.scenarios.join(', ') || 'no faults'}]`,
    String(p.changes),
    String(p.kills),
    String(p.stale),
    String(p.missing),
    String(p.duplicated),
    String(p.transientDeadLetters),
    String(p.permanentDeadLetters),
    ampText(p.amplification),
    `${p.durationSeconds.toFixed(0)} s`,
    p.convergeSeconds === null ? 'never (timed out)' : `${p.convergeSeconds.toFixed(0)} s`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    `chaos profile "${report.profile}" (${report.startedAt} → ${report.finishedAt})`,
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

/** Writes reports/chaos/latest.json and reports/chaos/<profile>-<time>.json; returns the latest path. */
export function writeReport(report: ChaosReport): string {
  const dir = join(findRepositoryRoot(), 'reports', 'chaos');
  mkdirSync(dir, { recursive: true });
  const text = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(join(dir, `${report.profile}-${report.startedAt.replace(/[:.]/g, '-')}.json`), text);
  const latest = join(dir, 'latest.json');
  writeFileSync(latest, text);
  return latest;
}
