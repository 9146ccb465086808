import { useEffect } from 'react';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { ApiError, setCsrfToken } from '../api';
import { fetchStaffSession, sessionKeys, type StaffSession } from '../shared/useSession';

/**
 * The signed-in staff member (organizations and sites they administer), from the shell's session
 * query. Every admin page renders the StaffHeader, whose useStaffSession sends a signed-out visitor
 * to /login?next=… — exactly once: a second redirecting hook here would run after the first and
 * turn `next` into "/login?next=…", losing the way back.
 */
export function useAdminSession(): UseQueryResult<StaffSession, Error> {
  const query = useQuery<StaffSession, Error>({ queryKey: sessionKeys.staff, queryFn: fetchStaffSession, staleTime: 30_000 });
  useEffect(() => {
    if (query.data) setCsrfToken(query.data.csrfToken);
  }, [query.data]);
  return query;
}

/** True when the error means "not yours to see" (the server answers 403, or 404 across tenants). */
export function isNotPermitted(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 403 || error.status === 404);
}
