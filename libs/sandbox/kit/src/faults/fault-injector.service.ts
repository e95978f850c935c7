import { SeededRandom } from '../generator/seeded-random.util.js';
import { FaultRuleError } from './fault-rule.error.js';
import type { FaultDecision, FaultOutcome, FaultRule, FaultRuleInput } from './fault-rule.types.js';
import { compileRouteGlob, type RouteGlob } from './route-glob.util.js';

export const MAX_FAULT_LATENCY_MS = 120_000;

interface ActiveRule {
  readonly rule: FaultRule;
  readonly glob: RouteGlob;
}

/**
 * Fault rules added and removed at run time. Deterministic when every errorRate is 0 or 1; fractional
 * rates draw from a seeded stream, so a run with the same requests in the same order repeats.
 */
export class FaultInjector {
  private rules: ActiveRule[] = [];
  private random: SeededRandom;
  private generated = 0;

  constructor(private readonly seed = 1) {
    this.random = new SeededRandom(seed);
  }

  /** Adds a rule (a rule with the same id is replaced) and returns it as stored. */
  add(input: FaultRuleInput): FaultRule {
    const rule = validate(input, () => this.unusedId());
    const active = { rule, glob: compileRouteGlob(rule.route) };
    const index = this.rules.findIndex((r) => r.rule.id === rule.id);
    if (index >= 0) this.rules[index] = active;
    else this.rules.push(active);
    return rule;
  }

  private unusedId(): string {
    let id: string;
    do id = `fault-${++this.generated}`;
    while (this.rules.some((r) => r.rule.id === id));
    return id;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.rule.id !== id);
    return this.rules.length < before;
  }

  /** Removes every rule and restarts the random stream; returns how many were removed. */
  clear(): number {
    const removed = this.rules.length;
    this.rules = [];
    this.random = new SeededRandom(this.seed);
    return removed;
  }

  list(): FaultRule[] {
    return this.rules.map((r) => r.rule);
  }

  /** What to do with one request; undefined when no rule matches. */
  decide(method: string, path: string): FaultDecision | undefined {
    const matching = this.rules.filter((r) => r.glob.matches(method, path)).map((r) => r.rule);
    if (matching.length === 0) return undefined;
    let latencyMs = 0;
    const latencyRuleIds: string[] = [];
    for (const rule of matching) {
      if (rule.latencyMs) {
        latencyMs += rule.latencyMs;
        latencyRuleIds.push(rule.id);
      }
    }
    let outcome: FaultOutcome | undefined;
    for (const rule of matching) {
      const candidate = outcomeOf(rule);
      if (!candidate) continue;
      const rate = rule.errorRate ?? 1;
      if (rate >= 1 || (rate > 0 && this.random.next() < rate)) {
        outcome = candidate;
        break;
      }
    }
    return { latencyMs: Math.min(latencyMs, MAX_FAULT_LATENCY_MS), latencyRuleIds, outcome };
  }
}

function outcomeOf(rule: FaultRule): FaultOutcome | undefined {
  if (rule.dropConnection) return { kind: 'drop', ruleId: rule.id };
  if (rule.dropResponse) return { kind: 'drop-response', ruleId: rule.id };
  if (rule.limit) return { kind: 'limit', ruleId: rule.id, limit: rule.limit };
  if (rule.status !== undefined || rule.errorRate !== undefined || rule.body !== undefined) {
    return {
      kind: 'error',
      ruleId: rule.id,
      status: rule.status ?? 500,
      ...(rule.body !== undefined ? { body: rule.body } : {}),
    };
  }
  return undefined;
}

const KNOWN_FIELDS = new Set([
  'id',
  'route',
  'latencyMs',
  'errorRate',
  'status',
  'body',
  'dropConnection',
  'dropResponse',
  'limit',
]);

function validate(input: FaultRuleInput, nextId: () => string): FaultRule {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new FaultRuleError('a fault rule must be a JSON object');
  }
  const unknown = Object.keys(input).filter((k) => !KNOWN_FIELDS.has(k));
  if (unknown.length > 0) {
    throw new FaultRuleError(
      `unknown field ${unknown.map((k) => `"${k}"`).join(', ')}; known: ${[...KNOWN_FIELDS].join(', ')}`,
    );
  }
  const { id, route, latencyMs, errorRate, status, body, dropConnection, dropResponse, limit } = input;
  if (id !== undefined && (typeof id !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(id))) {
    throw new FaultRuleError('id must be 1-64 characters of letters, digits, ".", "_" or "-"');
  }
  if (typeof route !== 'string' || route.trim() === '')
    throw new FaultRuleError('route is required, e.g. "PATCH /api/v5/objects/prospects/*"');
  try {
    compileRouteGlob(route);
  } catch (error) {
    throw new FaultRuleError((error as Error).message);
  }
  if (
    latencyMs !== undefined &&
    (!Number.isInteger(latencyMs) || latencyMs < 0 || latencyMs > MAX_FAULT_LATENCY_MS)
  ) {
    throw new FaultRuleError(
      `latencyMs must be a whole number of milliseconds from 0 to ${MAX_FAULT_LATENCY_MS}`,
    );
  }
  if (errorRate !== undefined && (typeof errorRate !== 'number' || !(errorRate >= 0 && errorRate <= 1))) {
    throw new FaultRuleError('errorRate must be a number from 0 to 1');
  }
  if (status !== undefined && (!Number.isInteger(status) || status < 400 || status > 599)) {
    throw new FaultRuleError('status must be an HTTP error status from 400 to 599');
  }
  if (dropConnection !== undefined && typeof dropConnection !== 'boolean')
    throw new FaultRuleError('dropConnection must be true or false');
  if (dropResponse !== undefined && typeof dropResponse !== 'boolean')
    throw new FaultRuleError('dropResponse must be true or false');
  if (limit !== undefined && limit !== 'daily' && limit !== 'concurrency')
    throw new FaultRuleError('limit must be "daily" or "concurrency"');
  const outcomes = [
    dropConnection === true,
    dropResponse === true,
    limit !== undefined,
    status !== undefined || body !== undefined,
  ].filter(Boolean).length;
  if (outcomes > 1)
    throw new FaultRuleError(
      'choose one outcome per rule: dropConnection, dropResponse, limit, or status (with an optional body)',
    );
  if (!latencyMs && outcomes === 0 && errorRate === undefined) {
    throw new FaultRuleError(
      'a rule needs an effect: latencyMs, errorRate, status, dropConnection, dropResponse or limit',
    );
  }
  return {
    id: id ?? nextId(),
    route: route.trim(),
    ...(latencyMs !== undefined ? { latencyMs } : {}),
    ...(errorRate !== undefined ? { errorRate } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(body !== undefined ? { body } : {}),
    ...(dropConnection !== undefined ? { dropConnection } : {}),
    ...(dropResponse !== undefined ? { dropResponse } : {}),
    ...(limit !== undefined ? { limit } : {}),
  };
}
