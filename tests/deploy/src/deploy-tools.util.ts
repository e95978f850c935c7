import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './deployment.constants.js';

const execFileAsync = promisify(execFile);

/** The pinned verification tools that deploy/tools/ensure-tools.sh installs. */
export interface DeployTools {
  readonly helm: string;
  readonly kubectlValidate: string;
  readonly promtool: string;
  readonly composeCheck: string;
  readonly dockerfileCheck: string;
  /** CRDs of the Prometheus Operator (ServiceMonitor, PrometheusRule) for kubectl-validate. */
  readonly crdsDir: string;
}

export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Generous: the first install on a fresh machine builds the tools from the Go module proxy. */
export const TOOL_INSTALL_TIMEOUT_MS = 30 * 60_000;

let installing: Promise<DeployTools> | undefined;

/** Installs the tools once per machine (cached in .cache/tools) and once per test worker. */
export function ensureDeployTools(): Promise<DeployTools> {
  installing ??= (async () => {
    const script = join(REPO_ROOT, 'deploy', 'tools', 'ensure-tools.sh');
    const { stdout } = await execFileAsync('bash', [script], {
      cwd: REPO_ROOT,
      maxBuffer: 16 * 1024 * 1024,
      timeout: TOOL_INSTALL_TIMEOUT_MS,
    });
    const bin = stdout.trim().split('\n').at(-1);
    if (!bin) throw new Error(`${script} printed no bin folder`);
    return {
      helm: join(bin, 'helm'),
      kubectlValidate: join(bin, 'kubectl-validate'),
      promtool: join(bin, 'promtool'),
      composeCheck: join(bin, 'compose-check'),
      dockerfileCheck: join(bin, 'dockerfile-check'),
      crdsDir: join(bin, '..', 'crds'),
    };
  })();
  return installing;
}

/** Runs a tool without a shell; a non-zero exit is returned, not thrown, so tests can assert on it. */
export async function runTool(command: string, args: readonly string[], input?: string): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Like runTool, but a failure throws with the tool's own output. */
export async function runToolOrThrow(
  command: string,
  args: readonly string[],
  input?: string,
): Promise<string> {
  const result = await runTool(command, args, input);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited with ${result.code}:\n${result.stderr}\n${result.stdout}`,
    );
  }
  return result.stdout;
}
