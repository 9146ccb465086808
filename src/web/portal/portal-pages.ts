// The help center's pages in one module, so that the surface is one download (plus what it shares with
// another surface), not one file per page: docs/architecture.md, "The web app's files".
export * from './PortalsPage';
export * from './PortalPage';
export * from './CreateRequestPage';
export * from './MyRequestsPage';
export * from './RequestPage';
export * from './ArticlePage';
export * from './ForgotPasswordPage';
export * from './ResetPasswordPage';
export * from './UnsubscribePage';
export * from './SignUpPage';
export * from './SetPasswordPage';
export * from './CustomerProfilePage';
export * from './ConfirmEmailPage';
