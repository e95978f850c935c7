import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Maven 3.8's default dependency plugin is 2.8; the copy goal used here needs 3.x. */
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

export interface CopyDependenciesRequest {
  readonly pom: string;
  readonly outputDir: string;
  readonly includeTypes?: string;
  /** Progress lines for the user ("resolving Kafka jars from Maven Central"). */
  readonly describe: string;
  readonly log: (line: string) => void;
}

/**
 * Resolves a POM's dependencies from Maven Central into `outputDir`, once: a marker file records a
 * finished copy, so later calls cost nothing and an interrupted copy is redone.
 */
export async function copyDependencies(request: CopyDependenciesRequest): Promise<string> {
  const marker = join(request.outputDir, '.complete');
  if (existsSync(marker)) return request.outputDir;
  rmSync(request.outputDir, { recursive: true, force: true });
  mkdirSync(request.outputDir, { recursive: true });
  request.log(`${request.describe} (first run only; cached in ${request.outputDir})`);
  const args = [
    '-B',
    '-q',
    '-f',
    request.pom,
    `${DEPENDENCY_PLUGIN}:copy-dependencies`,
    '-DincludeScope=runtime',
    `-DoutputDirectory=${request.outputDir}`,
  ];
  if (request.includeTypes) args.push(`-DincludeTypes=${request.includeTypes}`);
  try {
    await run(mavenCommand(), args, { maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: string | number };
    if (e.code === 'ENOENT') {
      throw new Error(
        'Maven (mvn) is not installed: the local stack resolves Kafka and the schema registry from Maven Central. ' +
          'Install it (Debian: apt-get install maven) or point KAFKA_BROKERS / SCHEMA_REGISTRY_URL at existing servers.',
      );
    }
    throw new Error(`${request.describe} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`.trim());
  }
  if (readdirSync(request.outputDir).length === 0) {
    throw new Error(`${request.describe}: Maven finished but copied nothing into ${request.outputDir}`);
  }
  writeFileSync(marker, new Date().toISOString());
  return request.outputDir;
}

function mavenCommand(): string {
  return process.env['PX3_MVN'] ?? 'mvn';
}
