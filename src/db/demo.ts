import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Db } from './connection.js';
import type { CustomerSharing, Database } from './schema.js';
import { hashPassword } from '../domain/passwords.js';
import { insertCustomer, deleteSearchTerms } from './queries/customers.js';
import { insertNumberedRequest } from './queries/requests.js';
import { insertStaff } from './queries/staff-accounts.js';

export const DEMO_PASSWORD = 'portico-demo';

export const DEMO_LOGINS = [
  { email: 'admin@acme.test', name: 'Ada Admin', role: 'org admin of Acme Corp (centralized)', where: '/login' },
  { email: 'agent@acme.test', name: 'Sam Agent', role: 'agent on HELP (acme)', where: '/login' },
  { email: 'admin@globex.test', name: 'Greta Orgadmin', role: 'org admin of Globex (original)', where: '/login' },
  { email: 'siteadmin@globex.test', name: 'Sid Siteadmin', role: 'site admin of globex', where: '/login' },
  { email: 'alice@customer.test', name: 'Alice Example', role: 'customer of acme and of globex', where: '/s/acme/servicedesk/customer/user/login' },
  { email: 'bob@customer.test', name: 'Bob Builder', role: 'customer of acme', where: '/s/acme/servicedesk/customer/user/login' },
  { email: 'carol@customer.test', name: 'Carol Customer', role: 'customer of acme', where: '/s/acme/servicedesk/customer/user/login' },
  { email: 'dave@customer.test', name: 'Dave Departed', role: 'customer of acme, access revoked', where: '/s/acme/servicedesk/customer/user/login' },
  { email: 'erin@customer.test', name: 'Erin Engineer', role: 'customer of globex', where: '/s/globex/servicedesk/customer/user/login' },
];

type Trx = Transaction<Database>;

async function staff(trx: Trx, email: string, name: string, passwordHash: string): Promise<string> {
  return insertStaff(trx, { email, displayName: name, passwordHash });
}

async function org(trx: Trx, name: string, userManagement: 'original' | 'centralized') {
  const id = randomUUID();
  await trx.insertInto('organizations').values({ id, name, user_management: userManagement }).execute();
  return id;
}

async function site(trx: Trx, orgId: string, slug: string, name: string) {
  const id = randomUUID();
  await trx.insertInto('sites').values({ id, org_id: orgId, slug, name }).execute();
  await trx.insertInto('site_products').values({ site_id: id, product: 'service-management' }).execute();
  return id;
}

async function project(trx: Trx, siteId: string, key: string, name: string, portalName: string, access: 'open' | 'restricted', description: string, sharing?: CustomerSharing) {
  const row = await trx
    .insertInto('projects')
    .values({ site_id: siteId, key, name, portal_name: portalName, portal_description: description, customer_access: access, ...(sharing ? { customer_sharing: sharing } : {}) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

async function userField(trx: Trx, siteId: string, name: string) {
  const row = await trx.insertInto('custom_fields').values({ site_id: siteId, name, type: 'user' }).returning('id').executeTakeFirstOrThrow();
  return String(row.id);
}

async function requestType(
  trx: Trx,
  siteId: string,
  projectId: string,
  name: string,
  description: string,
  position: number,
  pickers: Array<{ fieldId: string; label: string }>,
) {
  const row = await trx
    .insertInto('request_types')
    .values({ site_id: siteId, project_id: projectId, name, description, position })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = String(row.id);
  const fields = [
    { field_key: 'summary', custom_field_id: null, label: 'Summary', required: true },
    { field_key: 'description', custom_field_id: null, label: 'Description', required: false },
    ...pickers.map((p) => ({ field_key: `customfield_${p.fieldId}`, custom_field_id: p.fieldId, label: p.label, required: false })),
  ];
  await trx
    .insertInto('request_type_fields')
    .values(fields.map((f, i) => ({ ...f, site_id: siteId, request_type_id: id, position: i })))
    .execute();
  return id;
}

async function requestTypeGroups(trx: Trx, siteId: string, projectId: string, groups: Array<[string, string[]]>) {
  for (const [i, [name, typeIds]] of groups.entries()) {
    const group = await trx.insertInto('request_type_groups').values({ site_id: siteId, project_id: projectId, name, position: i }).returning('id').executeTakeFirstOrThrow();
    await trx
      .insertInto('request_type_group_members')
      .values(typeIds.map((id, position) => ({ site_id: siteId, group_id: group.id, request_type_id: id, position })))
      .execute();
  }
}

async function request(
  trx: Trx,
  r: {
    siteId: string;
    projectId: string;
    projectKey: string;
    requestTypeId: string;
    summary: string;
    description: string;
    reporterId: string;
    participants: string[];
    pickerValues: Array<{ fieldId: string; accountId: string }>;
    createdAt: Date;
    status?: 'Open' | 'In progress';
  },
) {
  const { id: requestId } = await insertNumberedRequest(trx, {
    siteId: r.siteId,
    projectId: r.projectId,
    projectKey: r.projectKey,
    requestTypeId: r.requestTypeId,
    summary: r.summary,
    description: r.description,
    reporterId: r.reporterId,
    status: r.status ?? 'Open',
    createdAt: r.createdAt,
  });
  for (const accountId of r.participants) {
    await trx.insertInto('request_participants').values({ site_id: r.siteId, request_id: requestId, account_id: accountId }).execute();
  }
  for (const v of r.pickerValues) {
    await trx
      .insertInto('request_user_values')
      .values({ site_id: r.siteId, request_id: requestId, custom_field_id: v.fieldId, account_id: v.accountId })
      .execute();
  }
  return requestId;
}

/** docs/product.md#running: the demo organizations, sites, people and requests. */
export async function loadDemoData(db: Db): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const day = (n: number) => new Date(Date.now() - n * 24 * 3600 * 1000);
  await db.transaction().execute(async (trx) => {
    // Acme Corp — centralized
    const acme = await org(trx, 'Acme Corp', 'centralized');
    const acmeSite = await site(trx, acme, 'acme', 'Acme Support');
    // HELP's customers are colleagues of one company, all added to it: they find each other ("anyone
    // in the project"); SUP keeps the default (docs/product.md#customer-sharing)
    const help = await project(trx, acmeSite, 'HELP', 'IT Help', 'Acme IT Help Center', 'restricted', 'Get help from the Acme IT team.', 'project');
    const affectedUser = await userField(trx, acmeSite, 'Affected user');
    const approver = await userField(trx, acmeSite, 'Approver');
    const getItHelp = await requestType(trx, acmeSite, help, 'Get IT help', 'Ask the IT team for help with anything.', 0, [
      { fieldId: affectedUser, label: 'Affected user' },
    ]);
    const hardware = await requestType(trx, acmeSite, help, 'Request new hardware', 'Laptops, monitors, phones and accessories.', 1, [
      { fieldId: approver, label: 'Approver' },
    ]);
    // HELP's request types in groups, the tabs of its help-center page (docs/product.md#request-type-groups);
    // SUP has none and shows one plain list
    await requestTypeGroups(trx, acmeSite, help, [
      ['Common requests', [getItHelp, hardware]],
      ['Technical support', [getItHelp]],
      ['Hardware', [hardware]],
    ]);
    // Markdown, as agents write them in the workspace (docs/product.md#knowledge-base)
    const articles: { title: string; category: string; body: string; published?: boolean }[] = [
      {
        title: 'Reset your VPN password',
        category: 'Accounts and access',
        body: [
          'If the VPN refuses your password, you can set a new one yourself.',
          '',
          '1. Open the **self-service page** and sign in with your work account.',
          '2. Choose *Reset VPN password* and follow the steps.',
          '3. Wait a few minutes: the new password works within five minutes.',
          '',
          'Still locked out? Raise a request under **Get IT help**.',
        ].join('\n'),
      },
      {
        title: 'Set up email on your phone',
        category: 'Email and calendar',
        body: [
          'Add an Exchange account on your phone with your work email address.',
          '',
          '- On iPhone: *Settings → Mail → Accounts → Add account*.',
          '- On Android: open the Outlook app and add your work address.',
          '',
          'Approve the device in the authenticator app when asked.',
        ].join('\n'),
      },
      {
        title: 'Printer troubleshooting',
        category: 'Printing',
        body: [
          'If the printer shows offline or prints nothing:',
          '',
          '1. Turn the printer off and on again.',
          '2. Check the network cable.',
          '3. Make sure you picked the right printer queue (`FLOOR2-COLOR` for colour prints).',
          '',
          'A paper jam? Open the front cover and follow the arrows.',
        ].join('\n'),
      },
      {
        title: 'New laptop checklist',
        category: 'Hardware',
        body: 'A draft the team is still writing: what to do on the first day with a new laptop.',
        published: false,
      },
    ];
    for (const a of articles) {
      await trx.insertInto('kb_articles').values({
        site_id: acmeSite, project_id: help, title: a.title, body: a.body, category: a.category, published: a.published ?? true,
      }).execute();
    }
    const ada = await staff(trx, 'admin@acme.test', 'Ada Admin', passwordHash);
    await trx.insertInto('org_admins').values({ org_id: acme, account_id: ada }).execute();
    const sam = await staff(trx, 'agent@acme.test', 'Sam Agent', passwordHash);
    await trx.insertInto('project_agents').values({ site_id: acmeSite, project_id: help, account_id: sam }).execute();

    const customer = (email: string, name: string, siteId: string, createdDaysAgo: number) =>
      insertCustomer(trx, { siteId, email, displayName: name, passwordHash, createdAt: day(createdDaysAgo) });
    const alice = await customer('alice@customer.test', 'Alice Example', acmeSite, 30);
    const bob = await customer('bob@customer.test', 'Bob Builder', acmeSite, 29);
    const carol = await customer('carol@customer.test', 'Carol Customer', acmeSite, 28);
    const dave = await customer('dave@customer.test', 'Dave Departed', acmeSite, 27);
    for (const c of [alice, bob, carol, dave]) {
      await trx.insertInto('project_customers').values({ site_id: acmeSite, project_id: help, account_id: c }).execute();
    }

    const base = { siteId: acmeSite, projectId: help, projectKey: 'HELP' };
    await request(trx, {
      ...base, requestTypeId: getItHelp, summary: 'Laptop will not connect to the VPN',
      description: 'Since this morning the VPN client says my password is wrong.',
      reporterId: alice, participants: [bob], pickerValues: [{ fieldId: affectedUser, accountId: bob }], createdAt: day(10),
    });
    await request(trx, {
      ...base, requestTypeId: getItHelp, summary: 'Shared drive is read-only',
      description: 'I cannot save files to the team drive any more.',
      reporterId: bob, participants: [alice], pickerValues: [{ fieldId: affectedUser, accountId: alice }], createdAt: day(8),
    });
    await request(trx, {
      ...base, requestTypeId: hardware, summary: 'New monitor for the design desk',
      description: 'A 27-inch monitor for the new designer.',
      reporterId: carol, participants: [], pickerValues: [{ fieldId: approver, accountId: alice }], createdAt: day(6),
    });
    await request(trx, {
      ...base, requestTypeId: getItHelp, summary: 'Return my laptop before I leave',
      description: 'Where do I drop off my laptop on my last day?',
      reporterId: dave, participants: [], pickerValues: [], createdAt: day(4),
    });
    // Dave's access was revoked by Ada: the same state a revoke leaves (no terms, sessions, tokens).
    await trx
      .updateTable('accounts')
      .set({ status: 'revoked', revoked_at: day(2), revoked_by: ada })
      .where('account_id', '=', dave)
      .execute();
    await deleteSearchTerms(trx, dave);
    await trx
      .insertInto('audit_events')
      .values({
        org_id: acme, site_id: acmeSite, action: 'customer.access.revoked', actor_id: ada, target_id: dave,
        ip: '127.0.0.1', user_agent: 'demo data', details: JSON.stringify({}), created_at: day(2),
      })
      .execute();

    // Globex — original
    const globex = await org(trx, 'Globex', 'original');
    const globexSite = await site(trx, globex, 'globex', 'Globex Service Desk');
    await site(trx, globex, 'globex-eu', 'Globex Europe');
    const sup = await project(trx, globexSite, 'SUP', 'Support', 'Globex Support', 'open', 'Ask Globex for help.');
    const ask = await requestType(trx, globexSite, sup, 'Ask a question', 'Questions about your Globex account or services.', 0, []);
    await trx.insertInto('kb_articles').values({
      site_id: globexSite, project_id: sup, title: 'Update your billing address',
      body: 'Open Account settings, choose Billing and enter the new address.',
    }).execute();
    const greta = await staff(trx, 'admin@globex.test', 'Greta Orgadmin', passwordHash);
    await trx.insertInto('org_admins').values({ org_id: globex, account_id: greta }).execute();
    const sid = await staff(trx, 'siteadmin@globex.test', 'Sid Siteadmin', passwordHash);
    await trx.insertInto('site_admins').values({ site_id: globexSite, account_id: sid }).execute();
    const globexAlice = await customer('alice@customer.test', 'Alice Example', globexSite, 20);
    const erin = await customer('erin@customer.test', 'Erin Engineer', globexSite, 19);
    await request(trx, {
      siteId: globexSite, projectId: sup, projectKey: 'SUP', requestTypeId: ask,
      summary: 'Cannot download my invoice', description: 'The invoice page shows an error.',
      reporterId: erin, participants: [globexAlice], pickerValues: [], createdAt: day(5),
    });
  });
}

/** Any constant: the advisory lock held while one process loads the demo data. */
const DEMO_LOAD_LOCK = 4_210_031_977;

const hasOrganizations = async (db: Db) => Boolean(await db.selectFrom('organizations').select('id').limit(1).executeTakeFirst());

/**
 * Loads the demo data into an empty database. Two processes starting at the same moment on one empty
 * PostgreSQL database would both find it empty, and the second would die on a duplicate key: the
 * loading happens under a session advisory lock, so the other process waits, then finds the
 * organizations and loads nothing.
 */
export async function loadDemoDataIfEmpty(db: Db): Promise<boolean> {
  if (await hasOrganizations(db)) return false;
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${DEMO_LOAD_LOCK}::bigint)`.execute(conn);
    try {
      if (await hasOrganizations(conn)) return false;
      await loadDemoData(conn);
      return true;
    } finally {
      await sql`select pg_advisory_unlock(${DEMO_LOAD_LOCK}::bigint)`.execute(conn);
    }
  });
}
