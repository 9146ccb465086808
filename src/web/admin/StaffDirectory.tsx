import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { DataTable, ErrorMessage, Loading, type Column } from '../shared/ui';
import { adminApi, keys } from './admin-api';
import { NOT_ADMINISTERED } from './paths';

/** Whose staff a list shows: an organization's (centralized Directory) or one site's (original site admin). */
export type StaffScope = { orgId: string } | { siteSlug: string };

/** One list of the directory: its heading, a sentence on what it holds, and the table once loaded. */
function DirectoryList<T>({
  id,
  heading,
  description,
  what,
  query,
  columns,
  rowKey,
  empty,
}: {
  id: string;
  heading: string;
  description: string;
  what: string;
  query: UseQueryResult<{ values: T[] }>;
  columns: Column<T>[];
  rowKey: (row: T) => string;
  empty: string;
}) {
  return (
    <section aria-labelledby={id} className="adm-section">
      <h2 id={id}>{heading}</h2>
      <p className="adm-muted">{description}</p>
      {query.isPending && <Loading label={`Loading ${what}…`} />}
      {query.isError && <ErrorMessage error={query.error} title={`Could not load the ${what}`} byStatus={NOT_ADMINISTERED} />}
      {query.data && <DataTable caption={heading} columns={columns} rows={query.data.values} rowKey={rowKey} empty={empty} />}
    </section>
  );
}

/** Directory → Users of an organization (centralized) — or of one site (original: the site's Users). */
export function StaffUsers({ scope, heading = 'Users' }: { scope: StaffScope; heading?: string }) {
  const users = useQuery({
    queryKey: 'orgId' in scope ? keys.orgUsers(scope.orgId) : keys.siteUsers(scope.siteSlug),
    queryFn: () => ('orgId' in scope ? adminApi.orgUsers(scope.orgId) : adminApi.siteUsers(scope.siteSlug)),
  });
  return (
    <DirectoryList
      id="users-heading"
      heading={heading}
      description="Staff accounts: admins and agents, with what each may do."
      what="users"
      query={users}
      rowKey={(u) => u.accountId}
      empty="No users."
      columns={[
        { header: 'Name', cell: (u) => u.displayName },
        { header: 'Email', cell: (u) => u.email },
        { header: 'Roles', cell: (u) => u.roles.join(', ') || '—' },
      ]}
    />
  );
}

/** Groups are derived from roles: org admins, each site's admins, each project's agents. */
export function StaffGroups({ scope, heading = 'Groups' }: { scope: StaffScope; heading?: string }) {
  const groups = useQuery({
    queryKey: 'orgId' in scope ? keys.orgGroups(scope.orgId) : keys.siteGroups(scope.siteSlug),
    queryFn: () => ('orgId' in scope ? adminApi.orgGroups(scope.orgId) : adminApi.siteGroups(scope.siteSlug)),
  });
  return (
    <DirectoryList
      id="groups-heading"
      heading={heading}
      description="Groups follow the roles people hold, so they always match what members may do."
      what="groups"
      query={groups}
      rowKey={(g) => g.name}
      empty="No groups."
      columns={[
        { header: 'Group', cell: (g) => g.name },
        { header: 'Description', cell: (g) => g.description },
        { header: 'Members', cell: (g) => g.memberCount },
      ]}
    />
  );
}
