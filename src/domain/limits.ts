import { badRequest } from './errors.js';

// Caps that many routes share. Each list's page size lives with its use case; docs/limits.md lists
// every cap of Portico with its value.

/**
 * The deepest offset any list or search of Portico serves (`start`, `startAt`, the offset inside a
 * JQL `nextPageToken`). An offset makes the database walk past every row before the page, so a
 * deeper one costs more however small the page; past this cap the answer is a 400 that says how to
 * get further (narrow the search), so the cost of one page never grows beyond the cost at the cap.
 * The export streams a whole list by keyset instead and has no such limit.
 */
export const MAX_OFFSET = 10_000;

/**
 * The offset of a page, 0 when absent; a 400 naming `param` past MAX_OFFSET (route schemas refuse
 * those too, this is the rule itself, for every caller of a use case).
 */
export function pageOffset(value: number | undefined, param = 'start'): number {
  const start = value === undefined || !Number.isFinite(value) ? 0 : Math.max(0, Math.floor(value));
  if (start > MAX_OFFSET) {
    const message = `'${param}' can be at most ${MAX_OFFSET.toLocaleString('en-US')}. Narrow the search to reach results further down.`;
    throw badRequest(message, { [param]: message });
  }
  return start;
}

/** JSON-schema bounds of an offset parameter, for route schemas (and so for the OpenAPI document). */
export const OFFSET_SCHEMA = { minimum: 0, maximum: MAX_OFFSET, description: `0-based offset, at most ${MAX_OFFSET}` } as const;

/**
 * The longest text a people or list search takes (pickers, user search, customer lists, request
 * types): a name or an email is shorter, and only the first words of a query are used anyway.
 */
export const SEARCH_TEXT_MAX_LENGTH = 256;

/** The largest request body Portico reads (JSON): larger ones are a 413 before they are parsed. */
export const BODY_LIMIT_BYTES = 1024 * 1024;
