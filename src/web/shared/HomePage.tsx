import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { navigate } from '../router';
import { Loading } from './ui';
import { fetchStaffSession, sessionKeys, staffLanding, type StaffSession } from './useSession';

/** `/`: a signed-in staff member goes to their landing page, anyone else to /login. */
export function HomePage() {
  const query = useQuery<StaffSession, Error>({ queryKey: sessionKeys.staff, queryFn: fetchStaffSession });
  useEffect(() => {
    if (query.data) navigate(staffLanding(query.data), { replace: true });
    else if (query.isError) navigate('/login', { replace: true });
  }, [query.data, query.isError]);
  return <Loading />;
}
