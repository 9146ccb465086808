import type { Clause, FieldRef, FunctionOperand, Operand, Operator, Query, SortItem, ValueOperand } from './ast.js';
import { endOfQueryError, syntaxError, type JqlError } from './errors.js';
import { tokenize, type Token } from './lexer.js';
import { checkJqlBudget, JQL_BUDGET } from './budget.js';

const RESERVED_WORDS = new Set(['and', 'or', 'not', 'in', 'is', 'empty', 'null', 'order', 'by', 'asc', 'desc']);
/** Jira allows up to 7 sort keys; more is almost always a mistake and costs the database. */
export const MAX_SORT_FIELDS = JQL_BUDGET.sortFields;
/** Nesting (parentheses, NOT) deeper than this is refused, before any walk of the tree can go deep. */
export const MAX_NESTING = JQL_BUDGET.nesting;

const VALID_OPERATORS =
  "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.";

/**
 * Parses JQL into a syntax tree. Any input either gives a Query or throws JqlError: the grammar is
 * recursive descent with a nesting limit, so even hostile input cannot overflow the stack, and a
 * query over the budget (budget.ts) is refused here, before it reaches a database.
 */
export function parseJql(text: string): Query {
  const query = new Parser(text).parseQuery();
  checkJqlBudget(query);
  return query;
}

class Parser {
  readonly tokens: Token[];
  pos = 0;
  constructor(readonly text: string) {
    this.tokens = tokenize(text);
  }

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)];
  }
  next(): Token {
    const token = this.peek();
    if (token.type !== 'eof') this.pos++;
    return token;
  }
  isWord(token: Token, word: string): boolean {
    return token.type === 'word' && token.raw.toLowerCase() === word;
  }
  isReserved(token: Token): boolean {
    return token.type === 'word' && RESERVED_WORDS.has(token.raw.toLowerCase());
  }
  /** "Expecting X but got 'y'." at the token, or "Expecting X before the end of the query." */
  expecting(what: string, token: Token, suffix = ''): JqlError {
    if (token.type === 'eof') return endOfQueryError(this.text, `Expecting ${what} before the end of the query.${suffix}`);
    return syntaxError(this.text, token.offset, `Expecting ${what} but got '${token.raw}'.${suffix}`);
  }
  reservedWord(token: Token): JqlError {
    return syntaxError(
      this.text,
      token.offset,
      `'${token.raw}' is a reserved JQL word. You must surround it in quotation marks to use it in a query.`,
    );
  }

  parseQuery(): Query {
    let where: Clause | null = null;
    if (this.peek().type !== 'eof' && !this.isWord(this.peek(), 'order')) {
      where = this.parseOr(0);
    }
    let orderBy: SortItem[] = [];
    if (this.isWord(this.peek(), 'order')) {
      orderBy = this.parseOrderBy();
    }
    const token = this.peek();
    if (token.type !== 'eof') {
      throw this.expecting("either 'OR' or 'AND'", token);
    }
    return { where, orderBy };
  }

  parseOr(depth: number): Clause {
    const clauses = [this.parseAnd(depth)];
    while (this.peek().type === 'or' || this.isWord(this.peek(), 'or')) {
      this.next();
      clauses.push(this.parseAnd(depth));
    }
    return clauses.length === 1 ? clauses[0] : { kind: 'or', clauses };
  }

  parseAnd(depth: number): Clause {
    const clauses = [this.parseNot(depth)];
    while (this.peek().type === 'and' || this.isWord(this.peek(), 'and')) {
      this.next();
      clauses.push(this.parseNot(depth));
    }
    return clauses.length === 1 ? clauses[0] : { kind: 'and', clauses };
  }

  parseNot(depth: number): Clause {
    const token = this.peek();
    if (depth >= MAX_NESTING && (token.type === '!' || token.type === '(' || this.isWord(token, 'not'))) {
      throw syntaxError(this.text, token.offset, `The query is nested too deeply (at most ${MAX_NESTING} levels).`);
    }
    if (token.type === '!' || this.isWord(token, 'not')) {
      this.next();
      return { kind: 'not', clause: this.parseNot(depth + 1) };
    }
    if (token.type === '(') {
      this.next();
      const clause = this.parseOr(depth + 1);
      const close = this.peek();
      if (close.type !== ')') throw this.expecting("')'", close);
      this.next();
      return clause;
    }
    return this.parseTerminal();
  }

  parseField(what: string): FieldRef {
    const token = this.peek();
    if (token.type === 'string') {
      this.next();
      return { kind: 'name', name: token.text, quoted: true };
    }
    if (token.type === 'word') {
      if (this.isReserved(token)) throw this.reservedWord(token);
      this.next();
      if (token.raw.toLowerCase() === 'cf' && this.peek().type === '[') {
        this.next();
        const id = this.peek();
        if (id.type !== 'word' || !/^[0-9]{1,18}$/.test(id.raw)) throw this.expecting('a custom field id', id);
        this.next();
        const close = this.peek();
        if (close.type !== ']') throw this.expecting("']'", close);
        this.next();
        return { kind: 'customFieldId', id: String(BigInt(id.raw)) };
      }
      return { kind: 'name', name: token.text, quoted: false };
    }
    throw this.expecting(what, token);
  }

  parseOperator(): Operator {
    const token = this.peek();
    switch (token.type) {
      case '=': case '!=': case '~': case '!~': case '>': case '>=': case '<': case '<=':
        this.next();
        return token.type;
    }
    if (this.isWord(token, 'in')) {
      this.next();
      return 'in';
    }
    if (this.isWord(token, 'not') && this.isWord(this.peek(1), 'in')) {
      this.next();
      this.next();
      return 'not in';
    }
    if (this.isWord(token, 'is')) {
      this.next();
      if (this.isWord(this.peek(), 'not')) {
        this.next();
        return 'is not';
      }
      return 'is';
    }
    throw this.expecting('operator', token, ` ${VALID_OPERATORS}`);
  }

  parseTerminal(): Clause {
    const offset = this.peek().offset;
    const field = this.parseField('a field name');
    const operator = this.parseOperator();
    let operand: Operand;
    if (operator === 'is' || operator === 'is not') {
      const token = this.peek();
      if (!this.isWord(token, 'empty') && !this.isWord(token, 'null')) throw this.expecting("'EMPTY' or 'NULL'", token);
      this.next();
      operand = { kind: 'empty', offset: token.offset };
    } else {
      operand = this.parseOperand();
    }
    return { kind: 'terminal', field, operator, operand, offset };
  }

  parseOperand(): Operand {
    const token = this.peek();
    if (this.isWord(token, 'empty') || this.isWord(token, 'null')) {
      this.next();
      return { kind: 'empty', offset: token.offset };
    }
    if (token.type === '(') {
      this.next();
      const items: (ValueOperand | FunctionOperand)[] = [this.parseListItem()];
      while (this.peek().type === ',') {
        this.next();
        items.push(this.parseListItem());
      }
      const close = this.peek();
      if (close.type !== ')') throw this.expecting("either ',' or ')'", close);
      this.next();
      return { kind: 'list', items, offset: token.offset };
    }
    return this.parseSingle('either a value, list or function');
  }

  parseListItem(): ValueOperand | FunctionOperand {
    return this.parseSingle('either a value or function');
  }

  parseSingle(what: string): ValueOperand | FunctionOperand {
    const token = this.peek();
    if (token.type === 'word' && this.peek(1).type === '(') {
      if (this.isReserved(token)) throw this.reservedWord(token);
      this.next();
      this.next();
      const args: string[] = [];
      if (this.peek().type !== ')') {
        args.push(this.parseArgument());
        while (this.peek().type === ',') {
          this.next();
          args.push(this.parseArgument());
        }
      }
      const close = this.peek();
      if (close.type !== ')') throw this.expecting("either ',' or ')'", close);
      this.next();
      return { kind: 'function', name: token.text, args, offset: token.offset };
    }
    if (token.type === 'string' || (token.type === 'word' && !this.isReserved(token))) {
      this.next();
      return { kind: 'value', text: token.text, quoted: token.type === 'string', offset: token.offset };
    }
    if (this.isReserved(token)) throw this.reservedWord(token);
    const suffix = token.type === 'eof' ? '' : ` You must surround '${token.raw}' in quotation marks to use it as a value.`;
    throw this.expecting(what, token, suffix);
  }

  parseArgument(): string {
    const token = this.peek();
    if (token.type === 'word' || token.type === 'string') {
      this.next();
      return token.text;
    }
    throw this.expecting('a function argument', token);
  }

  parseOrderBy(): SortItem[] {
    this.next(); // ORDER
    const by = this.peek();
    if (!this.isWord(by, 'by')) throw this.expecting("'BY'", by);
    this.next();
    const items: SortItem[] = [];
    for (;;) {
      const offset = this.peek().offset;
      const field = this.parseField('a field name');
      let direction: SortItem['direction'] = null;
      if (this.isWord(this.peek(), 'asc')) direction = 'asc';
      if (this.isWord(this.peek(), 'desc')) direction = 'desc';
      if (direction) this.next();
      items.push({ field, direction, offset });
      if (items.length > MAX_SORT_FIELDS) {
        throw syntaxError(this.text, offset, `The ORDER BY clause may contain at most ${MAX_SORT_FIELDS} fields.`);
      }
      const token = this.peek();
      if (token.type === ',') {
        this.next();
        continue;
      }
      if (token.type === 'eof') return items;
      throw this.expecting(direction ? "either ',' or the end of the query" : "either 'ASC', 'DESC' or ','", token);
    }
  }
}
