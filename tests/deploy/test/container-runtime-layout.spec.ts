import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOCKERFILE, PIPELINE_SERVICE_NAMES, REPO_ROOT, SANDBOXES, runTool } from '../src/index.js';

/**
 * The image's /app without Docker: the Dockerfile's own layout step (the build stage's RUN that fills
 * /runtime) is run against this checkout's built projects into a temporary folder, and node_modules is
 * laid out as `npm ci` lays it out there (workspace packages as relative links into that folder). Then
 * each program the chart and docker-compose start is started from that folder, as the image would.
 */
let app: string;

beforeAll(async () => {
  const missing = [
    'apps/ops-cli/dist/main.js',
    ...PIPELINE_SERVICE_NAMES.map((s) => `apps/${s}/dist/main.js`),
  ].filter((file) => !existsSync(join(REPO_ROOT, file)));
  if (missing.length > 0) {
    throw new Error(
      `build first (npx nx run-many -t build, as ./pardot-x3 test does); missing: ${missing.join(', ')}`,
    );
  }
  const root = mkdtempSync(join(tmpdir(), 'px3-image-'));
  app = join(root, 'runtime');
  const dockerfile = readFileSync(DOCKERFILE, 'utf8').replace(/\\\n/g, ' ');
  const layoutStep = /^RUN (mkdir -p \/runtime .*)$/m.exec(dockerfile)?.[1];
  if (!layoutStep) throw new Error('the Dockerfile has no RUN step filling /runtime');
  const result = await runTool('sh', ['-c', layoutStep.replaceAll('/runtime', app)]);
  if (result.code !== 0) throw new Error(`the layout step failed: ${result.stderr}`);
  layOutNodeModules(app);
}, 60_000);

/** Third-party packages link to this checkout's; @pardot-x3/* link into the copied tree, as npm does. */
function layOutNodeModules(target: string): void {
  const source = join(REPO_ROOT, 'node_modules');
  const modules = join(target, 'node_modules');
  mkdirSync(join(modules, '@pardot-x3'), { recursive: true });
  for (const entry of readdirSync(source)) {
    if (entry === '@pardot-x3' || entry.startsWith('.')) continue;
    symlinkSync(join(source, entry), join(modules, entry));
  }
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { resolved?: string; link?: boolean }>;
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path.startsWith('node_modules/@pardot-x3/') || !entry.link || !entry.resolved) continue;
    const link = join(target, path);
    symlinkSync(relative(dirname(link), join(target, entry.resolved)), link);
  }
}

function start(program: string, args: string[], env: Record<string, string>) {
  // Only what a container would have: no KAFKA_BROKERS or DATABASE_URL from the test's own environment.
  return runTool('sh', [
    '-c',
    `cd "${app}" && exec env -i PATH="$PATH" NODE_ENV=production ${envAssignments(env)} node ${program} ${args.join(' ')}`,
  ]);
}

function envAssignments(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([k, v]) => `${k}='${v}'`)
    .join(' ');
}

describe('the image’s /app layout', () => {
  it('holds each workspace’s package.json and dist/, the topic catalog and the mapping templates, and no sources', () => {
    expect(existsSync(join(app, 'package.json'))).toBe(true);
    expect(existsSync(join(app, 'apps', 'mdm', 'dist', 'main.js'))).toBe(true);
    expect(existsSync(join(app, 'libs', 'platform', 'config', 'dist', 'index.js'))).toBe(true);
    expect(existsSync(join(app, 'apps', 'mdm', 'src'))).toBe(false);
    for (const folder of ['config', 'schemas'].filter((f) => existsSync(join(REPO_ROOT, f)))) {
      expect(existsSync(join(app, folder)), folder).toBe(true);
    }
  });

  it('runs the operations CLI the hook Jobs call', async () => {
    const result = await start('apps/ops-cli/dist/main.js', ['--help'], {});
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Usage: pardot-x3/);
  }, 60_000);

  it.each(PIPELINE_SERVICE_NAMES)(
    'loads %s with every module it imports, up to its configuration check (exit 78 without settings)',
    async (service) => {
      const result = await start(`apps/${service}/dist/main.js`, [], {});
      expect(result.stderr).toMatch(new RegExp(`^${service}: the configuration is not valid`, 'm'));
      expect(result.stderr).toContain('KAFKA_BROKERS is required but not set');
      expect(result.code).toBe(78);
    },
    60_000,
  );

  it.each(Object.keys(SANDBOXES))(
    'loads sandbox-%s with every module it imports, up to its configuration check',
    async (system) => {
      const result = await start(`apps/sandbox-${system}/dist/main.js`, [], { PORT: 'not-a-port' });
      expect(result.stderr).toMatch(/configuration is not valid/);
      expect(result.stderr).toMatch(/PORT/);
      expect(result.code).toBe(78);
    },
    60_000,
  );
});
