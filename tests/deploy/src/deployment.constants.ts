import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (tests/deploy/src → ../../..). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const CHART_DIR = join(REPO_ROOT, 'helm', 'pardot-x3');
export const CHART_MINIMAL_VALUES = join(CHART_DIR, 'ci', 'minimal-values.yaml');
export const CHART_FULL_VALUES = join(CHART_DIR, 'ci', 'full-values.yaml');
export const DASHBOARDS_DIR = join(CHART_DIR, 'files', 'dashboards');
export const RULES_FILE = join(CHART_DIR, 'files', 'prometheus', 'pardot-x3.rules.yml');
export const COMPOSE_FILE = join(REPO_ROOT, 'deploy', 'docker-compose.yml');
export const PROMETHEUS_CONFIG = join(REPO_ROOT, 'deploy', 'prometheus', 'prometheus.yml');
export const OBSERVABILITY_DOC = join(REPO_ROOT, 'docs', 'observability.md');
export const OPERATIONS_DOC = join(REPO_ROOT, 'docs', 'operations.md');
export const DOCKERFILE = join(REPO_ROOT, 'Dockerfile');
export const DOCKERIGNORE = join(REPO_ROOT, '.dockerignore');

/** Kubernetes version whose schemas validate the rendered chart (the newest kubectl-validate embeds). */
export const VALIDATED_KUBERNETES_VERSION = '1.30';

/** The six pipeline services (apps/<name>), the port each has on a developer machine (docs/conventions.md). */
export const PIPELINE_SERVICES = {
  'salesforce-ingest': 3001,
  'x3-ingest': 3002,
  transformer: 3003,
  mdm: 3004,
  'pardot-writer': 3005,
  'x3-order-writer': 3006,
} as const;
export type PipelineService = keyof typeof PIPELINE_SERVICES;
export const PIPELINE_SERVICE_NAMES = Object.keys(PIPELINE_SERVICES) as PipelineService[];

/** Services that keep state in PostgreSQL and so get DATABASE_URL; the others must not. */
export const DATABASE_SERVICES: readonly PipelineService[] = [
  'salesforce-ingest',
  'x3-ingest',
  'mdm',
  'pardot-writer',
  'x3-order-writer',
];

/** The three sandboxes (apps/sandbox-<system>) and their ports. */
export const SANDBOXES = { salesforce: 4100, pardot: 4200, x3: 4300 } as const;

/** Port every service listens on inside its container. */
export const CONTAINER_PORT = 8080;

/** Base of every alert's runbook link: docs/operations.md on the project's main branch. */
export const RUNBOOK_BASE_URL = 'https://github.com/pardot-x3/pardot-x3/blob/main/docs/operations.md';
