import type { RouteDef } from '../router';
import { CustomerLoginPage } from './CustomerLoginPage';
import { HomePage } from './HomePage';
import { LoginPage } from './LoginPage';
import { ProfilePage } from './ProfilePage';
import { ProjectsPage } from './ProjectsPage';

export const shellRoutes: RouteDef[] = [
  { path: '/', render: () => <HomePage /> },
  { path: '/login', render: () => <LoginPage /> },
  { path: '/projects', render: () => <ProjectsPage /> },
  { path: '/profile', render: () => <ProfilePage /> },
  { path: '/s/:site/servicedesk/customer/user/login', render: ({ site }) => <CustomerLoginPage key={site} site={site} /> },
];
