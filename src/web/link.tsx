import { forwardRef, type AnchorHTMLAttributes } from 'react';
import { createLink, type LinkComponent } from '@tanstack/react-router';

// The app's in-app link: TanStack Router's typed Link (a real <a href>, so a new tab works; a plain
// click navigates without a reload). TanStack marks an active link with aria-current="page"; here a
// link is active only when it leads to exactly this page (path and search) unless a navigation
// passes its own `activeOptions` (a tab that stays current on its sub-pages).

const Anchor = forwardRef<HTMLAnchorElement, AnchorHTMLAttributes<HTMLAnchorElement>>(function Anchor(props, ref) {
  return <a ref={ref} {...props} />;
});

const RouterLink = createLink(Anchor);

export const Link: LinkComponent<typeof Anchor> = (props) => <RouterLink activeOptions={{ exact: true }} {...props} />;
