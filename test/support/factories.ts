import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/connection.js';
import type { AccountStatus, CustomerAccess, Priority, RequestStatus, UserManagement } from '../../src/db/schema.js';
import { insertCustomer, deleteSearchTerms } from '../../src/db/queries/customers.js';
import { insertStaff } from '../../src/db/queries/staff-accounts.js';
import { hashPassword } from '../../src/domain/passwords.js';

// Test data with sensible defaults: every factory takes the few facts a test cares about and makes
// up the rest (unique names, emails, keys). Customers go through insertCustomer, as the app creates
// them (picker terms included); a revoked or deleted customer is left the way revoke and delete
// leave one (no picker terms; a deleted one without email or name). Tests that need the full
// behaviour of a revoke (sessions ended, audit event) call the revoke route instead.

let sequence = 0;
const next = () => ++sequence;
const unique = () => `${next()}${randomBytes(3).toString('hex')}`;

const hashes = new Map<string, Promise<string>>();
/** argon2 is slow on purpose: hash each distinct test password once per process. */
function hashOnce(password: string): Promise<string> {
  let h = hashes.get(password);
  if (!h) hashes.set(password, (h = hashPassword(password)));
  return h;
}

export interface SiteFacts {
  id: string;
  orgId: string;
  slug: string;
}
export interface ProjectFacts {
  id: string;
  siteId: string;
  key: string;
}
export interface RequestFacts {
  id: string;
  key: string;
  siteId: string;
}

export function factories(db: Db) {
  async function org(o: { id?: string; name?: string; userManagement?: UserManagement } = {}): Promise<{ id: string }> {
    const id = o.id ?? randomUUID();
    await db.insertInto('organizations').values({ id, name: o.name ?? `Org ${next()}`, user_management: o.userManagement ?? 'original' }).execute();
    return { id };
  }

  /** A site with the service-management product; its own organization unless `orgId` is given. */
  async function site(o: { id?: string; orgId?: string; slug?: string; name?: string } = {}): Promise<SiteFacts> {
    const orgId = o.orgId ?? (await org()).id;
    const id = o.id ?? randomUUID();
    const slug = o.slug ?? `site-${unique()}`;
    await db.insertInto('sites').values({ id, org_id: orgId, slug, name: o.name ?? slug }).execute();
    await db.insertInto('site_products').values({ site_id: id, product: 'service-management' }).execute();
    return { id, orgId, slug };
  }

  async function project(o: { siteId: string; id?: string; key?: string; name?: string; portalName?: string; access?: CustomerAccess }): Promise<ProjectFacts> {
    const key = o.key ?? `P${next()}`;
    const name = o.name ?? `Project ${key}`;
    const row = await db
      .insertInto('projects')
      .values({ ...(o.id ? { id: o.id } : {}), site_id: o.siteId, key, name, portal_name: o.portalName ?? name, customer_access: o.access ?? 'open' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: String(row.id), siteId: o.siteId, key };
  }

  async function requestType(o: { siteId: string; projectId: string; id?: string; name?: string }): Promise<string> {
    const row = await db
      .insertInto('request_types')
      .values({ ...(o.id ? { id: o.id } : {}), site_id: o.siteId, project_id: o.projectId, name: o.name ?? `Type ${next()}` })
      .returning('id')
      .executeTakeFirstOrThrow();
    return String(row.id);
  }

  async function customField(o: { siteId: string; id?: string; name?: string; type?: 'user' | 'multiuser'; audience?: 'customers' | 'anyone' }): Promise<string> {
    const row = await db
      .insertInto('custom_fields')
      .values({ ...(o.id ? { id: o.id } : {}), site_id: o.siteId, name: o.name ?? `Field ${next()}`, type: o.type ?? 'user', ...(o.audience ? { audience: o.audience } : {}) })
      .returning('id')
      .executeTakeFirstOrThrow();
    return String(row.id);
  }

  /**
   * A portal-only customer of a site. `password` is hashed with argon2 (only when given: most tests
   * never log in). A revoked customer has no picker terms; a deleted one has no email or name either.
   */
  async function customer(o: {
    siteId: string;
    accountId?: string;
    email?: string;
    displayName?: string;
    password?: string;
    status?: AccountStatus;
    revokedBy?: string;
  }): Promise<string> {
    const n = unique();
    const accountId = await insertCustomer(db, {
      siteId: o.siteId,
      accountId: o.accountId,
      email: o.email ?? `customer-${n}@factory.test`,
      displayName: o.displayName ?? `Customer ${n}`,
      passwordHash: o.password === undefined ? null : await hashOnce(o.password),
    });
    const status = o.status ?? 'active';
    if (status === 'revoked') {
      await db.updateTable('accounts').set({ status, revoked_at: new Date(), revoked_by: o.revokedBy ?? null }).where('account_id', '=', accountId).execute();
      await deleteSearchTerms(db, accountId);
    } else if (status === 'deleted') {
      await db
        .updateTable('accounts')
        .set({ status, deleted_at: new Date(), email: null, email_lower: null, display_name: null, sort_name: null, password_hash: null })
        .where('account_id', '=', accountId)
        .execute();
      await deleteSearchTerms(db, accountId);
    }
    return accountId;
  }

  /** A staff account (no site of its own), with the roles asked for. */
  async function staff(o: {
    accountId?: string;
    email?: string;
    displayName?: string;
    password?: string;
    status?: AccountStatus;
    orgAdminOf?: string[];
    siteAdminOf?: string[];
    agentOf?: ProjectFacts[];
  } = {}): Promise<string> {
    const n = unique();
    const accountId = await insertStaff(db, {
      accountId: o.accountId,
      email: o.email ?? `staff-${n}@factory.test`,
      displayName: o.displayName ?? `Staff ${n}`,
      passwordHash: o.password === undefined ? null : await hashOnce(o.password),
      status: o.status,
    });
    for (const orgId of o.orgAdminOf ?? []) await db.insertInto('org_admins').values({ org_id: orgId, account_id: accountId }).execute();
    for (const siteId of o.siteAdminOf ?? []) await db.insertInto('site_admins').values({ site_id: siteId, account_id: accountId }).execute();
    for (const p of o.agentOf ?? []) await agent({ project: p, accountId });
    return accountId;
  }

  /** Makes a staff account an agent of a project (a new staff account unless `accountId` is given). */
  async function agent(o: { project: ProjectFacts; accountId?: string; email?: string; displayName?: string; password?: string }): Promise<string> {
    const accountId = o.accountId ?? (await staff({ email: o.email, displayName: o.displayName, password: o.password }));
    await db.insertInto('project_agents').values({ site_id: o.project.siteId, project_id: o.project.id, account_id: accountId }).execute();
    return accountId;
  }

  /**
   * A request numbered the way raising one numbers it (the project's next number), unless `key` is
   * given; a request type of the project is made when none is named.
   */
  async function request(o: {
    project: ProjectFacts;
    reporterId: string;
    id?: string;
    key?: string;
    requestTypeId?: string;
    summary?: string;
    description?: string;
    status?: RequestStatus;
    createdAt?: Date;
    updatedAt?: Date;
    participants?: string[];
    userValues?: Array<{ fieldId: string; accountId: string }>;
    assigneeId?: string | null;
    priority?: Priority;
  }): Promise<RequestFacts> {
    let number: number;
    let key: string;
    if (o.key) {
      key = o.key;
      number = Number(o.key.split('-')[1]);
    } else {
      const p = await db
        .updateTable('projects')
        .set((eb) => ({ next_request_number: eb('next_request_number', '+', 1) }))
        .where('id', '=', o.project.id)
        .returning('next_request_number')
        .executeTakeFirstOrThrow();
      number = p.next_request_number - 1;
      key = `${o.project.key}-${number}`;
    }
    const requestTypeId =
      o.requestTypeId ??
      (await db.selectFrom('request_types').select('id').where('project_id', '=', o.project.id).orderBy('id').executeTakeFirst())?.id ??
      (await requestType({ siteId: o.project.siteId, projectId: o.project.id }));
    const createdAt = o.createdAt ?? new Date();
    const row = await db
      .insertInto('requests')
      .values({
        ...(o.id ? { id: o.id } : {}),
        site_id: o.project.siteId,
        project_id: o.project.id,
        request_type_id: String(requestTypeId),
        number,
        key,
        summary: o.summary ?? `Request ${key}`,
        description: o.description ?? '',
        status: o.status ?? 'Open',
        reporter_id: o.reporterId,
        created_at: createdAt,
        updated_at: o.updatedAt ?? createdAt,
        status_changed_at: createdAt,
        assignee_id: o.assigneeId ?? null,
        priority: o.priority ?? 'Medium',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const r: RequestFacts = { id: String(row.id), key, siteId: o.project.siteId };
    for (const accountId of o.participants ?? []) await participant({ request: r, accountId });
    for (const [position, v] of (o.userValues ?? []).entries()) await userValue({ request: r, fieldId: v.fieldId, accountId: v.accountId, position });
    return r;
  }

  async function participant(o: { request: RequestFacts; accountId: string }): Promise<void> {
    await db.insertInto('request_participants').values({ site_id: o.request.siteId, request_id: o.request.id, account_id: o.accountId }).execute();
  }

  /** A person picked in a user field of a request. */
  async function userValue(o: { request: RequestFacts; fieldId: string; accountId: string; position?: number }): Promise<void> {
    await db
      .insertInto('request_user_values')
      .values({ site_id: o.request.siteId, request_id: o.request.id, custom_field_id: o.fieldId, account_id: o.accountId, ...(o.position === undefined ? {} : { position: o.position }) })
      .execute();
  }

  async function comment(o: { request: RequestFacts; authorId: string; body?: string; public?: boolean }): Promise<string> {
    const row = await db
      .insertInto('comments')
      .values({ site_id: o.request.siteId, request_id: o.request.id, author_id: o.authorId, body: o.body ?? 'A comment', public: o.public ?? true })
      .returning('id')
      .executeTakeFirstOrThrow();
    return String(row.id);
  }

  /**
   * A saved filter stored as given: `jql` must already hold account ids where the save route would
   * put them (save through POST …/api/agent/filters to test that rewriting).
   */
  async function savedFilter(o: { siteId: string; ownerId: string; jql: string; name?: string }): Promise<string> {
    const row = await db
      .insertInto('saved_filters')
      .values({ site_id: o.siteId, owner_id: o.ownerId, name: o.name ?? `Filter ${next()}`, jql: o.jql })
      .returning('id')
      .executeTakeFirstOrThrow();
    return String(row.id);
  }

  return { org, site, project, requestType, customField, customer, staff, agent, request, participant, userValue, comment, savedFilter };
}

export type Factories = ReturnType<typeof factories>;
