import { describe, expect, it } from 'vitest';
import {
  canViewRequest,
  decideComment,
  decideRaiseOnBehalf,
  decideCustomerTransition,
  decideRemoveParticipants,
  decideViewRequest,
  requestPermissions,
} from '../../../src/domain/policies/requests.js';
import { acme, ada, alice, bob, eve, globex, greta, gus, HELP, sam, sid, VIP } from './actors.js';

const helpRequest = { siteId: acme.id, projectId: HELP, reporterId: alice.accountId };
const vipRequest = { siteId: acme.id, projectId: VIP, reporterId: alice.accountId };

describe('who sees a request (domain/policies/requests.ts)', () => {
  it('agents of the project and admins of the site see every request of the project', () => {
    expect(canViewRequest(sam, acme, helpRequest, false)).toBe(true);
    expect(canViewRequest(ada, acme, vipRequest, false)).toBe(true);
    expect(canViewRequest(sid, acme, vipRequest, false)).toBe(true);
  });

  it('an agent of another project sees it only when named on it', () => {
    expect(canViewRequest(sam, acme, vipRequest, false)).toBe(false);
    expect(canViewRequest(sam, acme, vipRequest, true)).toBe(true);
  });

  it('a customer sees it as reporter or participant only', () => {
    expect(canViewRequest(alice, acme, helpRequest, false)).toBe(true);
    expect(canViewRequest(bob, acme, helpRequest, false)).toBe(false);
    expect(canViewRequest(bob, acme, helpRequest, true)).toBe(true);
  });

  it('T1: people of another site or organization never see it, even where it names them', () => {
    expect(canViewRequest(greta, acme, { ...helpRequest, reporterId: 'greta' }, true)).toBe(false);
    expect(canViewRequest(gus, acme, { ...helpRequest, reporterId: gus.accountId }, true)).toBe(false);
    expect(canViewRequest(eve, globex, { siteId: globex.id, projectId: '30000', reporterId: 'eve' }, false)).toBe(true);
  });

  it('a request of another site than the one asked about does not exist there', () => {
    expect(canViewRequest(ada, acme, { ...helpRequest, siteId: globex.id }, false)).toBe(false);
  });

  it('a denial is always a 404, never a 403', () => {
    expect(decideViewRequest(bob, acme, helpRequest, false)).toBe('not_found');
    expect(decideViewRequest(greta, acme, helpRequest, true)).toBe('not_found');
    expect(decideViewRequest(sam, acme, undefined, false)).toBe('not_found');
    expect(decideViewRequest(sam, acme, helpRequest, false)).toBe('allow');
  });
});

describe('what a caller may do with a request they see', () => {
  it('public replies by anyone; internal notes by those who work the project (403)', () => {
    expect(decideComment(alice, acme, helpRequest, true)).toBe('allow');
    expect(decideComment(alice, acme, helpRequest, false)).toBe('forbidden');
    expect(decideComment(sam, acme, vipRequest, false)).toBe('forbidden');
    expect(decideComment(sam, acme, helpRequest, false)).toBe('allow');
  });

  it('participants: agents remove anyone, the reporter anyone, a participant only themselves', () => {
    expect(decideRemoveParticipants(sam, acme, helpRequest, ['qm:bob', 'qm:carol'])).toBe('allow');
    expect(decideRemoveParticipants(alice, acme, helpRequest, ['qm:bob'])).toBe('allow');
    expect(decideRemoveParticipants(bob, acme, helpRequest, ['qm:bob'])).toBe('allow');
    expect(decideRemoveParticipants(bob, acme, helpRequest, ['qm:bob', 'qm:carol'])).toBe('forbidden');
  });

  it('the request page offers exactly what the rules allow', () => {
    expect(requestPermissions(bob, acme, helpRequest, ['qm:bob', 'qm:carol'])).toEqual({
      canComment: true,
      canCommentInternally: false,
      canAddParticipants: true,
      removableParticipantIds: ['qm:bob'],
      worksProject: false,
      canResolveOrReopen: false,
    });
    expect(requestPermissions(sam, acme, helpRequest, ['qm:bob', 'qm:carol']).removableParticipantIds).toEqual(['qm:bob', 'qm:carol']);
    expect(requestPermissions(alice, acme, helpRequest, ['qm:bob']).removableParticipantIds).toEqual(['qm:bob']);
    // the reporter resolves and reopens it from the help center; a participant and an agent do not there
    expect(requestPermissions(alice, acme, helpRequest, ['qm:bob']).canResolveOrReopen).toBe(true);
    expect(decideCustomerTransition(alice, helpRequest)).toBe('allow');
    expect(decideCustomerTransition(bob, helpRequest)).toBe('forbidden');
    expect(decideCustomerTransition(sam, helpRequest)).toBe('forbidden');
  });

  it('raising on behalf of someone: agents of the project and admins only (403)', () => {
    expect(decideRaiseOnBehalf(sam, acme, HELP)).toBe('allow');
    expect(decideRaiseOnBehalf(sid, acme, VIP)).toBe('allow');
    expect(decideRaiseOnBehalf(sam, acme, VIP)).toBe('forbidden');
    expect(decideRaiseOnBehalf(alice, acme, HELP)).toBe('forbidden');
  });
});
