import type { DeadLetter } from '@pardot-x3/canonical';
import { describe, expect, it } from 'vitest';
import {
  messagePattern,
  selectDeadLetters,
  summarizeDeadLetters,
  type DeadLetterEntry,
} from './dead-letter-inspector.js';

function entry(
  position: string,
  errorClass: string,
  errorMessage: string,
  redrivenAt?: Date,
): DeadLetterEntry {
  const [partition = '0', offset = '0'] = position.split(':');
  const envelope: DeadLetter = {
    consumerGroup: 'g',
    eventId: `evt-${position}`,
    reason: 'RETRIES_EXHAUSTED',
    errorClass,
    errorMessage,
    errorStack: null,
    attempts: 3,
    firstFailedAt: new Date(0),
    deadLetteredAt: new Date(Number(offset) * 1_000),
    origin: {
      topic: 'customer.golden-record.mastered.v1',
      partition: 0,
      offset: Number(offset),
      timestamp: new Date(0),
    },
    key: null,
    payload: null,
    headers: [],
  };
  return { position, partition: Number(partition), offset, envelope, redrivenAt };
}

describe('dead letters', () => {
  const entries = [
    entry('0:1', 'PardotApiError', 'prospect 123 rejected: invalid email "a@b"'),
    entry('0:2', 'PardotApiError', 'prospect 456 rejected: invalid email "c@d"'),
    entry('0:3', 'TypeError', 'cannot read x', new Date(5_000)),
  ];

  it('group by error class and message pattern, largest first', () => {
    const groups = summarizeDeadLetters(entries);
    expect(groups.map((g) => [g.errorClass, g.count, g.redriven])).toEqual([
      ['PardotApiError', 2, 0],
      ['TypeError', 1, 1],
    ]);
    expect(groups[0]?.messagePattern).toBe('prospect <n> rejected: invalid email "…"');
  });

  it('are selected by class, position or event id, leaving re-driven ones out unless asked', () => {
    expect(selectDeadLetters(entries, { errorClass: 'TypeError' })).toEqual([]);
    expect(selectDeadLetters(entries, { errorClass: 'TypeError', includeRedriven: true })).toHaveLength(1);
    expect(selectDeadLetters(entries, { positions: ['0:2', '1'] }).map((e) => e.position)).toEqual([
      '0:1',
      '0:2',
    ]);
    expect(selectDeadLetters(entries, { eventIds: ['evt-0:1'] })).toHaveLength(1);
  });

  it('patterns hide ids, e-mails and numbers', () => {
    expect(
      messagePattern('order 0193a7c2-6f6e-7c1a-9a55-3b1f0c2d4e5f for jane@acme.example failed after 3 tries'),
    ).toBe('order <id> for <email> failed after <n> tries');
  });
});
