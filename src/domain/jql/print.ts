import type { Clause, FieldRef, FunctionOperand, Operand, Query, SortItem, ValueOperand } from './ast.js';

// Prints a syntax tree back as JQL text that parseJql reads as the same tree (offsets aside): the
// structure of AND / OR / NOT, whether each name and value was quoted, and the exact text of every
// word and string. Used to store a saved filter in canonical form (user values rewritten to
// account ids) while keeping the rest of the query as the agent wrote it.

/** Words the parser reads as keywords when written bare (see parser.ts). */
const RESERVED_WORDS = new Set(['and', 'or', 'not', 'in', 'is', 'empty', 'null', 'order', 'by', 'asc', 'desc']);
// The characters lexer.ts accepts in a bare word besides letters, digits and non-ASCII non-spaces.
const WORD_PUNCTUATION = new Set(['.', '@', '+', '-', '_', '/', '*', '?', ':', '%', '$', '^']);

function isWordChar(ch: string): boolean {
  if (/^[A-Za-z0-9]$/.test(ch)) return true;
  if (WORD_PUNCTUATION.has(ch)) return true;
  const code = ch.codePointAt(0)!;
  return code > 0x7f && !/^\s$/u.test(ch);
}

function unicodeEscape(ch: string): string {
  return '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
}

/**
 * A bare word whose text reads back exactly: characters the lexer would not take into a word are
 * written as \uXXXX escapes, and a word that would read as a keyword gets its first letter escaped
 * (the parser recognises keywords by the text as written, so `\u0061nd` is the word "and").
 */
export function printWord(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    out += isWordChar(ch) ? ch : unicodeEscape(ch);
  }
  if (RESERVED_WORDS.has(text.toLowerCase()) || out === '') {
    return text === '' ? '""' : unicodeEscape(text[0]) + out.slice(1);
  }
  return out;
}

/** A double-quoted string: only the quote and the backslash need escaping inside. */
export function printString(text: string): string {
  return '"' + text.replace(/[\\"]/g, (c) => '\\' + c) + '"';
}

function printField(field: FieldRef): string {
  if (field.kind === 'customFieldId') return `cf[${field.id}]`;
  return field.quoted ? printString(field.name) : printWord(field.name);
}

function printItem(item: ValueOperand | FunctionOperand): string {
  if (item.kind === 'function') return `${printWord(item.name)}(${item.args.map(printString).join(', ')})`;
  return item.quoted ? printString(item.text) : printWord(item.text);
}

function printOperand(operand: Operand): string {
  switch (operand.kind) {
    case 'empty':
      return 'EMPTY';
    case 'list':
      return `(${operand.items.map(printItem).join(', ')})`;
    default:
      return printItem(operand);
  }
}

function printClause(clause: Clause): string {
  switch (clause.kind) {
    case 'terminal':
      return `${printField(clause.field)} ${clause.operator.toUpperCase()} ${printOperand(clause.operand)}`;
    case 'not':
      // NOT binds tighter than AND / OR, so a compound clause under it needs its parentheses.
      return `NOT ${clause.clause.kind === 'and' || clause.clause.kind === 'or' ? `(${printClause(clause.clause)})` : printClause(clause.clause)}`;
    case 'and':
      // The parser flattens a chain of ANDs into one clause, so a nested AND came from parentheses.
      return clause.clauses.map((c) => (c.kind === 'and' || c.kind === 'or' ? `(${printClause(c)})` : printClause(c))).join(' AND ');
    case 'or':
      return clause.clauses.map((c) => (c.kind === 'or' ? `(${printClause(c)})` : printClause(c))).join(' OR ');
  }
}

function printSortItem(item: SortItem): string {
  return item.direction ? `${printField(item.field)} ${item.direction.toUpperCase()}` : printField(item.field);
}

export function printJql(query: Query): string {
  const parts: string[] = [];
  if (query.where) parts.push(printClause(query.where));
  if (query.orderBy.length > 0) parts.push(`ORDER BY ${query.orderBy.map(printSortItem).join(', ')}`);
  return parts.join(' ');
}
