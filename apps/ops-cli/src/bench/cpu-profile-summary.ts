/**
 * Where a service's CPU time goes, from a V8 `.cpuprofile` (`node --cpu-prof`): self time summed per
 * origin — an npm package, a pardot-x3 project, a Node.js built-in, or V8's own (GC, compiling,
 * idle) — and per function. Pure: the bench reads the file, this adds it up.
 */

export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: {
      readonly functionName: string;
      readonly url: string;
      readonly lineNumber: number;
    };
  }[];
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

export interface TimeShare {
  readonly name: string;
  readonly ms: number;
  /** Share of the busy time (everything but idle), 0–1. */
  readonly share: number;
}

export interface CpuProfileSummary {
  /** Wall time the profile covers. */
  readonly totalMs: number;
  /** Time the process was on a CPU (samples that were not "(idle)"). */
  readonly busyMs: number;
  readonly byOrigin: readonly TimeShare[];
  readonly topFunctions: readonly TimeShare[];
}

/** Which code a frame belongs to: `pg`, `@nestjs/core`, `pardot-x3 libs/platform/messaging`, `node:net`, `(garbage collector)`. */
export function frameOrigin(functionName: string, url: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0] ?? ''}`;
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [first = '', second = ''] = url.slice(modules + '/node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  const project = /\/(apps\/[^/]+|libs\/[^/]+\/[^/]+)\//.exec(url);
  if (project?.[1]) return `pardot-x3 ${project[1]}`;
  return 'other';
}

export function summarizeCpuProfile(profile: CpuProfile, top = 12): CpuProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfMs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // timeDeltas[i] is the time before sample i; the time of sample i is the delta that follows it.
  for (let i = 0; i < samples.length; i += 1) {
    const id = samples[i];
    const next = deltas[i + 1] ?? 0;
    if (id !== undefined) selfMs.set(id, (selfMs.get(id) ?? 0) + Math.max(0, next) / 1000);
  }
  const origins = new Map<string, number>();
  const functions = new Map<string, number>();
  let idle = 0;
  for (const [id, ms] of selfMs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += ms;
      continue;
    }
    const origin = frameOrigin(functionName, url);
    origins.set(origin, (origins.get(origin) ?? 0) + ms);
    const file = url.split('/').slice(-1)[0] ?? '';
    const name =
      url === '' ? functionName : `${functionName || '(anonymous)'} ${file}:${lineNumber + 1} [${origin}]`;
    functions.set(name, (functions.get(name) ?? 0) + ms);
  }
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const busyMs = [...origins.values()].reduce((a, b) => a + b, 0);
  const shares = (map: Map<string, number>): TimeShare[] =>
    [...map]
      .map(([name, ms]) => ({ name, ms: Math.round(ms), share: busyMs > 0 ? ms / busyMs : 0 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top);
  void idle;
  return {
    totalMs: Math.round(totalMs),
    busyMs: Math.round(busyMs),
    byOrigin: shares(origins),
    topFunctions: shares(functions),
  };
}
