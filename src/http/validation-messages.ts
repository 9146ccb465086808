import type { ErrorObject } from 'ajv';

// Validation errors in words people understand (docs/product.md#messages): what a route's schema
// refused, said as "Summary is required." or "A comment can be at most 40,000 characters.", never
// the validator's own text ("must NOT have more than 40000 characters"). The web app shows these
// under the field they name; REST clients read them in Atlassian's error shape.
//
// A field is named by its schema's `title` when it has one (TypeBox: Type.String({ title: 'A
// comment' })), else by its property name made readable ("displayName" → "Display name"). On the
// REST API (`quoteNames`) a field is its parameter's name in quotes, as a developer typed it
// ("'maxResults' must be at most 5,000.").

export interface PlainValidation {
  /** the first problem, for errorMessages */
  message: string;
  /** one problem per field, keyed by the field's path (dots between levels) */
  errors: Record<string, string>;
}

type AjvError = ErrorObject & { parentSchema?: Record<string, unknown>; schema?: unknown };

export function plainValidation(validation: ReadonlyArray<AjvError>, context: string | undefined, quoteNames: boolean): PlainValidation {
  const errors: Record<string, string> = {};
  const unions = validation.filter((v) => v.keyword === 'anyOf');
  const inBranch = (v: AjvError, union: AjvError) => v !== union && v.schemaPath.startsWith(union.schemaPath + '/');
  for (const v of validation) {
    // A union (TypeBox's Union is anyOf) reports each branch's failure before its own. A branch of
    // the value's own type that refused it says why (a text too long); otherwise the union's error
    // says what was allowed.
    if (unions.some((u) => inBranch(v, u))) continue;
    let shown = v;
    if (v.keyword === 'anyOf') {
      const telling = validation.filter((b) => inBranch(b, v) && b.keyword !== 'type' && b.keyword !== 'const');
      if (telling.length > 0) shown = telling[0];
    }
    const { key, name } = fieldOf(shown, context, quoteNames);
    if (!(key in errors)) errors[key] = sentence(shown, name);
  }
  const message = Object.values(errors)[0] ?? 'Something in the request is not valid.';
  return { message, errors };
}

function fieldOf(v: AjvError, context: string | undefined, quoteNames: boolean): { key: string; name: string } {
  const params = v.params as Record<string, unknown>;
  const path = v.instancePath.replace(/^\//, '').split('/').filter(Boolean);
  let property: string | undefined;
  let title: unknown;
  if (v.keyword === 'required' && typeof params.missingProperty === 'string') {
    property = params.missingProperty;
    path.push(property);
    const properties = (v.parentSchema?.properties ?? {}) as Record<string, { title?: unknown }>;
    title = properties[property]?.title;
  } else if (v.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    // a field no form sends (a script's typo): named as sent, so whoever sent it finds it
    property = params.additionalProperty;
    path.push(property);
    return { key: path.join('.'), name: `'${property}'` };
  } else {
    property = path[path.length - 1];
    title = v.parentSchema?.title;
  }
  const key = path.join('.') || context || 'request';
  if (quoteNames) return { key, name: `'${property ?? key}'` };
  if (typeof title === 'string' && title.trim() !== '') return { key, name: title };
  if (property === undefined || /^\d+$/.test(property)) return { key, name: readable(context ?? 'request') };
  return { key, name: readable(property) };
}

/** "displayName" → "Display name", "request_type" → "Request type", "jql" → "JQL" */
export function readable(name: string): string {
  const known: Record<string, string> = { jql: 'JQL', id: 'ID', url: 'URL', csv: 'CSV', imap: 'IMAP', smtp: 'SMTP', querystring: 'The address' };
  if (known[name.toLowerCase()]) return known[name.toLowerCase()];
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .split(/\s+/)
    .map((w) => known[w.toLowerCase()] ?? w.toLowerCase());
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a group of fields',
  null: 'empty',
};

const FORMAT_WORDS: Record<string, string> = {
  email: 'an email address',
  uri: 'a web address',
  url: 'a web address',
  'date-time': 'a date and time',
  date: 'a date',
  time: 'a time',
  uuid: 'an ID',
};

function count(n: unknown): string {
  return typeof n === 'number' ? n.toLocaleString('en-US') : String(n);
}

function characters(n: unknown): string {
  return n === 1 ? '1 character' : `${count(n)} characters`;
}

function items(n: unknown): string {
  return n === 1 ? '1 item' : `${count(n)} items`;
}

function listOf(values: unknown[]): string {
  const shown = values.map((x) => (typeof x === 'string' ? `“${x}”` : String(x)));
  return shown.length <= 1 ? (shown[0] ?? '') : `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
}

function sentence(v: AjvError, name: string): string {
  const params = v.params as Record<string, unknown>;
  switch (v.keyword) {
    case 'required':
      return `${name} is required.`;
    case 'additionalProperties':
      return `There is no field ${name} here.`;
    case 'minLength':
      return params.limit === 1 ? `${name} is required.` : `${name} must be at least ${characters(params.limit)}.`;
    case 'maxLength':
      return `${name} can be at most ${characters(params.limit)}.`;
    case 'minimum':
      return `${name} must be at least ${count(params.limit)}.`;
    case 'maximum':
      return `${name} can be at most ${count(params.limit)}.`;
    case 'exclusiveMinimum':
      return `${name} must be more than ${count(params.limit)}.`;
    case 'exclusiveMaximum':
      return `${name} must be less than ${count(params.limit)}.`;
    case 'minItems':
      return params.limit === 1 ? `${name} needs at least one item.` : `${name} needs at least ${items(params.limit)}.`;
    case 'maxItems':
      return `${name} can have at most ${items(params.limit)}.`;
    case 'uniqueItems':
      return `${name} lists the same item twice.`;
    case 'minProperties':
      return `${name} needs at least ${count(params.limit)} ${params.limit === 1 ? 'entry' : 'entries'}.`;
    case 'maxProperties':
      return `${name} can have at most ${count(params.limit)} ${params.limit === 1 ? 'entry' : 'entries'}.`;
    case 'type': {
      const types = String(params.type).split(',');
      return `${name} must be ${types.map((t) => TYPE_WORDS[t] ?? t).join(' or ')}.`;
    }
    case 'format':
      return `${name} must be ${FORMAT_WORDS[String(params.format)] ?? 'in the expected form'}.`;
    case 'pattern':
      return `${name} is not in the expected form.`;
    case 'enum':
      return `${name} must be ${listOf((params.allowedValues as unknown[]) ?? [])}.`;
    case 'const':
      return `${name} must be ${listOf([params.allowedValue])}.`;
    case 'anyOf': {
      const branches = Array.isArray(v.schema) ? (v.schema as Array<Record<string, unknown>>) : [];
      const literals = branches.filter((b) => 'const' in b).map((b) => b.const);
      if (literals.length === branches.length && literals.length > 0) return `${name} must be ${listOf(literals)}.`;
      return `${name} is not in a form this field takes.`;
    }
    default:
      return `${name} is not valid.`;
  }
}
