import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import {
  CHART_FULL_VALUES,
  OPERATIONS_DOC,
  PROMETHEUS_CONFIG,
  REPO_ROOT,
  RULES_FILE,
  RUNBOOK_BASE_URL,
  TOOL_INSTALL_TIMEOUT_MS,
  ensureDeployTools,
  metricNamesIn,
  objectsOfKind,
  readMetricContract,
  renderChart,
  runTool,
  type DeployTools,
  type MetricContract,
} from '../src/index.js';

interface AlertRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleGroup {
  name: string;
  rules: AlertRule[];
}

const RULE_TESTS = join(REPO_ROOT, 'tests', 'deploy', 'test', 'fixtures', 'pardot-x3.rules.test.yml');
/** Series Prometheus makes itself, and kube-state-metrics series of the chart's Kubernetes-only rules. */
const NOT_FROM_THE_SERVICES =
  /^(up|kube_deployment_status_replicas_available|kube_deployment_spec_replicas)$/;

let tools: DeployTools;
let contract: MetricContract;
const groups = (parseYaml(readFileSync(RULES_FILE, 'utf8')) as { groups: RuleGroup[] }).groups;
const alerts = groups.flatMap((g) => g.rules).filter((r) => r.alert);

beforeAll(async () => {
  [tools, contract] = await Promise.all([ensureDeployTools(), readMetricContract()]);
}, TOOL_INSTALL_TIMEOUT_MS);

describe('alert rules', () => {
  it('load in Prometheus (promtool check rules)', async () => {
    const result = await runTool(tools.promtool, ['check', 'rules', RULES_FILE]);
    expect(result.stdout).toContain(`SUCCESS: ${alerts.length} rules found`);
    expect(result.code).toBe(0);
  });

  it('cover what the operators must hear about', () => {
    expect(alerts.map((a) => a.alert).sort()).toEqual([
      'PX3ConsumerLagGrowing',
      'PX3DeadLettersAppearing',
      'PX3ExternalApiBudgetLow',
      'PX3ExternalApiLimitErrors',
      'PX3ServiceDown',
      'PX3SourceFreshnessSloBreached',
    ]);
  });

  it('fire on the series an operator needs them for, with the text they read, and stay quiet otherwise (promtool test rules)', async () => {
    const result = await runTool(tools.promtool, ['test', 'rules', RULE_TESTS]);
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it('the behaviour tests fail when a rule is wrong (a freshness SLO of 150 minutes instead of 15)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'px3-rules-'));
    writeFileSync(
      join(dir, 'pardot-x3.rules.yml'),
      readFileSync(RULES_FILE, 'utf8').replace('> 900', '> 9000'),
    );
    const tests = parseYaml(readFileSync(RULE_TESTS, 'utf8')) as { rule_files: string[] };
    tests.rule_files = [join(dir, 'pardot-x3.rules.yml')];
    writeFileSync(join(dir, 'tests.yml'), stringifyYaml(tests));
    const result = await runTool(tools.promtool, ['test', 'rules', join(dir, 'tests.yml')]);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain('PX3SourceFreshnessSloBreached');
  });

  it('each have a severity, a summary, a description and a runbook section in docs/operations.md', () => {
    const runbook = readFileSync(OPERATIONS_DOC, 'utf8');
    const anchors = new Set(
      [...runbook.matchAll(/^#{2,4} (.+)$/gm)].map(([, heading]) => githubAnchor(heading ?? '')),
    );
    for (const alert of alerts) {
      expect(['warning', 'critical'], alert.alert).toContain(alert.labels?.['severity']);
      expect(alert.annotations?.['summary']?.length, alert.alert).toBeGreaterThan(10);
      expect(alert.annotations?.['description']?.length, alert.alert).toBeGreaterThan(30);
      const url = alert.annotations?.['runbook_url'] ?? '';
      expect(url).toBe(`${RUNBOOK_BASE_URL}#${(alert.alert ?? '').toLowerCase()}`);
      expect(anchors, `docs/operations.md needs a heading "${alert.alert}"`).toContain(url.split('#')[1]);
    }
  });

  it('use only metrics the services export (docs/observability.md)', () => {
    for (const rule of groups.flatMap((g) => g.rules)) {
      for (const name of metricNamesIn(rule.expr)) {
        if (NOT_FROM_THE_SERVICES.test(name)) continue;
        expect(contract.seriesNames, `${rule.alert}: ${name}`).toContain(name);
      }
    }
  });
});

describe('the chart’s PrometheusRule', () => {
  it('loads in Prometheus, Kubernetes-only rules included, and pods not ready for 10 minutes alert', async () => {
    const chart = await renderChart(tools, [CHART_FULL_VALUES]);
    const [rule] = objectsOfKind(chart.objects, 'PrometheusRule');
    const rendered = (rule?.spec as { groups: RuleGroup[] }).groups;
    const dir = mkdtempSync(join(tmpdir(), 'px3-chart-rules-'));
    writeFileSync(join(dir, 'chart.rules.yml'), stringifyYaml({ groups: rendered }));
    const check = await runTool(tools.promtool, ['check', 'rules', join(dir, 'chart.rules.yml')]);
    expect(check.stdout).toContain(`SUCCESS: ${alerts.length + 1} rules found`);

    const notReady = rendered.flatMap((g) => g.rules).find((r) => r.alert === 'PX3PodsNotReady');
    for (const name of metricNamesIn(notReady?.expr ?? '')) expect(name).toMatch(NOT_FROM_THE_SERVICES);
    writeFileSync(
      join(dir, 'tests.yml'),
      stringifyYaml({
        rule_files: ['chart.rules.yml'],
        evaluation_interval: '1m',
        tests: [
          {
            interval: '1m',
            input_series: [
              {
                series:
                  'kube_deployment_spec_replicas{namespace="integration", deployment="px3-pardot-x3-mdm"}',
                values: '2x20',
              },
              {
                series:
                  'kube_deployment_status_replicas_available{namespace="integration", deployment="px3-pardot-x3-mdm"}',
                values: '2 2 1x18',
              },
              {
                series: 'kube_deployment_spec_replicas{namespace="other", deployment="px3-pardot-x3-mdm"}',
                values: '2x20',
              },
              {
                series:
                  'kube_deployment_status_replicas_available{namespace="other", deployment="px3-pardot-x3-mdm"}',
                values: '0x20',
              },
            ],
            alert_rule_test: [
              { eval_time: '8m', alertname: 'PX3PodsNotReady', exp_alerts: [] },
              {
                eval_time: '13m',
                alertname: 'PX3PodsNotReady',
                exp_alerts: [
                  {
                    exp_labels: {
                      severity: 'warning',
                      namespace: 'integration',
                      deployment: 'px3-pardot-x3-mdm',
                    },
                    exp_annotations: {
                      summary: 'px3-pardot-x3-mdm has pods that are not ready',
                      description:
                        '1 available replicas of px3-pardot-x3-mdm for 10 minutes, fewer than desired: /health/ready fails (Kafka, the schema registry or PostgreSQL unreachable) or pods cannot start.',
                      runbook_url:
                        'https://git.example.com/integration/pardot-x3/-/blob/main/docs/operations.md#px3podsnotready',
                    },
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    const behaviour = await runTool(tools.promtool, ['test', 'rules', join(dir, 'tests.yml')]);
    expect(behaviour.stdout + behaviour.stderr).toContain('SUCCESS');
    expect(behaviour.code).toBe(0);
  });
});

describe('docker-compose Prometheus', () => {
  it('has a valid configuration that loads the same rules (promtool check config)', async () => {
    const config = parseYaml(readFileSync(PROMETHEUS_CONFIG, 'utf8')) as { rule_files: string[] };
    expect(config.rule_files).toEqual(['/etc/prometheus/rules/*.rules.yml']);
    // deploy/prometheus/rules is the chart's files/prometheus folder.
    expect(realpathSync(join(REPO_ROOT, 'deploy', 'prometheus', 'rules', 'pardot-x3.rules.yml'))).toBe(
      realpathSync(RULES_FILE),
    );
    const dir = mkdtempSync(join(tmpdir(), 'px3-prometheus-'));
    config.rule_files = [RULES_FILE];
    writeFileSync(join(dir, 'prometheus.yml'), stringifyYaml(config));
    const result = await runTool(tools.promtool, ['check', 'config', join(dir, 'prometheus.yml')]);
    expect(result.stdout + result.stderr).toContain(`SUCCESS: ${alerts.length} rules found`);
    expect(result.code).toBe(0);
  });
});

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
function githubAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}
