import { mkdtempSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify as stringifyYaml } from 'yaml';
import {
  DASHBOARDS_DIR,
  REPO_ROOT,
  TOOL_INSTALL_TIMEOUT_MS,
  ensureDeployTools,
  metricNamesIn,
  readMetricContract,
  runTool,
  type DeployTools,
  type MetricContract,
} from '../src/index.js';

interface DataSourceRef {
  type?: string;
  uid?: string;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: DataSourceRef;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: { expr: string; datasource?: DataSourceRef }[];
}
interface TemplateVariable {
  name: string;
  type: string;
  query?: string | { query: string };
  datasource?: DataSourceRef;
}
interface Dashboard {
  uid: string;
  title: string;
  tags: string[];
  schemaVersion: number;
  panels: Panel[];
  templating: { list: TemplateVariable[] };
}

const files = readdirSync(DASHBOARDS_DIR).filter((f) => f.endsWith('.json'));
const dashboards = new Map(
  files.map((f) => [f, JSON.parse(readFileSync(join(DASHBOARDS_DIR, f), 'utf8')) as Dashboard]),
);
const queryPanels = (d: Dashboard) => d.panels.filter((p) => p.type !== 'row');
const expressions = (d: Dashboard) => [
  ...queryPanels(d).flatMap((p) =>
    (p.targets ?? []).map((t) => ({ where: `${d.title} / ${p.title}`, expr: t.expr })),
  ),
  ...d.templating.list
    .filter((v) => v.type === 'query')
    .map((v) => ({
      where: `${d.title} / variable ${v.name}`,
      expr: typeof v.query === 'string' ? v.query : (v.query?.query ?? ''),
    })),
];

/** What Grafana substitutes before a query reaches Prometheus. */
function asPromQl(expr: string): string {
  const labelValues = /^label_values\((.*),\s*\w+\)$/.exec(expr.trim());
  return (labelValues?.[1] ?? expr)
    .replaceAll('$__rate_interval', '5m')
    .replaceAll('$__interval', '1m')
    .replaceAll('$__range', '6h')
    .replace(/\$\w+/g, '.*');
}

let tools: DeployTools;
let contract: MetricContract;

beforeAll(async () => {
  [tools, contract] = await Promise.all([ensureDeployTools(), readMetricContract()]);
}, TOOL_INSTALL_TIMEOUT_MS);

describe('Grafana dashboards', () => {
  it('are the four the operators use, each with a stable uid', () => {
    expect([...dashboards.values()].map((d) => [d.uid, d.title]).sort()).toEqual([
      ['px3-customer-master', 'pardot-x3 Customer master'],
      ['px3-external-apis', 'pardot-x3 External APIs'],
      ['px3-kafka-consumers', 'pardot-x3 Kafka consumers'],
      ['px3-overview', 'pardot-x3 overview'],
    ]);
    for (const d of dashboards.values()) expect(d.tags).toContain('pardot-x3');
  });

  it('pick their data source through the ${DS_PROMETHEUS} variable, never a hard-coded uid', () => {
    for (const d of dashboards.values()) {
      expect(d.templating.list.find((v) => v.name === 'DS_PROMETHEUS')).toMatchObject({
        type: 'datasource',
        query: 'prometheus',
      });
      const refs: DataSourceRef[] = [
        ...queryPanels(d).flatMap((p) => [p.datasource, ...(p.targets ?? []).map((t) => t.datasource)]),
        ...d.templating.list.filter((v) => v.type === 'query').map((v) => v.datasource),
      ].filter((r): r is DataSourceRef => r !== undefined);
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) expect(ref, d.title).toEqual({ type: 'prometheus', uid: '${DS_PROMETHEUS}' });
    }
  });

  it('query only metrics the services export (docs/observability.md and the px3_ process metrics)', () => {
    for (const d of dashboards.values()) {
      for (const { where, expr } of expressions(d)) {
        const names = metricNamesIn(asPromQl(expr));
        expect(names.length, where).toBeGreaterThan(0);
        for (const name of names) expect(contract.seriesNames, `${where}: ${name}`).toContain(name);
      }
    }
  });

  it('show every metric of the contract somewhere', () => {
    const used = new Set(
      [...dashboards.values()].flatMap((d) =>
        expressions(d).flatMap(({ expr }) => metricNamesIn(asPromQl(expr))),
      ),
    );
    const base = (name: string) => name.replace(/_(bucket|sum|count)$/, '');
    const shown = new Set([...used].map(base));
    for (const metric of contract.documented) {
      if (metric === 'px3_build_info' || shown.has(metric)) continue;
      expect.fail(`${metric} is on no dashboard`);
    }
    expect(shown).toContain('px3_build_info');
  });

  it('hold PromQL that Prometheus parses (each query checked as a recording rule by promtool)', async () => {
    const rules = [...dashboards.values()].flatMap((d) =>
      expressions(d).map(({ expr }, i) => ({
        record: `px3_dashboard:${d.uid.replaceAll('-', '_')}:${i}`,
        expr: asPromQl(expr),
      })),
    );
    const dir = mkdtempSync(join(tmpdir(), 'px3-dashboards-'));
    writeFileSync(
      join(dir, 'queries.yml'),
      stringifyYaml({ groups: [{ name: 'dashboard-queries', rules }] }),
    );
    const result = await runTool(tools.promtool, ['check', 'rules', join(dir, 'queries.yml')]);
    expect(result.stdout + result.stderr).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(result.code).toBe(0);
  });

  it('lay panels out on Grafana’s 24-column grid with unique ids', () => {
    for (const d of dashboards.values()) {
      const ids = d.panels.map((p) => p.id);
      expect(new Set(ids).size, d.title).toBe(ids.length);
      for (const p of d.panels) {
        expect(p.gridPos.x + p.gridPos.w, `${d.title} / ${p.title}`).toBeLessThanOrEqual(24);
        expect(p.gridPos.h).toBeGreaterThan(0);
      }
    }
  });

  it('are the very files docker-compose’s Grafana provisions (deploy/grafana/dashboards links to the chart’s)', () => {
    expect(realpathSync(join(REPO_ROOT, 'deploy', 'grafana', 'dashboards'))).toBe(
      realpathSync(DASHBOARDS_DIR),
    );
  });
});
