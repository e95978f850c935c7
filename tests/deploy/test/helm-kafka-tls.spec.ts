import { beforeAll, describe, expect, it } from 'vitest';
import {
  CHART_FULL_VALUES,
  CHART_MINIMAL_VALUES,
  PIPELINE_SERVICE_NAMES,
  TOOL_INSTALL_TIMEOUT_MS,
  component,
  containerEnvironment,
  ensureDeployTools,
  findByComponent,
  objectsOfKind,
  renderChart,
  renderChartResult,
  validateManifests,
  type DeployTools,
  type KubeObject,
  type Workload,
} from '../src/index.js';

interface PodVolumes {
  readonly volumes?: { name: string; secret?: { secretName: string }; configMap?: { name: string } }[];
  readonly containers: { volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[] }[];
}

let tools: DeployTools;

beforeAll(async () => {
  tools = await ensureDeployTools();
}, TOOL_INSTALL_TIMEOUT_MS);

const TLS = {
  'kafka.brokers': 'kafka-0.kafka:9094',
  'kafka.ssl': true,
  'kafka.sasl.mechanism': 'scram-sha-512',
  'kafka.sasl.username': 'pardot-x3',
};

function secretValue(_secret: string, key: string): string {
  return key === 'database-url' ? 'postgres://u:p@db:5432/px3' : `value-of-${key}`;
}

/** The pods that talk to Kafka: the services and the hook Jobs (the sandboxes do not). */
function podsOf(objects: readonly KubeObject[]): { name: string; spec: PodVolumes }[] {
  return [...objectsOfKind<Workload>(objects, 'Deployment'), ...objectsOfKind<Workload>(objects, 'Job')]
    .map((w) => ({
      name: component(w) ?? w.metadata.name,
      spec: w.spec.template.spec as unknown as PodVolumes,
    }))
    .filter((pod) => !pod.name.startsWith('sandbox-'));
}

describe('Kafka over TLS and SASL in the chart', () => {
  it('mounts kafka.ca from a Secret in every service and hook Job, and names it in KAFKA_SSL_CA_FILE beside the SASL settings', async () => {
    const { objects, yaml } = await renderChart(tools, [CHART_FULL_VALUES], {
      ...TLS,
      'kafka.ca.secretName': 'kafka-cluster-ca',
    });
    const pods = podsOf(objects);
    expect(pods.length).toBeGreaterThan(PIPELINE_SERVICE_NAMES.length);
    for (const { name, spec } of pods) {
      expect(spec.volumes, name).toContainEqual(
        expect.objectContaining({
          name: 'kafka-ca',
          secret: expect.objectContaining({ secretName: 'kafka-cluster-ca' }),
        }),
      );
      for (const container of spec.containers)
        expect(container.volumeMounts, name).toContainEqual({
          name: 'kafka-ca',
          mountPath: '/etc/pardot-x3/kafka-ca',
          readOnly: true,
        });
    }
    for (const service of PIPELINE_SERVICE_NAMES) {
      const deployment = findByComponent<Workload>(objects, 'Deployment', service);
      const container = deployment.spec.template.spec.containers[0];
      if (!container) throw new Error(`no container in ${service}`);
      expect(containerEnvironment(objects, container, secretValue), service).toMatchObject({
        KAFKA_BROKERS: 'kafka-0.kafka:9094',
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: '/etc/pardot-x3/kafka-ca/ca.crt',
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'pardot-x3',
        // From the Secret (key kafka-sasl-password), never in a ConfigMap.
        KAFKA_SASL_PASSWORD: 'value-of-kafka-sasl-password',
      });
    }
    const configMaps = objectsOfKind(objects, 'ConfigMap');
    expect(configMaps.some((c) => Object.keys(c.data ?? {}).includes('KAFKA_SASL_PASSWORD'))).toBe(false);
    const validation = await validateManifests(tools, yaml);
    expect(validation.stderr + validation.stdout).not.toMatch(/error/i);
    expect(validation.code).toBe(0);
  });

  it('takes the CA from a ConfigMap and another key, too', async () => {
    const { objects } = await renderChart(tools, [CHART_FULL_VALUES], {
      ...TLS,
      'kafka.ca.configMapName': 'kafka-ca-bundle',
      'kafka.ca.key': 'ca-bundle.pem',
    });
    const pods = podsOf(objects);
    for (const { name, spec } of pods)
      expect(spec.volumes, name).toContainEqual(
        expect.objectContaining({
          name: 'kafka-ca',
          configMap: expect.objectContaining({ name: 'kafka-ca-bundle' }),
        }),
      );
    const mdm = findByComponent<Workload>(objects, 'Deployment', 'mdm').spec.template.spec.containers[0];
    if (!mdm) throw new Error('no mdm container');
    expect(containerEnvironment(objects, mdm, secretValue)['KAFKA_SSL_CA_FILE']).toBe(
      '/etc/pardot-x3/kafka-ca/ca-bundle.pem',
    );
  });

  it('mounts nothing and sets no KAFKA_SSL_CA_FILE without kafka.ca', async () => {
    const { objects } = await renderChart(tools, [CHART_MINIMAL_VALUES]);
    for (const { name, spec } of podsOf(objects))
      expect(spec.volumes?.map((v) => v.name) ?? [], name).not.toContain('kafka-ca');
    for (const configMap of objectsOfKind(objects, 'ConfigMap'))
      expect(Object.keys(configMap.data ?? {})).not.toContain('KAFKA_SSL_CA_FILE');
  });

  it.each([
    [
      'a CA without kafka.ssl',
      { 'kafka.ca.secretName': 'kafka-ca' },
      /kafka\.ca is set but kafka\.ssl is false/,
    ],
    [
      'a CA from both a Secret and a ConfigMap',
      { 'kafka.ssl': true, 'kafka.ca.secretName': 'a', 'kafka.ca.configMapName': 'b' },
      /kafka\.ca: set secretName or configMapName, not both/,
    ],
    [
      'a misspelt CA key',
      { 'kafka.ca.secret': 'kafka-ca' },
      /at '\/kafka\/ca': additional properties 'secret' not allowed/,
    ],
  ])('refuses %s', async (_what, set, message) => {
    const result = await renderChartResult(tools, [CHART_MINIMAL_VALUES], set);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });
});
