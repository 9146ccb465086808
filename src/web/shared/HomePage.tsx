import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { Loading } from './ui';
import { fetchStaffSession, sessionKeys, staffLanding, type StaffSession } from './useSession';

/** `/`: a signed-in staff member goes to their landing page, anyone else to /login. */
export function HomePage() {
  const query = useQuery<StaffSession, Error>({ queryKey: sessionKeys.staff, queryFn: fetchStaffSession });
  const navigate = useNavigate();
  useEffect(() => {
    if (query.data) void navigate({ to: staffLanding(query.data), replace: true });
    else if (query.isError) void navigate({ to: '/login', replace: true });
  }, [query.data, query.isError, navigate]);
  return <Loading />;
}
