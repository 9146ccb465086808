import type { ReactNode } from 'react';

/**
 * The help center's one-card pages (log in, sign up, the pages a mailed link opens): the page's
 * heading under the "Help center" mark, and its content, centred on a phone and a desktop alike.
 */
export function HelpCenterCard({ title, children }: { title: ReactNode; children: ReactNode }) {
  return (
    <div className="login-screen portal-login">
      <main className="login-card">
        <p className="login-brand" aria-hidden="true">
          Help center
        </p>
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}
