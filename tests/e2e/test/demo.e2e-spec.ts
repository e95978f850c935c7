import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findRepositoryRoot, isAlive } from '@pardot-x3/local-stack';
import { stackEnv } from '@pardot-x3/testing';

/**
 * The README's first command, as a user runs it: `./pardot-x3 demo` starts the sandboxes and the six
 * services as background processes, changes one X3 customer and follows it to its golden record and its
 * Pardot prospect; `./pardot-x3 demo down` stops everything it started. Here on shifted ports and its
 * own state folder, against the test run's Kafka, registry and PostgreSQL.
 */
const ROOT = findRepositoryRoot();
const HOME = mkdtempSync(join(tmpdir(), 'px3-demo-e2e-'));
const ENV = { ...process.env, ...stackEnv(), PX3_STACK_HOME: HOME, PX3_PORT_OFFSET: '22000' };

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'apps', 'ops-cli', 'dist', 'main.js'), ...args], {
      cwd: ROOT,
      env: ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Pids recorded by the demo for its background processes (sandboxes and services). */
function recordedPids(): number[] {
  return ['sandboxes', 'services'].flatMap((group) => {
    const dir = join(HOME, group);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith('.pid'))
      .map((f) => Number(readFileSync(join(dir, f), 'utf8').trim()));
  });
}

describe('./pardot-x3 demo', () => {
  let pids: number[] = [];

  afterAll(async () => {
    await run(['demo', 'down']);
    if (!process.env['E2E_KEEP_DEMO']) rmSync(HOME, { recursive: true, force: true });
  });

  it('starts the pipeline and follows an X3 change to the golden record and the Pardot prospect', async () => {
    const result = await run(['demo', '--no-build']);
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    expect(result.stdout).toMatch(
      /golden record in mdm after \d+\.\d s, Pardot prospect written after \d+\.\d s/,
    );
    expect(result.stdout).toMatch(
      /PATCH \/api\/v5\/objects\/prospects\/\d+ → HTTP 200|POST \/api\/v5\/objects\/prospects\/do\/upsertLatestByEmail → HTTP 20[01]/,
    );
    const [, apiKey = '', goldenUrl] =
      /curl -H 'X-API-Key: (px3k_[\w-]+)' (http:\/\/127\.0\.0\.1:\d+\/golden-customers\/[0-9a-f-]+)\/explanation/.exec(
        result.stdout,
      ) ?? [];
    expect(goldenUrl).toBeDefined();
    // Never an open door: the printed local key is needed, and works.
    expect((await fetch(`${goldenUrl}/explanation`)).status).toBe(401);
    const explanation = (await (
      await fetch(`${goldenUrl}/explanation`, { headers: { 'x-api-key': apiKey } })
    ).json()) as {
      fields: { field: string; explanation: string }[];
    };
    expect(explanation.fields.find((f) => f.field === 'address')?.explanation).toMatch(/X3/);
    pids = recordedPids();
    expect(pids).toHaveLength(9);
    expect(pids.every(isAlive)).toBe(true);
  });

  it("restarts one service in the demo's namespace and database with services up <name> (issue 10)", async () => {
    expect((await run(['services', 'down', 'pardot-writer'])).code).toBe(0);
    const up = await run(['services', 'up', '--no-build', 'pardot-writer']);
    expect(up.code, up.stderr.slice(-3000)).toBe(0);
    expect(up.stderr).toContain('namespace "demo.", database pardot_x3_demo, quick polling');
    const pid = readFileSync(join(HOME, 'services', 'pardot-writer.pid'), 'utf8').trim();
    const environment = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    expect(environment).toContain('PX3_TOPIC_NAMESPACE=demo.');
    expect(environment.find((v) => v.startsWith('DATABASE_URL='))).toMatch(/\/pardot_x3_demo(\?|$)/);
    expect(environment).toContain('CUSTOMER_WRITE_COALESCING_MS=1000');
    pids = recordedPids();
    expect(pids.every(isAlive)).toBe(true);
  });

  it('stops every process it started with demo down', async () => {
    const result = await run(['demo', 'down']);
    expect(result.code, result.stderr).toBe(0);
    expect(pids.filter(isAlive)).toEqual([]);
  });
});
