import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { findRepositoryRoot } from '@pardot-x3/local-stack';

/**
 * Dependency hygiene that works offline (the registry here does not answer `npm audit`'s bulk
 * endpoint nor its signing keys): the lock file names only registry packages over https with a
 * sha512 integrity, the installed tree matches it (`npm ls --all`: nothing invalid, missing or
 * extraneous), and every package's licence is on the allow-list. docs/security.md says which checks
 * to add where the audit endpoint answers (`npm audit --omit=dev`, `npm audit signatures`).
 */

/** Where packages may come from: the public npm registry, over https. */
export const ALLOWED_REGISTRY = 'https://registry.npmjs.org/';

/**
 * Licences compatible with shipping pardot-x3 under Apache-2.0: permissive ones, and MPL-2.0 (file-level
 * copyleft: fine for unmodified dependencies).
 */
export const ALLOWED_LICENSES = new Set([
  'MIT',
  'MIT-0',
  'ISC',
  'Apache-2.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  '0BSD',
  'BlueOak-1.0.0',
  'CC0-1.0',
  'CC-BY-4.0',
  'Unlicense',
  'Python-2.0',
  'MPL-2.0',
  'Zlib',
]);

/** Old or informal names of allowed licences, as some package.json files write them. */
const LICENSE_ALIASES: Record<string, string> = { 'MIT/X11': 'MIT', 'Apache 2.0': 'Apache-2.0' };

/** Packages whose manifest declares no licence, reviewed by hand: name → what their LICENSE file is. */
export const REVIEWED_LICENSES: Record<string, string> = {
  '@kafkajs/confluent-schema-registry': 'MIT', // no "license" in package.json; its LICENSE file is MIT
};

interface LockPackage {
  readonly version?: string;
  readonly resolved?: string;
  readonly integrity?: string;
  readonly license?: string;
  readonly link?: boolean;
  readonly dev?: boolean;
  readonly optional?: boolean;
}

interface LockFile {
  readonly lockfileVersion?: number;
  readonly packages?: Record<string, LockPackage>;
}

/** Problems of the lock file: sources other than the registry over https, integrity missing or weak. */
export function lockfileProblems(lock: LockFile): string[] {
  const problems: string[] = [];
  if (lock.lockfileVersion !== 3)
    problems.push(`lockfileVersion is ${lock.lockfileVersion}, expected 3 (npm 9+)`);
  for (const [path, pkg] of Object.entries(lock.packages ?? {})) {
    if (path === '' || pkg.link || !path.includes('node_modules/')) continue; // the root, workspaces
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    if (pkg.resolved !== undefined && !pkg.resolved.startsWith(ALLOWED_REGISTRY))
      problems.push(`${name}@${pkg.version}: resolved from ${pkg.resolved}, not ${ALLOWED_REGISTRY}`);
    if (!pkg.integrity) problems.push(`${name}@${pkg.version}: no integrity hash in the lock file`);
    else if (!pkg.integrity.split(/\s+/).some((hash) => hash.startsWith('sha512-')))
      problems.push(`${name}@${pkg.version}: integrity is not sha512 (${pkg.integrity.split('-')[0]})`);
  }
  return problems;
}

/** Whether an SPDX expression is allowed: every term of an AND, at least one term of an OR. */
export function licenseAllowed(expression: string): boolean {
  const text = expression.trim().replace(/^\((.*)\)$/, '$1');
  if (/\s+OR\s+/i.test(text)) return text.split(/\s+OR\s+/i).some(licenseAllowed);
  if (/\s+AND\s+/i.test(text)) return text.split(/\s+AND\s+/i).every(licenseAllowed);
  const id = text.replace(/[()]/g, '').trim();
  return ALLOWED_LICENSES.has(LICENSE_ALIASES[id] ?? id);
}

/**
 * Packages whose licence is not on the allow-list, or unknown. The lock file's `license`, else the
 * installed package.json (`license`, or the old `licenses` array).
 */
export function licenseProblems(lock: LockFile, root: string): string[] {
  const problems: string[] = [];
  for (const [path, pkg] of Object.entries(lock.packages ?? {})) {
    if (path === '' || pkg.link || !path.includes('node_modules/')) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const license =
      pkg.license ?? installedLicense(join(root, path, 'package.json')) ?? REVIEWED_LICENSES[name];
    if (license === undefined) {
      // An optional package for another platform is not installed here: nothing to read.
      if (!(pkg.optional && !existsSync(join(root, path))))
        problems.push(`${name}@${pkg.version}: no licence declared`);
    } else if (!licenseAllowed(license))
      problems.push(`${name}@${pkg.version}: licence ${license} is not allowed`);
  }
  return problems;
}

function installedLicense(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
    license?: string | { type?: string };
    licenses?: { type?: string }[];
  };
  if (typeof manifest.license === 'string') return manifest.license;
  if (manifest.license?.type) return manifest.license.type;
  const types = (manifest.licenses ?? []).map((l) => l.type).filter((t): t is string => Boolean(t));
  return types.length > 0 ? types.join(' OR ') : undefined;
}

/** `npm ls --all`: the installed tree against the lock file and the manifests (invalid, missing, extraneous). */
function npmTreeProblems(root: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['ls', '--all', '--json'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.resume();
    child.once('error', reject);
    child.once('close', () => {
      try {
        const tree = JSON.parse(out) as { problems?: string[] };
        resolve(tree.problems ?? []);
      } catch (error) {
        reject(new Error(`npm ls --all printed no JSON: ${(error as Error).message}`));
      }
    });
  });
}

export interface DependencyCheckResult {
  readonly checks: { readonly name: string; readonly problems: readonly string[] }[];
}

export async function checkDependencies(root: string): Promise<DependencyCheckResult> {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as LockFile;
  return {
    checks: [
      { name: 'lock file (registry over https, sha512 integrity)', problems: lockfileProblems(lock) },
      { name: 'installed tree (npm ls --all)', problems: await npmTreeProblems(root) },
      {
        name: `licences (allow-list: ${[...ALLOWED_LICENSES].join(', ')})`,
        problems: licenseProblems(lock, root),
      },
    ],
  };
}

export function depsCommand(): Command {
  const deps = new Command('deps').description(
    'dependency hygiene checks that work without the npm audit endpoint',
  );
  deps
    .command('check')
    .description(
      'the lock file names only registry packages over https with sha512 integrity, npm ls --all finds nothing invalid, missing or extraneous, every licence is allowed; exit 1 otherwise',
    )
    .action(async () => {
      const result = await checkDependencies(findRepositoryRoot());
      let failed = false;
      for (const check of result.checks) {
        failed ||= check.problems.length > 0;
        console.error(
          `[deps] ${check.name}: ${check.problems.length === 0 ? 'ok' : `${check.problems.length} problem(s)`}`,
        );
        for (const problem of check.problems.slice(0, 50)) console.error(`[deps]   - ${problem}`);
      }
      process.exitCode = failed ? 1 : 0;
    });
  return deps;
}
