import { syntaxError } from './errors.js';

export type TokenType =
  | 'word' // bare word: field names, keywords, values such as HELP-1, -1d, alice@customer.test
  | 'string' // quoted "..." or '...'
  | '(' | ')' | ',' | '[' | ']'
  | '=' | '!=' | '~' | '!~' | '>' | '>=' | '<' | '<=' | '!'
  | 'and' | 'or' // && & || |
  | 'eof';

export interface Token {
  type: TokenType;
  /** the text after unescaping (for word and string); the symbol otherwise */
  text: string;
  /** the text as written, for error messages */
  raw: string;
  offset: number;
}

/** Longer than any query a person or saved filter writes; bounds the work one request can cause. */
export const MAX_JQL_LENGTH = 20_000;

const SYMBOLS: [string, TokenType][] = [
  ['!=', '!='], ['!~', '!~'], ['>=', '>='], ['<=', '<='], ['&&', 'and'], ['||', 'or'],
  ['(', '('], [')', ')'], [',', ','], ['[', '['], [']', ']'], ['=', '='], ['~', '~'],
  ['>', '>'], ['<', '<'], ['!', '!'], ['&', 'and'], ['|', 'or'],
];

// Characters allowed in a bare word besides letters and digits. Jira reserves more of them, but
// emails (alice@customer.test), keys (HELP-1) and periods (-1d) read better without quotes.
const WORD_PUNCTUATION = new Set(['.', '@', '+', '-', '_', '/', '*', '?', ':', '%', '$', '^']);

function isWordChar(ch: string): boolean {
  if (/^[A-Za-z0-9]$/.test(ch)) return true;
  if (WORD_PUNCTUATION.has(ch)) return true;
  const code = ch.codePointAt(0)!;
  return code > 0x7f && !/^\s$/u.test(ch);
}

function unicodeEscapeOf(ch: string): string {
  return '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
}

/** Reads one escape sequence starting at text[i] === '\\'; returns the character and the next index. */
function readEscape(text: string, i: number, soFar: string): [string, number] {
  const next = text[i + 1];
  const simple: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', n: '\n', r: '\r', t: '\t', ' ': ' ' };
  if (next !== undefined && next in simple) return [simple[next], i + 2];
  if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
    return [String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)), i + 6];
  }
  const sequence = next === undefined ? '\\' : `\\${next}`;
  throw syntaxError(text, i, `The escape sequence '${sequence}' in the string '${soFar}${sequence}' is illegal.`);
}

export function tokenize(text: string): Token[] {
  if (text.length > MAX_JQL_LENGTH) {
    throw syntaxError(text, MAX_JQL_LENGTH, `The query is too long: at most ${MAX_JQL_LENGTH} characters are allowed.`);
  }
  const tokens: Token[] = [];
  let i = 0;
  outer: while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const start = i;
      let value = '';
      i++;
      while (i < text.length) {
        const c = text[i];
        if (c === ch) {
          i++;
          tokens.push({ type: 'string', text: value, raw: text.slice(start, i), offset: start });
          continue outer;
        }
        if (c === '\\') {
          const [decoded, next] = readEscape(text, i, value);
          value += decoded;
          i = next;
        } else {
          value += c;
          i++;
        }
      }
      throw syntaxError(text, start, `The quoted string '${value}' has not been completed.`);
    }
    for (const [symbol, type] of SYMBOLS) {
      if (text.startsWith(symbol, i)) {
        tokens.push({ type, text: symbol, raw: symbol, offset: i });
        i += symbol.length;
        continue outer;
      }
    }
    if (isWordChar(ch) || ch === '\\') {
      const start = i;
      let value = '';
      while (i < text.length) {
        const c = text[i];
        if (c === '\\') {
          const [decoded, next] = readEscape(text, i, value);
          value += decoded;
          i = next;
        } else if (isWordChar(c)) {
          value += c;
          i++;
        } else {
          break;
        }
      }
      tokens.push({ type: 'word', text: value, raw: text.slice(start, i), offset: start });
      continue;
    }
    throw syntaxError(
      text,
      i,
      `The character '${ch}' is a reserved JQL character. You must enclose it in a string or use the escape '${unicodeEscapeOf(ch)}' instead.`,
    );
  }
  tokens.push({ type: 'eof', text: '', raw: '', offset: text.length });
  return tokens;
}
