import type { Static } from 'typebox';
import type { ApiErrorCode, ApiErrorSchema } from '../http/schemas/common';

/**
 * The web app talks to the server only over HTTP. Writes carry the session's CSRF token, which the
 * session endpoints return and this module remembers. The shapes of the answers are the server's
 * response schemas (src/http/schemas), imported as types only.
 */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

/** The body of an internal-API error (schemas/common.ts ApiErrorSchema). */
export type ApiErrorBody = Static<typeof ApiErrorSchema>;
export type { ApiErrorCode };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: Record<string, string> = {},
    /** the server's machine code (`not_found`, `validation_failed`, …); null when the answer had none (a proxy's error page) */
    readonly code: ApiErrorCode | null = null,
  ) {
    super(message);
  }
}

export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  return answer<T>(res);
}

/** POSTs a file as the whole body with its own content type (an upload of a CSV file). */
export async function upload<T>(url: string, file: Blob, contentType: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': contentType };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  return answer<T>(await fetch(url, { method: 'POST', headers, body: file, credentials: 'same-origin' }));
}

async function answer<T>(res: Response): Promise<T> {
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const error = data as Partial<ApiErrorBody> | undefined;
    const message = error?.errorMessages?.[0] ?? Object.values(error?.errors ?? {})[0] ?? `Request failed (${res.status})`;
    throw new ApiError(res.status, String(message), error?.errors ?? {}, error?.code ?? null);
  }
  return data as T;
}

export const get = <T,>(url: string) => api<T>('GET', url);
export const post = <T,>(url: string, body?: unknown) => api<T>('POST', url, body ?? {});
export const put = <T,>(url: string, body?: unknown) => api<T>('PUT', url, body ?? {});
export const del = <T,>(url: string, body?: unknown) => api<T>('DELETE', url, body);
