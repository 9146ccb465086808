import type { FastifyRequest } from 'fastify';
import { originOf } from '../../deps.js';
import { absoluteUrlOf } from '../../plugins/public-url.js';
import { pageOffset } from '../../../domain/limits.js';

/** `{base}` of the REST shapes: the public URL plus /s/{site}; every link is absolute. */
export function restBase(request: FastifyRequest, siteSlug: string): string {
  return `${originOf(request)}/s/${encodeURIComponent(siteSlug)}`;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Jira's timestamp form in UTC: `2024-05-01T10:00:00.000+0000`. */
export function jiraTimestamp(d: Date): string {
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}+0000`
  );
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function clock(d: Date): string {
  const h = d.getUTCHours();
  return `${((h + 11) % 12) + 1}:${pad(d.getUTCMinutes())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** "Today 10:00 AM", "Yesterday 4:05 PM", else "01/May/24 10:00 AM" (UTC, like a server without a user time zone). */
export function friendlyDate(d: Date, now = new Date()): string {
  const day = (x: Date) => Math.floor(x.getTime() / 86_400_000);
  const diff = day(now) - day(d);
  if (diff === 0) return `Today ${clock(d)}`;
  if (diff === 1) return `Yesterday ${clock(d)}`;
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${pad(d.getUTCFullYear() % 100)} ${clock(d)}`;
}

/** JSM `DateDTO` (docs/product.md#rest-shapes): always an object. */
export function presentDate(value: Date | string) {
  const d = value instanceof Date ? value : new Date(value);
  const jira = jiraTimestamp(d);
  return { iso8601: jira.slice(0, 19) + '+0000', jira, friendly: friendlyDate(d), epochMillis: d.getTime() };
}

/**
 * JSM `Page<T>` (docs/product.md#rest-shapes) with its links. `self` is the requested URL; next/prev are the
 * same URL with `start` moved, present only when that page exists.
 */
export function presentPage<T>(
  request: FastifyRequest,
  base: string,
  page: { start: number; limit: number; isLastPage: boolean; values: T[] },
  expands: string[] = [],
) {
  const self = absoluteUrlOf(request);
  const at = (start: number) => {
    const u = new URL(self);
    u.searchParams.set('start', String(start));
    u.searchParams.set('limit', String(page.limit));
    return u.toString();
  };
  return {
    _expands: expands,
    size: page.values.length,
    start: page.start,
    limit: page.limit,
    isLastPage: page.isLastPage,
    _links: {
      base,
      context: '',
      self: self.toString(),
      ...(page.isLastPage ? {} : { next: at(page.start + page.limit) }),
      ...(page.start > 0 ? { prev: at(Math.max(0, page.start - page.limit)) } : {}),
    },
    values: page.values,
  };
}

/** An array query parameter sent as repeated keys or as a comma list (docs/product.md#rest-transport). */
export function listParam(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const all = Array.isArray(value) ? value : [value];
  return all.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 100;

/** start/limit of a JSM list; a larger limit is lowered to 100 (the response says which was used), a start past MAX_OFFSET is a 400. */
export function pageWindow(query: { start?: number; limit?: number }): { start: number; limit: number } {
  const start = pageOffset(query.start, 'start');
  const limit = Math.max(1, Math.min(MAX_PAGE_LIMIT, Math.floor(query.limit ?? DEFAULT_PAGE_LIMIT)));
  return { start, limit };
}
