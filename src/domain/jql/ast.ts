// The syntax tree of a JQL query, exactly as written (names unresolved, values as text). Field and
// value meaning is given later by semantics.ts, which needs the site's custom fields.

export interface Query {
  where: Clause | null;
  orderBy: SortItem[];
}

export type Clause = AndClause | OrClause | NotClause | TerminalClause;

export interface AndClause {
  kind: 'and';
  clauses: Clause[];
}
export interface OrClause {
  kind: 'or';
  clauses: Clause[];
}
export interface NotClause {
  kind: 'not';
  clause: Clause;
}

export type Operator = '=' | '!=' | '~' | '!~' | '>' | '>=' | '<' | '<=' | 'in' | 'not in' | 'is' | 'is not';

export interface TerminalClause {
  kind: 'terminal';
  field: FieldRef;
  operator: Operator;
  operand: Operand;
  /** offset of the field in the query text */
  offset: number;
}

/** `summary`, `"Affected user"` (name, as written) or `cf[10010]` (customFieldId). */
export type FieldRef = { kind: 'name'; name: string; quoted: boolean } | { kind: 'customFieldId'; id: string };

export type Operand = ValueOperand | FunctionOperand | ListOperand | EmptyOperand;

export interface ValueOperand {
  kind: 'value';
  text: string;
  quoted: boolean;
  offset: number;
}
export interface FunctionOperand {
  kind: 'function';
  name: string;
  args: string[];
  offset: number;
}
export interface ListOperand {
  kind: 'list';
  items: (ValueOperand | FunctionOperand)[];
  offset: number;
}
export interface EmptyOperand {
  kind: 'empty';
  offset: number;
}

export interface SortItem {
  field: FieldRef;
  direction: 'asc' | 'desc' | null;
  offset: number;
}

export function fieldLabel(field: FieldRef): string {
  return field.kind === 'name' ? field.name : `cf[${field.id}]`;
}
