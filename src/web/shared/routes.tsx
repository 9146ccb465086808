import { pageRoute } from '../lazy-page';
import { CustomerLoginPage } from './CustomerLoginPage';
import { HomePage } from './HomePage';
import { LoginPage } from './LoginPage';
import { ProfilePage } from './ProfilePage';
import { ProjectsPage } from './ProjectsPage';
import { SsoCallbackPage } from './SsoCallbackPage';

// The shell's pages are part of the first download: they are where everyone starts.

/** `?next=…`: where to go after logging in (followed only when safe: useSession.ts safeNext). */
export interface LoginSearch {
  next?: string;
}

const loginSearch = (search: Record<string, unknown>): LoginSearch => ({ next: typeof search.next === 'string' ? search.next : undefined });

export const shellRoutes = [
  pageRoute('/', HomePage, () => ({})),
  pageRoute('/login', LoginPage, ({ search }) => ({ next: search.next ?? null }), loginSearch),
  pageRoute('/projects', ProjectsPage, () => ({})),
  pageRoute('/profile', ProfilePage, () => ({})),
  pageRoute('/s/$site/servicedesk/customer/user/login', CustomerLoginPage, ({ params, search }) => ({ site: params.site, next: search.next ?? null }), loginSearch),
  pageRoute('/s/$site/servicedesk/customer/user/sso/callback', SsoCallbackPage, ({ params }) => ({ site: params.site })),
] as const;
