import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { partitionForKey } from './murmur2-partitioner.js';

describe('partitionForKey', () => {
  it("agrees with kafkajs's Java-compatible default partitioner for every key", () => {
    const partitioner = kafkajs.Partitioners.DefaultPartitioner();
    for (const partitions of [1, 3, 6, 7, 12]) {
      const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
        partitionId,
        leader: 0,
        replicas: [0],
        isr: [0],
        partitionErrorCode: 0,
      }));
      for (const key of [
        '',
        'a',
        'ab',
        'abc',
        'abcd',
        'X3:BPCUSTOMER:C0001',
        'ITEM-42:FR01',
        'été:ünïcödé',
        '006000000000AAAA',
      ]) {
        expect(partitionForKey(key, partitions), `${key} over ${partitions}`).toBe(
          partitioner({ topic: 't', partitionMetadata, message: { key, value: null } }),
        );
      }
    }
  });

  it('refuses a partition count below 1', () => {
    expect(() => partitionForKey('k', 0)).toThrow(/at least 1/);
  });
});
