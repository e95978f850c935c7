import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@pardot-x3/config';
import { SERVICE_NODE_OPTIONS } from '@pardot-x3/local-pipeline';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import {
  CHART_DIR,
  CHART_FULL_VALUES,
  appConfigSchema,
  CHART_MINIMAL_VALUES,
  CONNECTOR_VARIABLES,
  CONTAINER_PORT,
  DASHBOARDS_DIR,
  DATABASE_SERVICES,
  NAMESPACE,
  PIPELINE_SERVICE_NAMES,
  RULES_FILE,
  SECRET_VARIABLES,
  SERVICE_CONNECTORS,
  TOOL_INSTALL_TIMEOUT_MS,
  component,
  containerEnvironment,
  ensureDeployTools,
  findByComponent,
  objectsOfKind,
  renderChart,
  renderChartResult,
  runTool,
  validateManifests,
  validateServiceEnvironment,
  type DeployTools,
  type KubeObject,
  type RenderedChart,
  type Workload,
} from '../src/index.js';

/** Secret values a test install would hold, in the formats the services expect. */
function fakeSecret(_secret: string, key: string): string {
  return key === 'database-url' ? 'postgres://pardot_x3:secret@postgres:5432/pardot_x3' : `value-of-${key}`;
}

let tools: DeployTools;
let minimal: RenderedChart;
let full: RenderedChart;

beforeAll(async () => {
  tools = await ensureDeployTools();
  [minimal, full] = await Promise.all([
    renderChart(tools, [CHART_MINIMAL_VALUES]),
    renderChart(tools, [CHART_FULL_VALUES]),
  ]);
}, TOOL_INSTALL_TIMEOUT_MS);

describe('helm lint', () => {
  it.each([
    ['minimal', CHART_MINIMAL_VALUES],
    ['full', CHART_FULL_VALUES],
  ])('passes --strict with the %s values', async (_name, values) => {
    const result = await runTool(tools.helm, ['lint', CHART_DIR, '--strict', '--values', values]);
    expect(result.stderr + result.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(result.code).toBe(0);
  });

  it('passes --strict with the default values, listing what an install must still give', async () => {
    // Kafka, the registry and the credentials have no sensible default; lint reports every one.
    const result = await runTool(tools.helm, ['lint', CHART_DIR, '--strict']);
    expect(result.code).toBe(0);
    const output = result.stdout + result.stderr;
    for (const missing of [
      'kafka.brokers',
      'schemaRegistry.url',
      'connectors.x3 URL',
      'secrets.values.database-url',
    ]) {
      expect(output).toContain(`${missing} is required`);
    }
  });

  it('refuses to render the default values, naming the first missing setting', async () => {
    const result = await renderChartResult(tools, []);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/kafka\.brokers is required: the Kafka bootstrap servers/);
  });
});

describe('rendered manifests', () => {
  it.each([
    ['minimal', () => minimal],
    ['full', () => full],
  ])(
    'are valid Kubernetes %s manifests (Kubernetes and Prometheus Operator schemas, unknown fields rejected)',
    async (_name, chart) => {
      const result = await validateManifests(tools, chart().yaml);
      expect(result.stdout + result.stderr).not.toMatch(/ERROR|Failure/);
      expect(result.code).toBe(0);
    },
  );

  it('the validation catches a misspelt field (the check can fail)', async () => {
    const broken = minimal.yaml.replace('revisionHistoryLimit: 5', 'revisionHistoryLimit: 5\n  replica: 2');
    const result = await validateManifests(tools, broken);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain('spec.replica');
  });

  it('install every service once, with a Service, a ConfigMap and a PodDisruptionBudget', () => {
    for (const kind of ['Deployment', 'Service', 'PodDisruptionBudget']) {
      expect(objectsOfKind(minimal.objects, kind).map(component).sort()).toEqual(
        [...PIPELINE_SERVICE_NAMES].sort(),
      );
    }
    expect(
      objectsOfKind(minimal.objects, 'ConfigMap')
        .map((c) => c.metadata.name)
        .sort(),
    ).toEqual(PIPELINE_SERVICE_NAMES.map((s) => `px3-pardot-x3-${s}-env`).sort());
  });

  it('carry the standard labels and names Kubernetes accepts', () => {
    for (const object of [...minimal.objects, ...full.objects]) {
      const labels = object.metadata.labels ?? {};
      expect(labels['app.kubernetes.io/name'], `${object.kind} ${object.metadata.name}`).toBe('pardot-x3');
      expect(labels['app.kubernetes.io/instance']).toBe('px3');
      expect(labels['app.kubernetes.io/managed-by']).toBe('Helm');
      expect(labels['helm.sh/chart']).toMatch(/^pardot-x3-\d+\.\d+\.\d+/);
      expect(object.metadata.name.length).toBeLessThanOrEqual(63);
      expect(object.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    }
  });

  it('a disabled service is not installed, and nothing else changes', async () => {
    const chart = await renderChart(tools, [CHART_MINIMAL_VALUES], { 'services.transformer.enabled': false });
    expect(objectsOfKind(chart.objects, 'Deployment').map(component)).not.toContain('transformer');
    expect(objectsOfKind(chart.objects, 'Deployment')).toHaveLength(PIPELINE_SERVICE_NAMES.length - 1);
  });
});

describe('service pods', () => {
  const deployments = (chart: () => RenderedChart) =>
    objectsOfKind<Workload>(chart().objects, 'Deployment').filter((d) =>
      PIPELINE_SERVICE_NAMES.some((s) => s === component(d)),
    );

  it('run the service named by their command, on port 8080, probed on /health/live and /health/ready', () => {
    for (const deployment of deployments(() => minimal)) {
      const [container] = deployment.spec.template.spec.containers;
      expect(container?.args).toEqual([`apps/${component(deployment)}/dist/main.js`]);
      expect(container?.ports).toEqual([{ name: 'http', containerPort: CONTAINER_PORT, protocol: 'TCP' }]);
      expect(container?.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container?.startupProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container?.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    }
  });

  it('run as non-root with a read-only root file system, no privilege escalation, no capabilities, no API token', () => {
    for (const deployment of [...deployments(() => minimal), ...deployments(() => full)]) {
      const pod = deployment.spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const container of pod.containers) {
        expect(container.securityContext).toMatchObject({
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
      }
    }
    const [serviceAccount] = objectsOfKind(minimal.objects, 'ServiceAccount');
    expect(serviceAccount?.automountServiceAccountToken).toBe(false);
  });

  it('get longer to stop than the services take to drain (terminationGracePeriodSeconds > SHUTDOWN_GRACE_MS)', () => {
    for (const chart of [minimal, full]) {
      for (const deployment of deployments(() => chart)) {
        const pod = deployment.spec.template.spec;
        const [container] = pod.containers;
        if (!container) throw new Error('no container');
        const env = containerEnvironment(chart.objects, container, fakeSecret);
        expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(Number(env['SHUTDOWN_GRACE_MS']) / 1000);
      }
    }
    // full-values.yaml raises the grace to 40 s; the pods follow.
    const [container] = findByComponent<Workload>(full.objects, 'Deployment', 'mdm').spec.template.spec
      .containers;
    expect(container && containerEnvironment(full.objects, container, fakeSecret)['SHUTDOWN_GRACE_MS']).toBe(
      '40000',
    );
    expect(
      findByComponent<Workload>(full.objects, 'Deployment', 'mdm').spec.template.spec
        .terminationGracePeriodSeconds,
    ).toBe(50);
  });

  it('run Node.js with the heap options the local launchers use (docs/decisions/0132), unless overridden', () => {
    for (const deployment of deployments(() => minimal)) {
      const [container] = deployment.spec.template.spec.containers;
      if (!container) throw new Error('no container');
      expect(containerEnvironment(minimal.objects, container, fakeSecret)['NODE_OPTIONS']).toBe(
        SERVICE_NODE_OPTIONS,
      );
    }
    // full-values.yaml gives its own; the pods follow.
    const [container] = findByComponent<Workload>(full.objects, 'Deployment', 'mdm').spec.template.spec
      .containers;
    expect(container && containerEnvironment(full.objects, container, fakeSecret)['NODE_OPTIONS']).toBe(
      '--max-old-space-size=640',
    );
  });

  it('start with an environment every service and its connectors accept at boot', async () => {
    for (const chart of [minimal, full]) {
      for (const deployment of deployments(() => chart)) {
        const service = PIPELINE_SERVICE_NAMES.find((s) => s === component(deployment));
        const [container] = deployment.spec.template.spec.containers;
        if (!service || !container) throw new Error('unexpected deployment');
        await validateServiceEnvironment(service, containerEnvironment(chart.objects, container, fakeSecret));
      }
    }
  });

  it('get DATABASE_URL only where the service keeps state, and the connector settings of the systems it talks to', () => {
    for (const service of PIPELINE_SERVICE_NAMES) {
      const [container] = findByComponent<Workload>(minimal.objects, 'Deployment', service).spec.template.spec
        .containers;
      if (!container) throw new Error('no container');
      const env = containerEnvironment(minimal.objects, container, fakeSecret);
      expect('DATABASE_URL' in env, service).toBe(DATABASE_SERVICES.includes(service));
      for (const [system, variables] of Object.entries(CONNECTOR_VARIABLES)) {
        const uses = SERVICE_CONNECTORS[service].some((s) => s === system);
        for (const variable of variables) expect(variable in env, `${service} ${variable}`).toBe(uses);
      }
      // minimal-values.yaml uses the JWT bearer flow, full-values.yaml client credentials.
      expect('SALESFORCE_PRIVATE_KEY' in env, service).toBe(
        SERVICE_CONNECTORS[service].includes('salesforce'),
      );
      expect('SALESFORCE_CLIENT_SECRET' in env, service).toBe(false);
    }
  });

  it('read secrets from Secrets only: no secret variable in a ConfigMap or as a plain value', () => {
    for (const chart of [minimal, full]) {
      for (const configMap of objectsOfKind(chart.objects, 'ConfigMap')) {
        for (const variable of SECRET_VARIABLES)
          expect(Object.keys(configMap.data ?? {})).not.toContain(variable);
      }
      for (const workload of [
        ...objectsOfKind<Workload>(chart.objects, 'Deployment'),
        ...objectsOfKind<Workload>(chart.objects, 'Job'),
      ]) {
        const pod = workload.spec.template.spec;
        for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
          for (const variable of container.env ?? []) {
            if ((SECRET_VARIABLES as readonly string[]).includes(variable.name)) {
              expect(variable.value, `${workload.metadata.name} ${variable.name}`).toBeUndefined();
              expect(variable.valueFrom?.secretKeyRef).toBeDefined();
            }
          }
        }
      }
    }
  });

  it('an existing Secret is used as is; without one the chart creates it', () => {
    expect(objectsOfKind(minimal.objects, 'Secret')).toHaveLength(0);
    const [container] = findByComponent<Workload>(minimal.objects, 'Deployment', 'mdm').spec.template.spec
      .containers;
    expect(container?.env?.find((e) => e.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef).toEqual({
      name: 'pardot-x3-credentials',
      key: 'database-url',
    });
    const created = objectsOfKind(full.objects, 'Secret').find((s) => s.metadata.name === 'px3-pardot-x3');
    // full-values.yaml gives the database URL as database.url: it lands in the Secret, not a ConfigMap.
    expect(created?.stringData?.['database-url']).toBe(
      'postgres://pardot_x3:not-a-real-password@postgres.example.com:5432/pardot_x3',
    );
    expect(created?.metadata.annotations?.['helm.sh/hook']).toBeUndefined();
  });

  it('have a PodDisruptionBudget allowing one pod down at a time', () => {
    for (const pdb of objectsOfKind(minimal.objects, 'PodDisruptionBudget')) {
      expect(pdb.spec).toMatchObject({ maxUnavailable: 1 });
      expect((pdb.spec?.['selector'] as { matchLabels: Record<string, string> }).matchLabels).toMatchObject({
        'app.kubernetes.io/component': component(pdb),
      });
    }
  });

  it('are scaled by a HorizontalPodAutoscaler only where enabled, and then the Deployment leaves replicas to it', () => {
    expect(objectsOfKind(minimal.objects, 'HorizontalPodAutoscaler')).toHaveLength(0);
    const [hpa, ...others] = objectsOfKind(full.objects, 'HorizontalPodAutoscaler');
    expect(others).toHaveLength(0);
    expect(component(hpa as KubeObject)).toBe('transformer');
    expect(hpa?.spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect(
      findByComponent<Workload>(full.objects, 'Deployment', 'transformer').spec.replicas,
    ).toBeUndefined();
    expect(findByComponent<Workload>(full.objects, 'Deployment', 'mdm').spec.replicas).toBe(2);
  });
});

describe('hook jobs', () => {
  const jobs = (chart: RenderedChart) => objectsOfKind<Workload>(chart.objects, 'Job');

  it('create topics, then register schemas, then migrate the database, before install and upgrade', () => {
    const byComponent: Record<string, Workload> = Object.fromEntries(
      jobs(minimal).map((j) => [component(j) ?? '', j]),
    );
    const topics = byComponent['topics-and-schemas'];
    const migrate = byComponent['db-migrate'];
    if (!topics || !migrate) throw new Error('hook jobs missing');
    for (const job of [topics, migrate]) {
      expect(job.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
      expect(job.spec.template.spec.automountServiceAccountToken).toBe(false);
    }
    expect(Number(topics.metadata.annotations?.['helm.sh/hook-weight'])).toBeLessThan(
      Number(migrate.metadata.annotations?.['helm.sh/hook-weight']),
    );
    expect(topics.spec.template.spec.initContainers?.map((c) => c.args)).toEqual([
      ['apps/ops-cli/dist/main.js', 'topics', 'create'],
    ]);
    expect(topics.spec.template.spec.containers.map((c) => c.args)).toEqual([
      ['apps/ops-cli/dist/main.js', 'schemas', 'register'],
    ]);
    expect(migrate.spec.template.spec.containers.map((c) => c.args)).toEqual([
      ['apps/ops-cli/dist/main.js', 'db', 'migrate'],
    ]);
    const migrateEnv = migrate.spec.template.spec.containers[0]?.env?.map((e) => e.name);
    expect(migrateEnv).toContain('DATABASE_URL');
    expect(topics.spec.template.spec.containers[0]?.env?.map((e) => e.name)).not.toContain('DATABASE_URL');
  });

  it('with a chart-created Secret, read a hook copy of it that exists before the release Secret does', () => {
    const hookSecret = objectsOfKind(full.objects, 'Secret').find(
      (s) => s.metadata.annotations?.['helm.sh/hook'],
    );
    expect(hookSecret?.metadata.annotations).toMatchObject({
      'helm.sh/hook': 'pre-install,pre-upgrade',
      'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
    });
    expect(Number(hookSecret?.metadata.annotations?.['helm.sh/hook-weight'])).toBeLessThan(0);
    expect(Object.keys(hookSecret?.stringData ?? {}).sort()).toEqual([
      'database-url',
      'kafka-sasl-password',
      'schema-registry-password',
    ]);
    for (const job of jobs(full)) {
      for (const variable of job.spec.template.spec.containers[0]?.env ?? []) {
        const ref = variable.valueFrom?.secretKeyRef;
        if (ref) expect(ref.name).toBe(hookSecret?.metadata.name);
      }
    }
  });
});

describe('monitoring', () => {
  it('the ServiceMonitor scrapes exactly the enabled services, as job "pardot-x3", keeping their own service label', () => {
    const [monitor] = objectsOfKind(full.objects, 'ServiceMonitor');
    const spec = monitor?.spec as {
      jobLabel: string;
      selector: { matchExpressions: { values: string[] }[] };
      endpoints: { port: string; path: string; honorLabels: boolean }[];
    };
    expect(spec.jobLabel).toBe('app.kubernetes.io/part-of');
    expect(spec.selector.matchExpressions[0]?.values.sort()).toEqual([...PIPELINE_SERVICE_NAMES].sort());
    expect(spec.endpoints).toEqual([
      expect.objectContaining({ port: 'http', path: '/metrics', honorLabels: true }),
    ]);
    for (const service of objectsOfKind(full.objects, 'Service').filter((s) =>
      PIPELINE_SERVICE_NAMES.some((n) => n === component(s)),
    )) {
      expect(service.metadata.labels?.['app.kubernetes.io/part-of']).toBe('pardot-x3');
    }
    expect(monitor?.metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
    expect(objectsOfKind(minimal.objects, 'ServiceMonitor')).toHaveLength(0);
  });

  it('the PrometheusRule holds the rule groups of files/prometheus unchanged but for the runbook base', () => {
    const [rule] = objectsOfKind(full.objects, 'PrometheusRule');
    const groups = (rule?.spec as { groups: { name: string; rules: Record<string, unknown>[] }[] }).groups;
    const file = parseYaml(readFileSync(RULES_FILE, 'utf8')) as { groups: { name: string }[] };
    const runbookBase = 'https://git.example.com/integration/pardot-x3/-/blob/main/docs/operations.md';
    const expected = JSON.parse(
      JSON.stringify(file.groups).replaceAll(
        'https://github.com/pardot-x3/pardot-x3/blob/main/docs/operations.md',
        runbookBase,
      ),
    ) as unknown;
    expect(groups.filter((g) => g.name !== 'pardot-x3.kubernetes')).toEqual(expected);
    const kubernetes = groups.find((g) => g.name === 'pardot-x3.kubernetes');
    expect(JSON.stringify(kubernetes)).toContain(`namespace=\\"${NAMESPACE}\\"`);
  });

  it('one ConfigMap per dashboard carries the dashboard file byte for byte, labelled for the Grafana sidecar', () => {
    const files = readdirSync(DASHBOARDS_DIR).filter((f) => f.endsWith('.json'));
    const configMaps = objectsOfKind(full.objects, 'ConfigMap').filter(
      (c) => c.metadata.labels?.['grafana_dashboard'] === '1',
    );
    expect(configMaps).toHaveLength(files.length);
    for (const file of files) {
      const configMap = configMaps.find((c) => c.data?.[file] !== undefined);
      expect(configMap?.data?.[file], file).toBe(
        readFileSync(join(DASHBOARDS_DIR, file), 'utf8').replace(/\n$/, ''),
      );
    }
  });
});

describe('sandboxes', () => {
  it('when enabled, run the three sandboxes and point every connector at them', () => {
    const sandboxes = objectsOfKind<Workload>(full.objects, 'Deployment').filter((d) =>
      component(d)?.startsWith('sandbox-'),
    );
    expect(sandboxes.map(component).sort()).toEqual(['sandbox-pardot', 'sandbox-salesforce', 'sandbox-x3']);
    const [container] = findByComponent<Workload>(full.objects, 'Deployment', 'salesforce-ingest').spec
      .template.spec.containers;
    if (!container) throw new Error('no container');
    const env = containerEnvironment(full.objects, container, fakeSecret);
    expect(env['SALESFORCE_LOGIN_URL']).toBe('http://px3-pardot-x3-sandbox-salesforce:4100');
    expect(env['PARDOT_BASE_URL']).toBe('http://px3-pardot-x3-sandbox-pardot:4200');
    expect(
      objectsOfKind(minimal.objects, 'Deployment').filter((d) => component(d)?.startsWith('sandbox-')),
    ).toHaveLength(0);
  });

  it('listen on the pod network with an admin token from the Secret, never the public default', async () => {
    for (const system of ['salesforce', 'pardot', 'x3']) {
      const [container] = findByComponent<Workload>(full.objects, 'Deployment', `sandbox-${system}`).spec
        .template.spec.containers;
      if (!container) throw new Error('no container');
      expect(container.env).toContainEqual({
        name: 'SANDBOX_ADMIN_TOKEN',
        valueFrom: { secretKeyRef: { name: 'px3-pardot-x3', key: 'sandbox-admin-token' } },
      });
      const env = containerEnvironment(full.objects, container, fakeSecret);
      expect(env['HOST']).toBe('0.0.0.0');
      const schema = await appConfigSchema(`sandbox-${system}`);
      expect(() => loadConfig(`sandbox-${system}`, schema, env)).not.toThrow();
      expect(() =>
        loadConfig(`sandbox-${system}`, schema, { ...env, SANDBOX_ADMIN_TOKEN: 'sandbox-admin-token' }),
      ).toThrow(/SANDBOX_ADMIN_TOKEN is the public default .* HOST=0\.0\.0\.0 is not a loopback interface/);
    }
  });

  it('need a sandbox-admin-token in a chart-created Secret', async () => {
    const values = parseYaml(readFileSync(CHART_FULL_VALUES, 'utf8')) as {
      secrets: { values: Record<string, string> };
    };
    delete values.secrets.values['sandbox-admin-token'];
    const file = join(mkdtempSync(join(tmpdir(), 'px3-chart-')), 'values.yaml');
    writeFileSync(file, stringifyYaml(values));
    const result = await renderChartResult(tools, [file]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/secrets\.values\.sandbox-admin-token is required with sandboxes\.enabled/);
  });

  it('bind every service to all interfaces of its pod (HOST=0.0.0.0; the services default to loopback)', () => {
    for (const name of PIPELINE_SERVICE_NAMES) {
      const [container] = findByComponent<Workload>(minimal.objects, 'Deployment', name).spec.template.spec
        .containers;
      if (!container) throw new Error('no container');
      expect(containerEnvironment(minimal.objects, container, fakeSecret)['HOST'], name).toBe('0.0.0.0');
    }
  });
});
