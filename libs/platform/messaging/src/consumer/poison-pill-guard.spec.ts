import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@pardot-x3/observability';
import { describe, expect, it } from 'vitest';
import { PoisonPillGuard, POISON_PILL_EXITS } from './poison-pill-guard.js';

const logger = createLogger({ service: 'poison-pill-guard-spec', level: 'fatal' });
const T = 'ns.customer.observation.recorded.v1';

/** A new guard on the same folder is what the next process start sees. */
function restart(dir: string, quickExitMs?: number): PoisonPillGuard {
  return new PoisonPillGuard(dir, logger, quickExitMs);
}

describe('PoisonPillGuard', () => {
  it('names a message the process exited on three times in a row, narrowing a batch down to it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'px3-guard-'));
    restart(dir).mark(T, 2, '100', '149'); // the process dies in a batch of 50
    let guard = restart(dir);
    expect(guard.isSuspect(T, 2, '100', '149')).toBe(true);
    expect(guard.isSuspect(T, 2, '150', '199')).toBe(false);
    expect(guard.isSuspect(T, 1, '100', '149')).toBe(false);
    for (let exits = 2; exits <= POISON_PILL_EXITS; exits += 1) {
      guard.mark(T, 2, '100', '100');
      guard.done(T, 2, '101'); // 100 was fine
      guard.mark(T, 2, '101', '101'); // and 101 ends the process
      guard = restart(dir);
    }
    expect(guard.poisonExits(T, 2, '100')).toBeUndefined();
    expect(guard.poisonExits(T, 2, '101')).toBe(POISON_PILL_EXITS);
  });

  it('forgets a suspect once the partition is done past it, and clears its marks on a graceful stop', () => {
    const dir = mkdtempSync(join(tmpdir(), 'px3-guard-'));
    restart(dir).mark(T, 0, '7', '7');
    const guard = restart(dir);
    expect(guard.isSuspect(T, 0, '7', '7')).toBe(true);
    guard.mark(T, 0, '7', '7');
    guard.done(T, 0, '8');
    guard.mark(T, 0, '8', '9');
    guard.clear();
    expect(restart(dir).isSuspect(T, 0, '0', '100')).toBe(false);
  });

  it('does not hold an exit against a message waiting between attempts, but does once it is tried again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'px3-guard-'));
    let guard = restart(dir);
    guard.mark(T, 4, '9', '9');
    guard.waiting(T, 4); // a transient failure: the runner sleeps before the next attempt, and is killed
    guard = restart(dir);
    expect(guard.isSuspect(T, 4, '9', '9')).toBe(false);
    guard.mark(T, 4, '9', '9');
    guard.waiting(T, 4);
    guard.working(T, 4); // the next attempt ends the process
    guard = restart(dir);
    expect(guard.isSuspect(T, 4, '9', '9')).toBe(true);
  });

  it('does not hold an exit against a message that had been in hand a long time (an outage, then a kill)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'px3-guard-'));
    let guard = restart(dir, 50);
    for (let exits = 0; exits < POISON_PILL_EXITS + 1; exits += 1) {
      guard.mark(T, 3, '42', '42');
      await sleep(300); // held up far beyond a poison pill's life, then killed
      guard = restart(dir, 50);
    }
    expect(guard.isSuspect(T, 3, '42', '42')).toBe(false);
    expect(guard.poisonExits(T, 3, '42')).toBeUndefined();
  });
});
