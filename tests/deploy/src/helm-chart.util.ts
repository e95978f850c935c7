import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CHART_DIR, VALIDATED_KUBERNETES_VERSION } from './deployment.constants.js';
import { runTool, runToolOrThrow, type DeployTools, type ToolResult } from './deploy-tools.util.js';

/** The parts of a Kubernetes object these tests read. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly spec?: Record<string, unknown>;
  readonly data?: Record<string, string>;
  readonly stringData?: Record<string, string>;
  readonly automountServiceAccountToken?: boolean;
}

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly secretKeyRef?: { readonly name: string; readonly key: string };
    readonly fieldRef?: { readonly fieldPath: string };
  };
}

export interface HttpProbe {
  readonly httpGet?: { readonly path: string; readonly port: string | number };
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly args?: string[];
  readonly env?: EnvVar[] | null;
  readonly envFrom?: { readonly configMapRef?: { readonly name: string } }[];
  readonly ports?: { readonly name?: string; readonly containerPort: number }[];
  readonly livenessProbe?: HttpProbe;
  readonly readinessProbe?: HttpProbe;
  readonly startupProbe?: HttpProbe;
  readonly securityContext?: Record<string, unknown>;
  readonly resources?: Record<string, unknown>;
}

export interface PodSpec {
  readonly serviceAccountName?: string;
  readonly automountServiceAccountToken?: boolean;
  readonly terminationGracePeriodSeconds?: number;
  readonly securityContext?: Record<string, unknown>;
  readonly containers: Container[];
  readonly initContainers?: Container[];
}

export interface Workload extends KubeObject {
  readonly spec: {
    readonly replicas?: number;
    readonly template: {
      readonly metadata: { readonly labels: Record<string, string> };
      readonly spec: PodSpec;
    };
  };
}

export interface RenderedChart {
  readonly objects: KubeObject[];
  readonly yaml: string;
}

/** `--set` overrides: strings are passed with --set-string, numbers and booleans typed. */
export type ChartOverrides = Record<string, string | number | boolean>;

export const RELEASE = 'px3';
export const NAMESPACE = 'integration';

/** `helm template` with the given values files and --set pairs; throws with Helm's message on failure. */
export async function renderChart(
  tools: DeployTools,
  valuesFiles: readonly string[],
  set: ChartOverrides = {},
): Promise<RenderedChart> {
  const yaml = await runToolOrThrow(tools.helm, templateArgs(valuesFiles, set));
  return { yaml, objects: parseManifests(yaml) };
}

/** `helm template` whose failure is expected: returns Helm's exit code and message. */
export function renderChartResult(
  tools: DeployTools,
  valuesFiles: readonly string[],
  set: ChartOverrides = {},
): Promise<ToolResult> {
  return runTool(tools.helm, templateArgs(valuesFiles, set));
}

function templateArgs(valuesFiles: readonly string[], set: ChartOverrides): string[] {
  return [
    'template',
    RELEASE,
    CHART_DIR,
    '--namespace',
    NAMESPACE,
    '--kube-version',
    `${VALIDATED_KUBERNETES_VERSION}.0`,
    ...valuesFiles.flatMap((file) => ['--values', file]),
    ...Object.entries(set).flatMap(([key, value]) => [
      typeof value === 'string' ? '--set-string' : '--set',
      `${key}=${value}`,
    ]),
  ];
}

export function parseManifests(yaml: string): KubeObject[] {
  return parseAllDocuments(yaml)
    .map((doc) => doc.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null && typeof o === 'object');
}

/** Validates rendered manifests against the Kubernetes and Prometheus Operator schemas, offline. */
export async function validateManifests(tools: DeployTools, yaml: string): Promise<ToolResult> {
  const dir = mkdtempSync(join(tmpdir(), 'px3-manifests-'));
  const file = join(dir, 'rendered.yaml');
  writeFileSync(file, yaml);
  return runTool(tools.kubectlValidate, [
    file,
    '--version',
    VALIDATED_KUBERNETES_VERSION,
    '--local-crds',
    tools.crdsDir,
  ]);
}

export function objectsOfKind<T extends KubeObject = KubeObject>(
  objects: readonly KubeObject[],
  kind: string,
): T[] {
  return objects.filter((o) => o.kind === kind) as T[];
}

export function component(object: KubeObject): string | undefined {
  return object.metadata.labels?.['app.kubernetes.io/component'];
}

export function findByComponent<T extends KubeObject = KubeObject>(
  objects: readonly KubeObject[],
  kind: string,
  name: string,
): T {
  const found = objectsOfKind<T>(objects, kind).find((o) => component(o) === name);
  if (!found) throw new Error(`no ${kind} for component ${name}`);
  return found;
}

/**
 * The environment a service container starts with: its ConfigMap (envFrom) plus its env list, with
 * secret references replaced by `secretValue(secretName, key)`.
 */
export function containerEnvironment(
  objects: readonly KubeObject[],
  container: Container,
  secretValue: (secret: string, key: string) => string,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const name = source.configMapRef?.name;
    const configMap = objectsOfKind(objects, 'ConfigMap').find((c) => c.metadata.name === name);
    if (!configMap) throw new Error(`container ${container.name} reads the missing ConfigMap ${name}`);
    Object.assign(env, configMap.data);
  }
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (ref) env[variable.name] = secretValue(ref.name, ref.key);
  }
  return env;
}
