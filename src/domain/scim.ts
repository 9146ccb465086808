import { parse as parseFilter, type Filter } from 'scim2-parse-filter';
import { validCustomerEmail } from './customer-email.js';
import { displayNameProblem } from './display-name.js';

// SCIM 2.0 (RFC 7643 resources, RFC 7644 protocol) as a site's identity provider speaks it to
// Portico (docs/product.md#scim-provisioning): what a User resource says about a portal-only
// customer, which filters are answered, and the error a refusal carries.

export const SCIM_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const SCIM_LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SCIM_PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** Page size of a list when the client names none, and the largest it gets (RFC 7644 §3.4.2.4: a larger `count` is lowered). */
export const SCIM_PAGE_DEFAULT = 100;
export const SCIM_PAGE_MAX = 100;
export const SCIM_FILTER_MAX_LENGTH = 1000;
export const SCIM_USER_NAME_MAX = 320;
export const SCIM_EXTERNAL_ID_MAX = 255;
export const SCIM_PATCH_OPERATIONS_MAX = 100;

/** RFC 7644 §3.12 scimType values Portico answers with. */
export type ScimType = 'invalidFilter' | 'tooMany' | 'uniqueness' | 'mutability' | 'invalidSyntax' | 'invalidPath' | 'noTarget' | 'invalidValue' | 'invalidVers' | 'sensitive';

/** A refusal in SCIM's terms: the HTTP status, the scimType where RFC 7644 has one, and a detail in plain words. */
export class ScimProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimType,
  ) {
    super(detail);
  }
}

const invalid = (detail: string, scimType: ScimType = 'invalidValue') => new ScimProblem(400, detail, scimType);

/** The audit log's name for whoever acted with a SCIM token. */
export function scimActorLabel(tokenLabel: string): string {
  return `SCIM (${tokenLabel})`;
}

/** What a User resource (POST, PUT, or the result of a PATCH) asks of a customer. */
export interface ScimUserInput {
  userName: string;
  email: string;
  displayName: string;
  externalId: string | null;
  active: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An attribute by its name, case-insensitively (RFC 7643 §2.1: attribute names are case-insensitive). */
function attr(resource: Record<string, unknown>, name: string): unknown {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(resource)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

function optionalText(value: unknown, field: string, max: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalid(`'${field}' must be a string.`);
  const text = value.trim();
  if (text.length > max) throw invalid(`'${field}' must be at most ${max} characters.`);
  return text === '' ? null : text;
}

/**
 * `active` as identity providers send it: a boolean, or — Entra ID — the strings "True" / "False"
 * (any case). Absent means active.
 */
export function scimBoolean(value: unknown, field = 'active'): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  throw invalid(`'${field}' must be true or false.`);
}

/** The email of a User: the primary email, else the work one, else the first, else userName when it is an address. */
function emailOf(resource: Record<string, unknown>, userName: string): string {
  const emails = attr(resource, 'emails');
  const candidates: string[] = [];
  if (emails !== undefined && emails !== null) {
    if (!Array.isArray(emails)) throw invalid("'emails' must be a list of {value, type, primary}.");
    if (emails.length > 20) throw invalid("'emails' may hold at most 20 addresses.");
    const entries = emails.map((e) => {
      if (!isRecord(e)) throw invalid("'emails' must be a list of {value, type, primary}.");
      const value = attr(e, 'value');
      if (typeof value !== 'string') throw invalid("Each of 'emails' needs a string 'value'.");
      const primary = attr(e, 'primary');
      return { value, type: String(attr(e, 'type') ?? '').toLowerCase(), primary: primary === true || (typeof primary === 'string' && primary.toLowerCase() === 'true') };
    });
    const ordered = [...entries.filter((e) => e.primary), ...entries.filter((e) => !e.primary && e.type === 'work'), ...entries];
    candidates.push(...ordered.map((e) => e.value));
  }
  candidates.push(userName);
  for (const candidate of candidates) {
    const email = validCustomerEmail(candidate);
    if (email) return email;
  }
  throw invalid('The user needs an email address: a valid address in emails (primary or work) or as userName.');
}

function displayNameOf(resource: Record<string, unknown>, email: string): string {
  const name = attr(resource, 'name');
  if (name !== undefined && name !== null && !isRecord(name)) throw invalid("'name' must be an object.");
  const formatted = name ? optionalText(attr(name, 'formatted'), 'name.formatted', 255) : null;
  const given = name ? optionalText(attr(name, 'givenName'), 'name.givenName', 255) : null;
  const family = name ? optionalText(attr(name, 'familyName'), 'name.familyName', 255) : null;
  const parts = [given, family].filter(Boolean).join(' ');
  const chosen = optionalText(attr(resource, 'displayName'), 'displayName', 255) ?? formatted ?? (parts || null) ?? email;
  const problem = displayNameProblem(chosen);
  if (problem) throw invalid(problem);
  return chosen;
}

/**
 * Reads a User resource into what Portico keeps of it: userName (required) and externalId as the
 * identity provider's names, the email (userName/emails), the full name (displayName, else name),
 * whether access is granted (active). Anything else the resource holds is ignored, as RFC 7644
 * allows for attributes a service provider does not support.
 */
export function readScimUser(body: unknown): ScimUserInput {
  if (!isRecord(body)) throw invalid('The body must be a SCIM User resource (a JSON object).', 'invalidSyntax');
  const schemas = attr(body, 'schemas');
  if (schemas !== undefined && !(Array.isArray(schemas) && schemas.every((s) => typeof s === 'string'))) throw invalid("'schemas' must be a list of URNs.", 'invalidSyntax');
  const userName = optionalText(attr(body, 'userName'), 'userName', SCIM_USER_NAME_MAX);
  if (!userName) throw invalid("'userName' is required.");
  if (/[\u0000-\u001f\u007f]/.test(userName)) throw invalid("'userName' must not contain control characters.");
  const email = emailOf(body, userName);
  const active = attr(body, 'active');
  return {
    userName,
    email,
    displayName: displayNameOf(body, email),
    externalId: optionalText(attr(body, 'externalId'), 'externalId', SCIM_EXTERNAL_ID_MAX),
    active: active === undefined || active === null ? true : scimBoolean(active),
  };
}

/** The one condition a list filter may set: Portico answers equality on these attributes. */
export type ScimUserFilter = { attribute: 'userName' | 'externalId' | 'email' | 'id'; value: string } | null;

const UNSUPPORTED_FILTER =
  'Portico answers filters of the form userName eq "…", externalId eq "…", id eq "…", emails.value eq "…" or emails[type eq "work"].value eq "…".';

function compareValue(f: Filter, path: string): string | undefined {
  if (f.op !== 'eq' || !('attrPath' in f) || f.attrPath.toLowerCase() !== path.toLowerCase()) return undefined;
  const value = (f as { compValue: unknown }).compValue;
  return typeof value === 'string' ? value : undefined;
}

/** Whether `f` is `type eq "work"` (the email type identity providers filter on). */
function isTypeCondition(f: Filter): boolean {
  return compareValue(f, 'type') !== undefined;
}

/** Parses a list's `filter` (RFC 7644 §3.4.2.2) into the condition Portico answers, or a 400 invalidFilter. */
export function parseScimUserFilter(text: string | undefined): ScimUserFilter {
  if (text === undefined || text.trim() === '') return null;
  if (text.length > SCIM_FILTER_MAX_LENGTH) throw invalid(`'filter' must be at most ${SCIM_FILTER_MAX_LENGTH} characters.`, 'invalidFilter');
  let f: Filter;
  try {
    f = parseFilter(text);
  } catch {
    throw invalid(`The filter could not be read. ${UNSUPPORTED_FILTER}`, 'invalidFilter');
  }
  for (const attribute of ['userName', 'externalId', 'id'] as const) {
    const value = compareValue(f, attribute);
    if (value !== undefined) return { attribute, value };
  }
  const email = compareValue(f, 'emails.value');
  if (email !== undefined) return { attribute: 'email', value: email };
  // emails[type eq "work"].value eq "x" parses as (emails[type eq "work"]) and (emails.value eq "x")
  if (f.op === 'and' && 'filters' in f && f.filters.length === 2) {
    const [a, b] = f.filters;
    const value = compareValue(b, 'emails.value');
    if (value !== undefined && a.op === '[]' && 'valFilter' in a && a.attrPath.toLowerCase() === 'emails' && isTypeCondition(a.valFilter)) {
      return { attribute: 'email', value };
    }
  }
  // emails[value eq "x"] and emails[type eq "work" and value eq "x"]
  if (f.op === '[]' && 'valFilter' in f && f.attrPath.toLowerCase() === 'emails') {
    const inner = f.valFilter;
    const direct = compareValue(inner, 'value');
    if (direct !== undefined) return { attribute: 'email', value: direct };
    if (inner.op === 'and' && 'filters' in inner && inner.filters.length === 2) {
      const value = inner.filters.map((g) => compareValue(g, 'value')).find((v) => v !== undefined);
      if (value !== undefined && inner.filters.some(isTypeCondition)) return { attribute: 'email', value };
    }
  }
  throw invalid(UNSUPPORTED_FILTER, 'invalidFilter');
}

/**
 * RFC 7644 §3.4.2.4 paging: `startIndex` is 1-based (less than 1 is 1), `count` is lowered to the
 * largest page (negative is 0). The offset is capped as every list's is (docs/limits.md).
 */
export function scimPage(startIndex: number | undefined, count: number | undefined, maxOffset: number): { offset: number; count: number; startIndex: number } {
  const start = Math.max(1, Math.floor(startIndex ?? 1));
  if (start - 1 > maxOffset) throw invalid(`'startIndex' can be at most ${(maxOffset + 1).toLocaleString('en-US')}. Narrow the search with a filter.`);
  const size = Math.min(SCIM_PAGE_MAX, Math.max(0, Math.floor(count ?? SCIM_PAGE_DEFAULT)));
  return { offset: start - 1, count: size, startIndex: start };
}

/**
 * Brings a PATCH's operations to the form the patch library applies (RFC 7644 §3.5.2), with what
 * identity providers are known to send: Entra ID's capitalised `op` ("Replace") and string booleans
 * ("False") for `active`, with or without a path. Anything malformed is a 400 invalidSyntax.
 */
export function normalizePatchOperations(body: unknown): Array<{ op: 'add' | 'remove' | 'replace'; path?: string; value?: unknown }> {
  if (!isRecord(body)) throw invalid('The body must be a SCIM PatchOp message (a JSON object).', 'invalidSyntax');
  const operations = attr(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0) throw invalid("'Operations' must be a non-empty list.", 'invalidSyntax');
  if (operations.length > SCIM_PATCH_OPERATIONS_MAX) throw invalid(`At most ${SCIM_PATCH_OPERATIONS_MAX} operations per PATCH.`, 'tooMany');
  type Operation = { op: 'add' | 'remove' | 'replace'; path?: string; value?: unknown };
  return operations.flatMap((raw): Operation[] => {
    if (!isRecord(raw)) throw invalid('Each operation must be an object with op, path and value.', 'invalidSyntax');
    const op = attr(raw, 'op');
    if (typeof op !== 'string' || !/^(add|remove|replace)$/i.test(op)) throw invalid("Each operation's 'op' must be add, remove or replace.", 'invalidSyntax');
    const rawPath = attr(raw, 'path');
    if (rawPath !== undefined && (typeof rawPath !== 'string' || rawPath.length > 500 || rawPath.trim() === '')) throw invalid("An operation's 'path' must be a non-empty attribute path.", 'invalidPath');
    const lowerOp = op.toLowerCase() as 'add' | 'remove' | 'replace';
    let value = attr(raw, 'value');
    if (typeof rawPath === 'string') {
      // Attributes Portico does not keep (title, phoneNumbers, the enterprise extension…) are
      // ignored, as RFC 7644 lets a service provider do; only known attributes reach the patch
      // library, so no path can name __proto__ or constructor.
      const path = canonicalPath(rawPath.trim());
      if (path === undefined) return [];
      if (path === 'active') value = scimBoolean(value);
      if (lowerOp !== 'remove' && value === undefined) throw invalid(`A '${lowerOp}' operation needs a value.`, 'invalidValue');
      return [{ op: lowerOp, path, ...(value !== undefined ? { value } : {}) }];
    }
    if (!isRecord(value)) throw invalid(`A '${lowerOp}' operation without a path needs an object value.`, 'invalidValue');
    const known = Object.entries(value).flatMap(([k, v]) => {
      const name = KNOWN_ATTRIBUTES.find((a) => !a.includes('.') && a.toLowerCase() === k.toLowerCase());
      return name ? [[name, name === 'active' ? scimBoolean(v) : v] as const] : [];
    });
    return known.length ? [{ op: lowerOp, value: Object.fromEntries(known) }] : [];
  });
}

const KNOWN_ATTRIBUTES = ['userName', 'externalId', 'displayName', 'active', 'emails', 'name', 'name.givenName', 'name.familyName', 'name.formatted'];

/**
 * The path with Portico's attribute name in its canonical case (names are case-insensitive, the
 * library's are not), or undefined when it names an attribute Portico does not keep.
 */
function canonicalPath(path: string): string | undefined {
  const withoutUrn = path.toLowerCase().startsWith(SCIM_USER_SCHEMA.toLowerCase() + ':') ? path.slice(SCIM_USER_SCHEMA.length + 1) : path;
  const head = /^[A-Za-z]+(?:\.[A-Za-z]+)?/.exec(withoutUrn)?.[0] ?? '';
  const rest = withoutUrn.slice(head.length);
  const known = KNOWN_ATTRIBUTES.find((a) => a.toLowerCase() === head.toLowerCase());
  if (known && (rest === '' || rest.startsWith('['))) return known + rest;
  const top = KNOWN_ATTRIBUTES.find((a) => !a.includes('.') && a.toLowerCase() === head.split('.')[0].toLowerCase());
  return top === 'emails' && /^emails\.(value|type|primary)$/i.test(head) ? head : undefined;
}
