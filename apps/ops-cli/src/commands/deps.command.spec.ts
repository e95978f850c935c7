import { describe, expect, it } from 'vitest';
import { licenseAllowed, licenseProblems, lockfileProblems } from './deps.command.js';

describe('lockfileProblems', () => {
  it('accepts registry packages with a sha512 integrity (resolved may be left out)', () => {
    expect(
      lockfileProblems({
        lockfileVersion: 3,
        packages: {
          '': {},
          'apps/mdm': {},
          'node_modules/@pardot-x3/mdm': { link: true },
          'node_modules/zod': { version: '4.0.0', integrity: 'sha512-abc' },
          'node_modules/a/node_modules/b': {
            version: '1.0.0',
            resolved: 'https://registry.npmjs.org/b/-/b-1.0.0.tgz',
            integrity: 'sha512-def',
          },
        },
      }),
    ).toEqual([]);
  });

  it('refuses other sources, plain http, git, missing or sha1-only integrity', () => {
    const problems = lockfileProblems({
      lockfileVersion: 2,
      packages: {
        'node_modules/a': {
          version: '1.0.0',
          resolved: 'http://registry.npmjs.org/a/-/a-1.0.0.tgz',
          integrity: 'sha512-x',
        },
        'node_modules/b': {
          version: '1.0.0',
          resolved: 'git+ssh://git@example.com/b.git#abc',
          integrity: 'sha512-x',
        },
        'node_modules/c': { version: '1.0.0' },
        'node_modules/d': { version: '1.0.0', integrity: 'sha1-abc' },
      },
    });
    expect(problems).toEqual([
      'lockfileVersion is 2, expected 3 (npm 9+)',
      'a@1.0.0: resolved from http://registry.npmjs.org/a/-/a-1.0.0.tgz, not https://registry.npmjs.org/',
      'b@1.0.0: resolved from git+ssh://git@example.com/b.git#abc, not https://registry.npmjs.org/',
      'c@1.0.0: no integrity hash in the lock file',
      'd@1.0.0: integrity is not sha512 (sha1)',
    ]);
  });
});

describe('licences', () => {
  it('reads SPDX expressions', () => {
    expect(licenseAllowed('MIT')).toBe(true);
    expect(licenseAllowed('(MIT OR CC0-1.0)')).toBe(true);
    expect(licenseAllowed('Apache-2.0 AND MIT')).toBe(true);
    expect(licenseAllowed('GPL-3.0-only')).toBe(false);
    expect(licenseAllowed('(GPL-2.0 OR MIT)')).toBe(true);
    expect(licenseAllowed('MIT AND AGPL-3.0')).toBe(false);
  });

  it('names a package whose licence is not allowed or not declared', () => {
    expect(
      licenseProblems(
        {
          packages: {
            'node_modules/gpl-thing': { version: '1.0.0', license: 'GPL-3.0' },
            'node_modules/no-licence-here': { version: '2.0.0' },
            'node_modules/fine': { version: '1.0.0', license: 'ISC' },
          },
        },
        '/nonexistent',
      ),
    ).toEqual([
      'gpl-thing@1.0.0: licence GPL-3.0 is not allowed',
      'no-licence-here@2.0.0: no licence declared',
    ]);
  });
});
