import { describe, expect, it } from 'vitest';
import { highestRole, roleAllows, seesPersonalData } from './roles.js';

describe('roles', () => {
  it('operator includes pii includes viewer', () => {
    expect(roleAllows('operator', 'viewer')).toBe(true);
    expect(roleAllows('pii', 'viewer')).toBe(true);
    expect(roleAllows('viewer', 'pii')).toBe(false);
    expect(roleAllows('pii', 'operator')).toBe(false);
    expect(roleAllows(undefined, 'viewer')).toBe(false);
  });

  it('the most trusted known role wins; unknown names are ignored', () => {
    expect(highestRole(['viewer', 'admin', 'operator', 'pii'])).toBe('operator');
    expect(highestRole(['offline_access'])).toBeUndefined();
  });

  it('personal data in clear for pii and operator only', () => {
    expect(seesPersonalData('viewer')).toBe(false);
    expect(seesPersonalData('pii')).toBe(true);
    expect(seesPersonalData('operator')).toBe(true);
    expect(seesPersonalData(undefined)).toBe(false);
  });
});
