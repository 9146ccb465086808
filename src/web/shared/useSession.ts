import { useEffect } from 'react';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { ApiError, get, setCsrfToken } from '../api';
import { useNavigate } from '@tanstack/react-router';
import type { Static } from 'typebox';
import type {
  ApiTokenListSchema,
  ApiTokenSummarySchema,
  CreatedApiTokenSchema,
  CustomerSessionSchema,
  LoginResponseSchema,
  PasswordResetAcceptedSchema,
  SessionAccountSchema,
  StaffSessionSchema,
} from '../../http/schemas/auth';

// The session answers, exactly as the server declares them (src/http/schemas/auth.ts).
export type SessionAccount = Static<typeof SessionAccountSchema>;
export type StaffSession = Static<typeof StaffSessionSchema>;
export type CustomerSession = Static<typeof CustomerSessionSchema>;
/** The answer of both logins (staff and help center). */
export type LoginResponse = Static<typeof LoginResponseSchema>;
export type PasswordResetAccepted = Static<typeof PasswordResetAcceptedSchema>;
export type ApiTokenSummary = Static<typeof ApiTokenSummarySchema>;
export type ApiTokenList = Static<typeof ApiTokenListSchema>;
export type CreatedApiToken = Static<typeof CreatedApiTokenSchema>;

export const sessionKeys = {
  staff: ['session', 'staff'] as const,
  customer: (site: string) => ['session', 'customer', site] as const,
};

export const fetchStaffSession = () => get<StaffSession>('/api/auth/session');
export const fetchCustomerSession = (site: string) => get<CustomerSession>(`/s/${encodeURIComponent(site)}/api/portal/session`);

/** Where a staff member starts: admins in the admin console, everyone else at their projects. */
export function staffLanding(session: StaffSession): string {
  return session.organizations.length > 0 ? '/admin' : '/projects';
}

/** A `next` target is followed only when it is a path on this origin (never "//evil" or "https://…"). */
export function safeNext(next: string | null, mustStartWith = '/'): string | null {
  if (!next || !next.startsWith(mustStartWith) || next.startsWith('//') || next.includes('\\')) return null;
  return next;
}

/** The page the browser shows (path and search): where a login sends its person back to. */
function here() {
  return window.location.pathname + window.location.search;
}

export function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

/**
 * The signed-in staff member. Remembers the CSRF token for writes; without a session the page is
 * replaced by the staff login page, which returns here afterwards.
 */
export function useStaffSession(): UseQueryResult<StaffSession, Error> {
  const query = useQuery<StaffSession, Error>({ queryKey: sessionKeys.staff, queryFn: fetchStaffSession, staleTime: 30_000 });
  const signedOut = isUnauthenticated(query.error);
  const navigate = useNavigate();
  useEffect(() => {
    if (query.data) setCsrfToken(query.data.csrfToken);
  }, [query.data]);
  useEffect(() => {
    // Several components may ask at once: only the first one, not yet on the login page, redirects.
    if (signedOut && window.location.pathname !== '/login') void navigate({ to: '/login', search: { next: here() }, replace: true });
  }, [signedOut, navigate]);
  return query;
}

/**
 * The signed-in customer of one site's help center; without a session, that site's login page —
 * unless `stay` (a page a visitor may read when the site allows it: shared/PortalLayout.tsx decides).
 */
export function useCustomerSession(site: string, options: { stay?: boolean } = {}): UseQueryResult<CustomerSession, Error> {
  const query = useQuery<CustomerSession, Error>({ queryKey: sessionKeys.customer(site), queryFn: () => fetchCustomerSession(site), staleTime: 30_000 });
  const signedOut = isUnauthenticated(query.error);
  const navigate = useNavigate();
  useEffect(() => {
    if (query.data) setCsrfToken(query.data.csrfToken);
  }, [query.data]);
  useEffect(() => {
    if (signedOut && !options.stay && !window.location.pathname.endsWith('/servicedesk/customer/user/login')) {
      void navigate({ to: '/s/$site/servicedesk/customer/user/login', params: { site }, search: { next: here() }, replace: true });
    }
  }, [signedOut, options.stay, site, navigate]);
  return query;
}
