import { ApiError } from '../api';
import { useStaffSession } from '../shared/useSession';

/**
 * The signed-in staff member (organizations and sites they administer); the shell's session hook
 * sends a signed-out visitor to /login and back.
 */
export const useAdminSession = useStaffSession;

/** True when the error means "not yours to see" (the server answers 403, or 404 across tenants). */
export function isNotPermitted(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 403 || error.status === 404);
}
