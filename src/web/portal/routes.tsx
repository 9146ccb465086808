import { lazySurface, pageRoute } from '../lazy-page';

// The help center (docs/product.md#help-center), downloaded only when one of its pages is visited
// (lazy-page.tsx). user/login is the shell's (shared/routes.tsx).
const page = lazySurface(() => import('./portal-pages'));
const PortalsPage = page('PortalsPage');
const PortalPage = page('PortalPage');
const CreateRequestPage = page('CreateRequestPage');
const MyRequestsPage = page('MyRequestsPage');
const RequestPage = page('RequestPage');
const ArticlePage = page('ArticlePage');
const ForgotPasswordPage = page('ForgotPasswordPage');
const ResetPasswordPage = page('ResetPasswordPage');
const UnsubscribePage = page('UnsubscribePage');
const SignUpPage = page('SignUpPage');
const SetPasswordPage = page('SetPasswordPage');
const CustomerProfilePage = page('CustomerProfilePage');
const ConfirmEmailPage = page('ConfirmEmailPage');

/** "My requests" keeps its tab and page in the URL: `?filter=created|shared&start=n` (no filter: all). */
export interface MyRequestsSearch {
  filter?: 'created' | 'shared';
  start?: number;
}

// Validators name every key they own (undefined when absent or unusable): TanStack keeps the URL's
// other keys beside them.
function myRequestsSearch(search: Record<string, unknown>): MyRequestsSearch {
  return {
    filter: search.filter === 'created' || search.filter === 'shared' ? search.filter : undefined,
    start: search.start === undefined ? undefined : Math.max(0, Number(search.start) || 0),
  };
}

/** A portal's knowledge-base search: `?q=words` (none: the portal's articles by title). */
const kbSearch = (search: Record<string, unknown>): { q?: string } => {
  // the router reads ?q=42 as a number
  const q = typeof search.q === 'string' || typeof search.q === 'number' ? String(search.q).slice(0, 500) : '';
  return { q: q === '' ? undefined : q };
};

/** The token a reset mail links with (src/use-cases/auth/request-password-reset.ts), and a notification's unsubscribe link. */
const resetSearch = (search: Record<string, unknown>): { token?: string } => ({ token: typeof search.token === 'string' ? search.token : undefined });

export const portalRoutes = [
  pageRoute('/s/$site/servicedesk/customer/portals', PortalsPage, ({ params }) => ({ site: params.site })),
  pageRoute('/s/$site/servicedesk/customer/user/forgot-password', ForgotPasswordPage, ({ params }) => ({ site: params.site })),
  pageRoute('/s/$site/servicedesk/customer/user/reset-password', ResetPasswordPage, ({ params, search }) => ({ site: params.site, token: search.token ?? '' }), resetSearch),
  pageRoute('/s/$site/servicedesk/customer/user/signup', SignUpPage, ({ params }) => ({ site: params.site })),
  // a sign-up's verification link and an invitation link (src/use-cases/onboarding/portal-accounts.ts)
  pageRoute('/s/$site/servicedesk/customer/user/set-password', SetPasswordPage, ({ params, search }) => ({ site: params.site, token: search.token ?? '' }), resetSearch),
  // an admin's email change, confirmed by the new address (src/use-cases/customers/change-customer-email.ts)
  pageRoute('/s/$site/servicedesk/customer/user/confirm-email', ConfirmEmailPage, ({ params, search }) => ({ site: params.site, token: search.token ?? '' }), resetSearch),
  // the customer's profile: their own data and erasure request (docs/product.md#own-data)
  pageRoute('/s/$site/servicedesk/customer/user/profile', CustomerProfilePage, ({ params }) => ({ site: params.site })),
  pageRoute('/s/$site/servicedesk/customer/unsubscribe', UnsubscribePage, ({ params, search }) => ({ site: params.site, token: search.token ?? '' }), resetSearch),
  pageRoute(
    '/s/$site/servicedesk/customer/user/requests',
    MyRequestsPage,
    ({ params, search }) => ({ site: params.site, filter: search.filter ?? ('all' as const), start: search.start ?? 0 }),
    myRequestsSearch,
  ),
  pageRoute('/s/$site/servicedesk/customer/article/$id', ArticlePage, ({ params }) => ({ site: params.site, id: params.id })),
  pageRoute(
    '/s/$site/servicedesk/customer/portal/$projectId',
    PortalPage,
    ({ params, search }) => ({ site: params.site, projectId: params.projectId, query: search.q ?? '' }),
    kbSearch,
  ),
  pageRoute('/s/$site/servicedesk/customer/portal/$projectId/create/$requestTypeId', CreateRequestPage, ({ params }) => ({
    site: params.site,
    projectId: params.projectId,
    requestTypeId: params.requestTypeId,
  })),
  pageRoute('/s/$site/servicedesk/customer/portal/$projectId/$issueKey', RequestPage, ({ params }) => ({
    site: params.site,
    projectId: params.projectId,
    issueKey: params.issueKey,
  })),
] as const;
