import { describe, expect, it } from 'vitest';
import {
  addCrossReference,
  hasCrossReference,
  NO_CROSS_REFERENCES,
  removeCrossReference,
} from './cross-references.js';

describe('cross-references', () => {
  it('add a source id once, sorted, and remove it again when its record is deleted', () => {
    const one = addCrossReference(NO_CROSS_REFERENCES, 'SALESFORCE', 'Lead', '00Q2');
    const two = addCrossReference(
      addCrossReference(one, 'SALESFORCE', 'Lead', '00Q1'),
      'SALESFORCE',
      'Lead',
      '00Q2',
    );
    expect(two.salesforceLeadIds).toEqual(['00Q1', '00Q2']);
    const removed = removeCrossReference(two, 'SALESFORCE', 'Lead', '00Q2');
    expect(removed.salesforceLeadIds).toEqual(['00Q1']);
    expect(hasCrossReference(removed, 'SALESFORCE', 'Lead', '00Q2')).toBe(false);
    expect(removeCrossReference(removed, 'PARDOT', 'Prospect', '1')).toBe(removed);
  });
});
