import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@pardot-x3/config';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CHART_MINIMAL_VALUES,
  COMPOSE_FILE,
  CONTAINER_PORT,
  DASHBOARDS_DIR,
  DATABASE_SERVICES,
  PIPELINE_SERVICES,
  PIPELINE_SERVICE_NAMES,
  REPO_ROOT,
  SANDBOXES,
  TOOL_INSTALL_TIMEOUT_MS,
  containerEnvironment,
  ensureDeployTools,
  appConfigSchema,
  environmentOf,
  findByComponent,
  loadComposeProject,
  renderChart,
  runTool,
  serviceOf,
  validateServiceEnvironment,
  type ComposeProject,
  type DeployTools,
  type Workload,
} from '../src/index.js';

let tools: DeployTools;
let project: ComposeProject;

beforeAll(async () => {
  tools = await ensureDeployTools();
  project = await loadComposeProject(tools, COMPOSE_FILE);
}, TOOL_INSTALL_TIMEOUT_MS);

const INFRASTRUCTURE = ['kafka', 'schema-registry', 'postgres', 'prometheus', 'grafana'];
const JOBS = ['create-topics', 'register-schemas', 'db-migrate'];
const sandboxNames = Object.keys(SANDBOXES).map((s) => `sandbox-${s}`);

describe('docker-compose.yml', () => {
  it('loads as Docker Compose loads it (schema, anchors, interpolation, dependencies)', () => {
    expect(project.name).toBe('pardot-x3');
    expect(Object.keys(project.services).sort()).toEqual(
      [...INFRASTRUCTURE, ...JOBS, ...sandboxNames, ...PIPELINE_SERVICE_NAMES].sort(),
    );
  });

  it('the loader rejects a broken file (the check can fail)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'px3-compose-')), 'docker-compose.yml');
    writeFileSync(
      file,
      readFileSync(COMPOSE_FILE, 'utf8').replace(
        'condition: service_completed_successfully',
        'condition: service_finished',
      ),
    );
    const result = await runTool(tools.composeCheck, [file]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/condition/);
  });

  it('lists every setting a user may change in deploy/.env.example, with the default the file uses', () => {
    const used = new Map(
      [...readFileSync(COMPOSE_FILE, 'utf8').matchAll(/\$\{(\w+):-([^}]*)\}/g)].map(
        ([, name = '', value = '']) => [name, value],
      ),
    );
    const documented = new Map(
      [...readFileSync(join(REPO_ROOT, 'deploy', '.env.example'), 'utf8').matchAll(/^# (\w+)=(.*)$/gm)].map(
        ([, name = '', value = '']) => [name, value],
      ),
    );
    expect(documented).toEqual(used);
  });

  it('pins every image to a version, and builds the pipeline image from the repository’s Dockerfile', () => {
    for (const [name, service] of Object.entries(project.services)) {
      if (service.build) continue;
      expect(service.image, name).toMatch(/^[\w./-]+:v?\d+\.\d+(\.\d+)?$/);
    }
    for (const name of [...PIPELINE_SERVICE_NAMES, ...JOBS, ...sandboxNames]) {
      const service = serviceOf(project, name);
      expect(service.build?.context, name).toBe(REPO_ROOT);
      expect(service.build?.dockerfile, name).toBe('Dockerfile');
    }
    const images = Object.fromEntries(
      INFRASTRUCTURE.map((n) => [n, serviceOf(project, n).image?.split(':')[0]]),
    );
    expect(images).toEqual({
      kafka: 'apache/kafka',
      'schema-registry': 'apicurio/apicurio-registry',
      postgres: 'postgres',
      prometheus: 'prom/prometheus',
      grafana: 'grafana/grafana',
    });
  });

  it('runs each service with its own command on port 8080, published on its conventional host port', () => {
    for (const [name, hostPort] of Object.entries(PIPELINE_SERVICES)) {
      const service = serviceOf(project, name);
      expect(service.command).toEqual([`apps/${name}/dist/main.js`]);
      expect(service.ports).toEqual([
        expect.objectContaining({ target: CONTAINER_PORT, published: String(hostPort) }),
      ]);
      expect(environmentOf(service)['PORT']).toBe(String(CONTAINER_PORT));
    }
    for (const [system, port] of Object.entries(SANDBOXES)) {
      const sandbox = serviceOf(project, `sandbox-${system}`);
      expect(sandbox.command).toEqual([`apps/sandbox-${system}/dist/main.js`]);
      expect(sandbox.ports).toEqual([expect.objectContaining({ target: port, published: String(port) })]);
      expect(environmentOf(sandbox)['PORT']).toBe(String(port));
    }
    const published = (name: string) => serviceOf(project, name).ports?.map((p) => p.published);
    expect(published('kafka')).toEqual(['9092']);
    expect(published('schema-registry')).toEqual(['8081']);
    expect(published('postgres')).toEqual(['5432']);
  });

  it('gives every service and sandbox an environment it accepts at boot, reaching the containers by name', async () => {
    for (const name of PIPELINE_SERVICE_NAMES) {
      const env = environmentOf(serviceOf(project, name));
      await validateServiceEnvironment(name, env);
      expect(env['KAFKA_BROKERS']).toBe('kafka:29092');
      expect(env['SCHEMA_REGISTRY_URL']).toBe('http://schema-registry:8080/apis/ccompat/v7');
      expect('DATABASE_URL' in env, name).toBe(DATABASE_SERVICES.includes(name));
      if (env['DATABASE_URL']) expect(new URL(env['DATABASE_URL']).host).toBe('postgres:5432');
    }
    for (const system of Object.keys(SANDBOXES)) {
      const app = `sandbox-${system}`;
      const env = environmentOf(serviceOf(project, app));
      loadConfig(app, await appConfigSchema(app), env);
      // On every interface of its container, so with an admin token other than the public default…
      expect(env['HOST']).toBe('0.0.0.0');
      expect(env['SANDBOX_ADMIN_TOKEN']).not.toBe('sandbox-admin-token');
      // …and published on the laptop's loopback only.
      expect(serviceOf(project, app).ports?.map((p) => p.host_ip)).toEqual(['127.0.0.1']);
    }
    for (const name of PIPELINE_SERVICE_NAMES)
      expect(environmentOf(serviceOf(project, name))['HOST'], name).toBe('0.0.0.0');
  });

  it('gives each service the same variables as the Helm chart does', async () => {
    // docker-compose signs in to the Salesforce sandbox with client credentials.
    const chart = await renderChart(tools, [CHART_MINIMAL_VALUES], {
      'connectors.salesforce.authFlow': 'client-credentials',
    });
    const chartOnly = new Set(['NODE_OPTIONS', 'DATABASE_POOL_SIZE', 'PX3_VERSION']);
    for (const name of PIPELINE_SERVICE_NAMES) {
      const [container] = findByComponent<Workload>(chart.objects, 'Deployment', name).spec.template.spec
        .containers;
      if (!container) throw new Error('no container');
      const inChart = Object.keys(containerEnvironment(chart.objects, container, () => 'x')).filter(
        (v) => !chartOnly.has(v),
      );
      expect(Object.keys(environmentOf(serviceOf(project, name))).sort(), name).toEqual(inChart.sort());
    }
  });

  it('points the connectors at the sandboxes', () => {
    const urls = Object.fromEntries(
      PIPELINE_SERVICE_NAMES.flatMap((name) => {
        const env = environmentOf(serviceOf(project, name));
        return ['SALESFORCE_LOGIN_URL', 'PARDOT_BASE_URL', 'X3_BASE_URL']
          .filter((v) => env[v])
          .map((v) => [v, env[v]]);
      }),
    );
    expect(urls).toEqual({
      SALESFORCE_LOGIN_URL: 'http://sandbox-salesforce:4100',
      PARDOT_BASE_URL: 'http://sandbox-pardot:4200',
      X3_BASE_URL: 'http://sandbox-x3:4300',
    });
  });

  it('starts nothing before what it needs is healthy, or done for the one-shot jobs', () => {
    const healthy = (name: string) => {
      const check = serviceOf(project, name).healthcheck;
      return check !== undefined && !check.disable && check.test.length > 0;
    };
    for (const [name, service] of Object.entries(project.services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        if (JOBS.includes(dependency))
          expect(condition, `${name} → ${dependency}`).toBe('service_completed_successfully');
        else {
          expect(condition, `${name} → ${dependency}`).toBe('service_healthy');
          expect(healthy(dependency), `${dependency} needs a healthcheck`).toBe(true);
        }
      }
    }
    for (const name of PIPELINE_SERVICE_NAMES) {
      expect(Object.keys(serviceOf(project, name).depends_on ?? {})).toEqual(
        expect.arrayContaining(['register-schemas', 'db-migrate']),
      );
      expect(serviceOf(project, name).healthcheck?.test.join(' ')).toContain('/health/ready');
    }
    expect(serviceOf(project, 'register-schemas').depends_on).toMatchObject({
      'create-topics': { condition: 'service_completed_successfully' },
      'schema-registry': { condition: 'service_healthy' },
    });
  });

  it('runs the services as the image’s non-root user on a read-only file system, stopped slower than they drain', () => {
    for (const name of PIPELINE_SERVICE_NAMES) {
      const service = serviceOf(project, name);
      expect(service.user ?? '', name).toBe('');
      expect(service.read_only).toBe(true);
      expect(service.init).toBe(true);
      const grace = Number(service.stop_grace_period?.replace(/s$/, ''));
      expect(grace * 1000).toBeGreaterThan(Number(environmentOf(service)['SHUTDOWN_GRACE_MS']));
    }
  });

  it('runs Kafka with the local stack’s broker settings (libs/ops/local-stack)', () => {
    const source = readFileSync(
      join(REPO_ROOT, 'libs', 'ops', 'local-stack', 'src', 'components', 'kafka.component.ts'),
      'utf8',
    );
    // The fixed lines of the generated server.properties; listeners, addresses and folders differ by design.
    const localStack = [...source.matchAll(/^\s*'([a-z][a-z0-9.]*)=([^'$]*)',$/gm)].map(
      ([, key = '', value = '']): [string, string] => [key, value],
    );
    expect(localStack.length).toBeGreaterThan(10);
    const env = environmentOf(serviceOf(project, 'kafka'));
    const topology = new Set([
      'process.roles',
      'node.id',
      'controller.listener.names',
      'inter.broker.listener.name',
      'listener.security.protocol.map',
    ]);
    for (const [key, value] of localStack) {
      if (topology.has(key)) continue;
      expect(env[`KAFKA_${key.replaceAll('.', '_').toUpperCase()}`], key).toBe(value);
    }
    expect(env['KAFKA_AUTO_CREATE_TOPICS_ENABLE']).toBe('false');
    expect(env['KAFKA_PROCESS_ROLES']).toBe('broker,controller');
  });

  it('keeps data in named volumes, PostgreSQL 18 at /var/lib/postgresql, and the registry in PostgreSQL', () => {
    const volume = (name: string) => serviceOf(project, name).volumes?.find((v) => v.type === 'volume');
    expect(volume('kafka')?.target).toBe('/var/lib/kafka/data');
    expect(volume('postgres')?.target).toBe('/var/lib/postgresql');
    expect(volume('prometheus')?.target).toBe('/prometheus');
    expect(volume('grafana')?.target).toBe('/var/lib/grafana');
    const registry = environmentOf(serviceOf(project, 'schema-registry'));
    expect(registry).toMatchObject({ APICURIO_STORAGE_KIND: 'sql', APICURIO_STORAGE_SQL_KIND: 'postgresql' });
    const database = registry['APICURIO_DATASOURCE_URL']?.split('/').at(-1);
    const init = serviceOf(project, 'postgres').volumes?.find(
      (v) => v.target === '/docker-entrypoint-initdb.d',
    );
    expect(init?.read_only).toBe(true);
    expect(readFileSync(join(init?.source ?? '', '10-apicurio-registry.sql'), 'utf8')).toContain(
      `CREATE DATABASE ${database};`,
    );
  });

  it('provisions Grafana with the chart’s dashboards and Prometheus with the chart’s rules', () => {
    const bind = (service: string, target: string) =>
      serviceOf(project, service).volumes?.find((v) => v.target === target)?.source ?? '';
    expect(realpathSync(bind('grafana', '/etc/grafana/dashboards/pardot-x3'))).toBe(
      realpathSync(DASHBOARDS_DIR),
    );
    expect(realpathSync(bind('prometheus', '/etc/prometheus/rules'))).toBe(
      realpathSync(join(REPO_ROOT, 'helm', 'pardot-x3', 'files', 'prometheus')),
    );
    const provider = readFileSync(
      join(bind('grafana', '/etc/grafana/provisioning'), 'dashboards', 'pardot-x3.yml'),
      'utf8',
    );
    expect(provider).toContain('path: /etc/grafana/dashboards/pardot-x3');
  });
});
