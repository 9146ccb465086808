import type { Clause, FunctionOperand, Operand, Query, TerminalClause, ValueOperand } from './ast.js';
import { bindField, type CustomFieldInfo } from './semantics.js';

// The canonical form of a saved filter (docs/product.md#filters): as in Jira, a saved filter keeps its user
// values as account ids, so that a filter written with a display name keeps naming the same people
// after their access is revoked (display names only resolve for ACTIVE accounts).

/** The account ids a written user value resolves to right now; empty when it names nobody. */
export type UserValueResolver = (text: string) => readonly string[];

const USER_OPERATORS = new Set(['=', '!=', 'in', 'not in']);

/**
 * Rewrites every user value of a user clause (reporter, participant, user-picker custom fields;
 * `=`, `!=`, `in`, `not in`) into the account id(s) it resolves to. A value that already is an
 * account id, one that resolves to nobody, and `currentUser()` stay as written; a value naming
 * several accounts becomes all of them (`=` turning into `in`, `!=` into `not in`). Everything
 * else of the query is returned unchanged.
 */
export function rewriteUserValues(query: Query, customFields: CustomFieldInfo[], resolve: UserValueResolver): Query {
  return { where: query.where ? rewriteClause(query.where, customFields, resolve) : null, orderBy: query.orderBy };
}

function rewriteClause(clause: Clause, customFields: CustomFieldInfo[], resolve: UserValueResolver): Clause {
  switch (clause.kind) {
    case 'and':
    case 'or':
      return { kind: clause.kind, clauses: clause.clauses.map((c) => rewriteClause(c, customFields, resolve)) };
    case 'not':
      return { kind: 'not', clause: rewriteClause(clause.clause, customFields, resolve) };
    case 'terminal':
      return rewriteTerminal(clause, customFields, resolve);
  }
}

function rewriteTerminal(clause: TerminalClause, customFields: CustomFieldInfo[], resolve: UserValueResolver): TerminalClause {
  if (!USER_OPERATORS.has(clause.operator)) return clause;
  if (clause.operand.kind !== 'value' && clause.operand.kind !== 'list') return clause;
  if (bindField(clause.field, customFields).kind !== 'users') return clause;

  const items: (ValueOperand | FunctionOperand)[] = clause.operand.kind === 'list' ? clause.operand.items : [clause.operand];
  const rewritten: (ValueOperand | FunctionOperand)[] = [];
  const seenIds = new Set<string>();
  let changed = false;
  for (const item of items) {
    if (item.kind === 'function') {
      rewritten.push(item);
      continue;
    }
    const ids = resolve(item.text);
    if (ids.length === 0 || ids.includes(item.text)) {
      rewritten.push(item);
      continue;
    }
    changed = true;
    for (const id of ids) {
      if (seenIds.has(id)) continue;
      seenIds.add(id);
      rewritten.push({ kind: 'value', text: id, quoted: true, offset: item.offset });
    }
  }
  if (!changed) return clause;

  let operator = clause.operator;
  let operand: Operand;
  if (clause.operand.kind === 'list') {
    operand = { kind: 'list', items: rewritten, offset: clause.operand.offset };
  } else if (rewritten.length === 1) {
    operand = rewritten[0];
  } else {
    operator = operator === '=' ? 'in' : 'not in';
    operand = { kind: 'list', items: rewritten, offset: clause.operand.offset };
  }
  return { ...clause, operator, operand };
}
