import { describe, expect, it } from 'vitest';
import { maskEmail, maskPhone, maskText } from './masking.js';

describe('masking', () => {
  it('leaves a hint, never the data', () => {
    expect(maskEmail('jane.doe@acme.example.com')).toBe('j***@***.com');
    expect(maskEmail('not-an-email')).toBe('***');
    expect(maskPhone('+33 1 23 45 67 89')).toBe('***89');
    expect(maskPhone('12')).toBe('***');
    expect(maskText('Jeanne')).toBe('J***');
    expect(maskText(null)).toBeNull();
    expect(maskEmail(undefined)).toBeNull();
  });
});
