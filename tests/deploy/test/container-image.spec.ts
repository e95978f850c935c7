import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICE_MALLOC_ENVIRONMENT } from '@pardot-x3/local-pipeline';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DOCKERFILE,
  DOCKERIGNORE,
  PIPELINE_SERVICE_NAMES,
  REPO_ROOT,
  SANDBOXES,
  TOOL_INSTALL_TIMEOUT_MS,
  ensureDeployTools,
  runToolOrThrow,
  type DeployTools,
} from '../src/index.js';

interface LintReport {
  warnings: { ruleName: string; detail: string }[] | null;
  buildError?: { message: string };
}

let tools: DeployTools;

beforeAll(async () => {
  tools = await ensureDeployTools();
}, TOOL_INSTALL_TIMEOUT_MS);

async function buildKitCheck(file: string): Promise<LintReport> {
  return JSON.parse(await runToolOrThrow(tools.dockerfileCheck, [file])) as LintReport;
}

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}
interface Stage {
  readonly from: string;
  readonly name: string;
  readonly instructions: Instruction[];
}

/** Dockerfile instructions per stage: comments dropped, continuation lines joined. */
function parseDockerfile(text: string): { args: Map<string, string>; stages: Stage[] } {
  const logical = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword = '', rest = ''] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args: rest };
    if (instruction.keyword === 'FROM') {
      const [, from = '', name = ''] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest) ?? [];
      stages.push({ from, name, instructions: [] });
    } else if (stages.length === 0 && instruction.keyword === 'ARG') {
      const [name = '', value = ''] = rest.split('=');
      args.set(name, value);
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { args, stages };
}

const BUILTINS = new Set(builtinModules);

/** TypeScript sources that are built into dist/ (tests and generated type stubs excluded). */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return ['node_modules', 'dist', 'test'].includes(entry.name) ? [] : sourceFiles(path);
    return /\.ts$/.test(entry.name) &&
      !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry.name) &&
      !entry.name.endsWith('.d.ts')
      ? [path]
      : [];
  });
}

/** Module specifiers a compiled file still loads: static and dynamic imports and re-exports, not `import type`. */
function runtimeImports(source: string): string[] {
  const specifiers: string[] = [];
  for (const [, clause = '', specifier = ''] of source.matchAll(
    /^\s*(?:import|export)\s+([^'";]*?)\s*from\s+['"]([^'"]+)['"]/gm,
  )) {
    if (/^type\s/.test(clause)) continue;
    specifiers.push(specifier);
  }
  for (const [, specifier = ''] of source.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm))
    specifiers.push(specifier);
  for (const [, specifier = ''] of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g))
    specifiers.push(specifier);
  return specifiers;
}

const { args, stages } = parseDockerfile(readFileSync(DOCKERFILE, 'utf8'));
const stage = (name: string): Stage => {
  const found = stages.find((s) => s.name === name);
  if (!found) throw new Error(`no stage ${name}`);
  return found;
};
const runs = (s: Stage) => s.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
const runtime = stages.at(-1);

describe('Dockerfile', () => {
  it('passes BuildKit’s own checks (the rules of docker build --check), which do catch a bad Dockerfile', async () => {
    const report = await buildKitCheck(DOCKERFILE);
    expect(report.buildError).toBeUndefined();
    expect(report.warnings ?? []).toEqual([]);
    const bad = join(mkdtempSync(join(tmpdir(), 'px3-dockerfile-')), 'Dockerfile');
    writeFileSync(bad, 'from node:24 as build\nENV API_TOKEN=x\nCMD node main.js\n');
    expect((await buildKitCheck(bad)).warnings?.map((w) => w.ruleName).sort()).toEqual([
      'ConsistentInstructionCasing',
      'JSONArgsRecommended',
      'SecretsUsedInArgOrEnv',
    ]);
  });

  it('builds on Node.js 24 LTS (slim), at the version package.json requires, in every stage', () => {
    const version = args.get('NODE_VERSION') ?? '';
    expect(version).toMatch(/^24\.\d+\.\d+$/);
    const engines = (
      JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }
    ).engines.node;
    const [minMajor = 0, minMinor = 0] = (/>=\s*(\d+)\.(\d+)/.exec(engines) ?? []).slice(1).map(Number);
    const [major = 0, minor = 0] = version.split('.').map(Number);
    expect(
      major > minMajor || (major === minMajor && minor >= minMinor),
      `${version} satisfies ${engines}`,
    ).toBe(true);
    for (const s of stages) expect(s.from).toBe('node:${NODE_VERSION}-trixie-slim');
  });

  it('installs with the lock file and builds every project with Nx', () => {
    expect(runs(stage('build')).some((r) => r.includes('npm ci'))).toBe(true);
    expect(runs(stage('build')).some((r) => r.includes('nx run-many -t build'))).toBe(true);
    const production = runs(stage('production-dependencies')).join(' ');
    expect(production).toMatch(/npm ci .*--omit=dev/);
    expect(production).toContain('--ignore-scripts');
  });

  it('ships only what runs: production node_modules and the built projects, no sources or dev tools', () => {
    const copies = runtime?.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args) ?? [];
    expect(copies).toEqual([
      '--from=production-dependencies /app/node_modules ./node_modules',
      '--from=build /runtime/ ./',
    ]);
    const layout = runs(stage('build')).find((r) => r.includes('/runtime')) ?? '';
    for (const part of ['package.json', 'dist', 'schemas', 'config']) expect(layout).toContain(part);
  });

  it('runs as the unprivileged user node, with node as the entry point and the service chosen by the command', () => {
    const last = (keyword: string) => runtime?.instructions.filter((i) => i.keyword === keyword).at(-1)?.args;
    expect(last('USER')).toBe('node');
    expect(JSON.parse(last('ENTRYPOINT') ?? 'null')).toEqual(['node']);
    expect(JSON.parse(last('CMD') ?? 'null')).toEqual(['apps/ops-cli/dist/main.js', '--help']);
    expect(last('ENV')).toBe('NODE_ENV=production');
  });

  it("sets glibc's allocator as the local launchers do (SERVICE_MALLOC_ENVIRONMENT, docs/decisions/0132)", () => {
    const env = (runtime?.instructions ?? [])
      .filter((i) => i.keyword === 'ENV')
      .flatMap((i) => i.args.split(/\s+/))
      .map((pair) => pair.split('='));
    expect(Object.fromEntries(env.filter(([k]) => k?.startsWith('MALLOC_')))).toEqual(
      SERVICE_MALLOC_ENVIRONMENT,
    );
  });

  it('bakes no secret into the image', () => {
    for (const s of stages) {
      for (const i of s.instructions.filter((x) => x.keyword === 'ARG' || x.keyword === 'ENV')) {
        expect(i.args).not.toMatch(/PASSWORD|SECRET|TOKEN|PRIVATE_KEY|DATABASE_URL/i);
      }
    }
  });

  it('holds every package the shipped code imports: production dependencies only (npm ci --omit=dev)', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const shipped = [...sourceFiles(join(REPO_ROOT, 'apps')), ...sourceFiles(join(REPO_ROOT, 'libs'))].filter(
      (file) => !file.includes(`${join('libs', 'testing')}/`),
    );
    expect(shipped.length).toBeGreaterThan(50);
    const missing: string[] = [];
    for (const file of shipped) {
      for (const specifier of runtimeImports(readFileSync(file, 'utf8'))) {
        if (
          specifier.startsWith('.') ||
          specifier.startsWith('node:') ||
          BUILTINS.has(specifier.split('/')[0] ?? '')
        )
          continue;
        const name = specifier.startsWith('@')
          ? specifier.split('/').slice(0, 2).join('/')
          : (specifier.split('/')[0] ?? '');
        if (name.startsWith('@pardot-x3/') || name in manifest.dependencies) continue;
        missing.push(`${file.slice(REPO_ROOT.length + 1)} imports ${name}`);
      }
    }
    expect(missing, 'move these packages to "dependencies" or the image will not start').toEqual([]);
  });

  it('every program the chart and docker-compose start is a project of this repository', () => {
    const apps = [...PIPELINE_SERVICE_NAMES, ...Object.keys(SANDBOXES).map((s) => `sandbox-${s}`), 'ops-cli'];
    for (const app of apps) expect(existsSync(join(REPO_ROOT, 'apps', app, 'project.json')), app).toBe(true);
  });
});

describe('.dockerignore', () => {
  it('keeps dependencies, build output, local state and secrets out of the build context', () => {
    const patterns = readFileSync(DOCKERIGNORE, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const pattern of [
      '**/node_modules',
      '**/dist',
      '.git',
      '.env',
      '.env.*',
      '.cache',
      '.stack',
      '.stack-*',
      '.nx',
    ]) {
      expect(patterns).toContain(pattern);
    }
    // The build needs these: a pattern excluding them would break `npm ci` or `nx`.
    for (const needed of [
      'package.json',
      'package-lock.json',
      'nx.json',
      'tsconfig.base.json',
      '.swcrc',
      'apps',
      'libs',
    ]) {
      expect(patterns).not.toContain(needed);
    }
  });
});
