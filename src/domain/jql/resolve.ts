import type { Clause } from './ast.js';
import { JqlError } from './errors.js';
import { compareIds } from './ordering.js';
import type { AccountInfo, BoundCondition, ProjectInfo, ResolvedCondition } from './semantics.js';

// Resolution: user and project values as written (email, accountId, display name, key, name)
// replaced by ids, with the rule for which accounts a value may name.

/**
 * A user value names (1) the account with that accountId, whatever its status, so saved filters
 * keep working after a revoke; (2) the accounts with that email — exact, case-insensitive,
 * surrounding spaces ignored — active or revoked; (3) the ACTIVE accounts with that display name
 * (case-insensitive). Only accounts of the site count: its customers, and the staff of its
 * organization — the only staff a caller may pass in (the JQL search's look-up, lookUpForQuery in
 * use-cases/filters/jql-search.ts, selects exactly those).
 */
export function userValueMatches(account: AccountInfo, value: string, siteId: string): boolean {
  if (account.kind === 'customer' && account.siteId !== siteId) return false;
  if (account.accountId === value) return true;
  if (account.status === 'deleted') return false;
  const wanted = value.trim().toLowerCase();
  if (wanted === '') return false;
  if (account.email !== null && account.email.trim().toLowerCase() === wanted) return true;
  return account.status === 'active' && account.displayName !== null && account.displayName.trim().toLowerCase() === wanted;
}

export function projectValueMatches(project: ProjectInfo, value: string): boolean {
  const wanted = value.trim();
  return project.id === wanted || project.key.toUpperCase() === wanted.toUpperCase() || project.name.toLowerCase() === wanted.toLowerCase();
}

export interface Resolver {
  viewerAccountId: string;
  accounts: AccountInfo[];
  projects: ProjectInfo[];
  siteId: string;
  /**
   * 'error' (staff): a value that names no account or project is a 400, as in Jira.
   * 'matchNothing' (customers): it silently matches nothing, so that a customer cannot use the
   * error to learn which emails have (revoked) accounts on the site.
   */
  unknownValues: 'error' | 'matchNothing';
}

/** Replaces user and project values by ids. */
export function resolveCondition(condition: BoundCondition, resolver: Resolver): ResolvedCondition {
  switch (condition.kind) {
    case 'and':
    case 'or':
      return { kind: condition.kind, conditions: condition.conditions.map((c) => resolveCondition(c, resolver)) };
    case 'not':
      return { kind: 'not', condition: resolveCondition(condition.condition, resolver) };
    case 'users': {
      const ids = new Set<string>();
      for (const user of condition.users) {
        if (user.kind === 'currentUser') {
          ids.add(resolver.viewerAccountId);
          continue;
        }
        const found = resolver.accounts.filter((a) => userValueMatches(a, user.text, resolver.siteId));
        if (found.length === 0 && resolver.unknownValues === 'error') {
          throw new JqlError(`The value '${user.text}' does not exist for the field '${user.field}'.`);
        }
        for (const account of found) ids.add(account.accountId);
      }
      return { ...condition, users: [...ids].sort() };
    }
    case 'project': {
      const ids = new Set<string>();
      for (const value of condition.projects) {
        const found = resolver.projects.filter((p) => projectValueMatches(p, value.text));
        if (found.length === 0 && resolver.unknownValues === 'error') {
          throw new JqlError(`The value '${value.text}' does not exist for the field 'project'.`);
        }
        for (const project of found) ids.add(project.id);
      }
      return { kind: 'project', projects: [...ids].sort(compareIds) };
    }
    default:
      return condition;
  }
}

/**
 * Every user value of the bound condition: the values the look-up must cover (possibleUserTexts, from
 * the query as written, is a superset of these; test/unit/jql-lookup-texts.test.ts holds it to that).
 */
export function userTexts(condition: BoundCondition | null): string[] {
  if (!condition) return [];
  switch (condition.kind) {
    case 'and':
    case 'or':
      return condition.conditions.flatMap(userTexts);
    case 'not':
      return userTexts(condition.condition);
    case 'users':
      return condition.users.flatMap((u) => (u.kind === 'text' ? [u.text] : []));
    default:
      return [];
  }
}

/**
 * Every value of the query, as written, that could name a person: the values of its `=`, `!=`,
 * `in` and `not in` clauses, whatever the field (the fields are bound later, with the site's custom
 * fields). A superset of userTexts of the bound query, so that the accounts those values may name
 * can be looked up in the same statement as the custom fields (jql-search.ts).
 */
export function possibleUserTexts(clause: Clause | null): string[] {
  if (!clause) return [];
  switch (clause.kind) {
    case 'and':
    case 'or':
      return clause.clauses.flatMap(possibleUserTexts);
    case 'not':
      return possibleUserTexts(clause.clause);
    case 'terminal': {
      if (!['=', '!=', 'in', 'not in'].includes(clause.operator)) return [];
      const items = clause.operand.kind === 'list' ? clause.operand.items : [clause.operand];
      return items.flatMap((item) => (item.kind === 'value' ? [item.text] : []));
    }
  }
}

/** Whether the query, as written, has a clause on the project field (whose keys and names are then looked up). */
export function namesProjectField(clause: Clause | null): boolean {
  if (!clause) return false;
  switch (clause.kind) {
    case 'and':
    case 'or':
      return clause.clauses.some(namesProjectField);
    case 'not':
      return namesProjectField(clause.clause);
    case 'terminal':
      return clause.field.kind === 'name' && clause.field.name.toLowerCase() === 'project';
  }
}

