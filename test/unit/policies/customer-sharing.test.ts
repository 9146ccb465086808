import { describe, expect, it } from 'vitest';
import { sharingCirclesFor } from '../../../src/domain/policies/customer-organizations.js';
import { ada, alice, sam } from './actors.js';

describe('customer sharing (domain/policies/customer-organizations.ts)', () => {
  it('each level includes the one before; none reaches the whole site', () => {
    expect(sharingCirclesFor(alice, 'nobody')).toEqual({ request: false, organizations: false, project: false });
    expect(sharingCirclesFor(alice, 'request')).toEqual({ request: true, organizations: false, project: false });
    expect(sharingCirclesFor(alice, 'organizations')).toEqual({ request: true, organizations: true, project: false });
    expect(sharingCirclesFor(alice, 'project')).toEqual({ request: true, organizations: true, project: true });
  });

  it('binds customers only: staff are not bound by any level', () => {
    for (const level of ['nobody', 'request', 'organizations', 'project'] as const) {
      expect(sharingCirclesFor(sam, level)).toBeNull();
      expect(sharingCirclesFor(ada, level)).toBeNull();
    }
  });
});
