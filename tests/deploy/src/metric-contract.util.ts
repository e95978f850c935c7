import { readFileSync } from 'node:fs';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { OBSERVABILITY_DOC } from './deployment.constants.js';

export interface MetricContract {
  /** Every series name a query may use: the documented metrics, histogram series, process metrics. */
  readonly seriesNames: ReadonlySet<string>;
  /** The metrics documented in docs/observability.md. */
  readonly documented: ReadonlySet<string>;
}

/**
 * The metric names the services export, from docs/observability.md (the contract) and from prom-client's
 * default process metrics, which the services export with the `px3_` prefix.
 */
export async function readMetricContract(): Promise<MetricContract> {
  const documented = new Set<string>();
  const series = new Set<string>();
  for (const line of readFileSync(OBSERVABILITY_DOC, 'utf8').split('\n')) {
    const row = /^\|\s*`(px3_[a-z0-9_]+)`\s*\|\s*([a-z]+)/.exec(line);
    if (!row?.[1] || !row[2]) continue;
    documented.add(row[1]);
    for (const name of seriesOf(row[1], row[2])) series.add(name);
  }
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'px3_' });
  for (const metric of await registry.getMetricsAsJSON()) {
    for (const name of seriesOf(metric.name, String(metric.type))) series.add(name);
  }
  return { seriesNames: series, documented };
}

function seriesOf(name: string, type: string): string[] {
  return type === 'histogram' ? [name, `${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
}

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
  'atan2',
]);

/**
 * Metric names a PromQL expression selects. Label lists (`by (...)`, `on (...)`), label matchers
 * (`{...}`), range selectors (`[...]`) and strings are removed first; what remains and is not a
 * function call, a keyword or a number is a metric name.
 */
export function metricNamesIn(expression: string): string[] {
  const stripped = expression
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    const [, identifier, call] = match;
    if (!identifier || call || KEYWORDS.has(identifier.toLowerCase())) continue;
    names.add(identifier);
  }
  return [...names];
}
