import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { BUILD_INFO, buildInfoFrom } from '../../src/http/build-info.js';

// What GET /rest/servicedeskapi/info tells of the build (docs/product.md#rest-info).
describe('build info', () => {
  it('is the version of package.json; run from source, no build date or commit', () => {
    const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
    expect(BUILD_INFO).toEqual({ version });
  });

  it('takes the stamp of scripts/build-server.js, and leaves out a date or commit that cannot be right', () => {
    expect(buildInfoFrom('1.2.3', { date: '2026-12-03T09:00:00.000Z', changeSet: '2bf5d5503085a2f8ac7ce8cc450b4cfbd80d6ad2' })).toEqual({
      version: '1.2.3',
      builtAt: new Date('2026-12-03T09:00:00.000Z'),
      changeSet: '2bf5d5503085a2f8ac7ce8cc450b4cfbd80d6ad2',
    });
    expect(buildInfoFrom('1.2.3', { date: 'yesterday', changeSet: 'not a commit' })).toEqual({ version: '1.2.3' });
  });
});
