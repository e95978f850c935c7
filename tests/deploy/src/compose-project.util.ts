import { runToolOrThrow, type DeployTools } from './deploy-tools.util.js';

/** The parts of a resolved compose project (as `docker compose config --format json` prints it) these tests read. */
export interface ComposeService {
  readonly image?: string;
  readonly build?: { readonly context: string; readonly dockerfile: string };
  readonly command?: string[] | null;
  readonly environment?: Record<string, string | null>;
  readonly ports?: {
    readonly target: number;
    readonly published: string;
    readonly protocol?: string;
    readonly host_ip?: string;
  }[];
  readonly depends_on?: Record<string, { readonly condition: string }>;
  readonly healthcheck?: { readonly test: string[]; readonly disable?: boolean };
  readonly volumes?: {
    readonly type: string;
    readonly source: string;
    readonly target: string;
    readonly read_only?: boolean;
  }[];
  readonly read_only?: boolean;
  readonly init?: boolean;
  readonly user?: string;
  readonly stop_grace_period?: string;
  readonly restart?: string;
}

export interface ComposeProject {
  readonly name: string;
  readonly services: Record<string, ComposeService>;
  readonly volumes?: Record<string, unknown>;
}

/**
 * Loads a compose file with Docker Compose's own loader (compose-go, through deploy/tools/compose-check):
 * schema validation, anchors and merge keys, interpolation with the given environment, consistency.
 */
export async function loadComposeProject(tools: DeployTools, file: string): Promise<ComposeProject> {
  return JSON.parse(await runToolOrThrow(tools.composeCheck, [file])) as ComposeProject;
}

export function serviceOf(project: ComposeProject, name: string): ComposeService {
  const service = project.services[name];
  if (!service) throw new Error(`docker-compose has no service ${name}`);
  return service;
}

/** Environment of a compose service with unset (null) values dropped. */
export function environmentOf(service: ComposeService): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).filter((entry): entry is [string, string] => entry[1] !== null),
  );
}
