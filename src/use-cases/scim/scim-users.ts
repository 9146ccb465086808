import type { AppContext } from '../context.js';
import type { ChangeAuthor } from '../audit.js';
import { auditSiteChangeBy } from '../audit.js';
import { findScimUser, findUserNameHolder, listScimUsers, saveScimNames, siteScimOnDelete, type ScimCaller, type ScimUserRow } from '../../db/queries/scim.js';
import { isCustomerAccountId } from '../../db/queries/customer-records.js';
import { MAX_OFFSET } from '../../domain/limits.js';
import { normalizePatchOperations, parseScimUserFilter, readScimUser, scimPage, ScimProblem, SCIM_USER_SCHEMA, type ScimUserInput } from '../../domain/scim.js';
import { scimPatch, ScimError } from 'scim-patch';
import { insertAuthorizedCustomer } from '../customers/new-customer.js';
import { revokeAuthorizedCustomerAccess } from '../customer-access/revoke-customer-access.js';
import { grantAuthorizedCustomerAccess } from '../customer-access/grant-customer-access.js';
import { editAuthorizedCustomerName } from '../customers/edit-customer-name.js';
import { deleteAuthorizedCustomer } from '../customers/delete-customer.js';

// The SCIM server's Users (docs/product.md#scim-provisioning): the site's portal-only customers as
// its identity provider sees them. The caller is the site's SCIM token (http/plugins/auth.ts found
// it live and of this site), so every use case here acts on that site only, through the same
// revoke, grant, name and delete use cases as the admin console, and is audited as "SCIM ({label})".

/** A use case's context when the caller is a site's SCIM token. */
export type { ScimUserRow };

export interface ScimContext extends AppContext {
  scim: ScimCaller;
}

function authorOf(ctx: ScimContext): ChangeAuthor {
  return { kind: 'scim', tokenId: ctx.scim.tokenId, label: ctx.scim.label };
}

const notFoundUser = (id: string) => new ScimProblem(404, `No user with id '${id.length > 80 ? id.slice(0, 80) + '…' : id}' on this site.`);

async function existingUser(ctx: ScimContext, id: string): Promise<ScimUserRow> {
  const user = isCustomerAccountId(id) ? await findScimUser(ctx.db, ctx.scim.site.id, id) : undefined;
  if (!user) throw notFoundUser(id);
  return user;
}

/** GET /Users: one page of the site's customers matching the filter. */
export async function listScimUsersFor(
  ctx: ScimContext,
  input: { filter?: string; startIndex?: number; count?: number },
): Promise<{ totalResults: number; startIndex: number; itemsPerPage: number; users: ScimUserRow[] }> {
  const condition = parseScimUserFilter(input.filter);
  const page = scimPage(input.startIndex, input.count, MAX_OFFSET);
  if (condition?.attribute === 'id' && !isCustomerAccountId(condition.value)) return { totalResults: 0, startIndex: page.startIndex, itemsPerPage: 0, users: [] };
  const { total, rows } = await listScimUsers(ctx.db, ctx.scim.site.id, condition, page);
  return { totalResults: total, startIndex: page.startIndex, itemsPerPage: rows.length, users: rows };
}

/** GET /Users/{id} */
export async function getScimUser(ctx: ScimContext, input: { id: string }): Promise<ScimUserRow> {
  return existingUser(ctx, input.id);
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

const taken = (what: string) => new ScimProblem(409, `Another user of this site already has this ${what}.`, 'uniqueness');

/**
 * POST /Users: creates the customer (no password: they set one through a password reset or sign in
 * with the site's identity provider), or — when a customer with this email exists that the identity
 * provider has not named yet (created in the console, imported, signed up) — takes that customer
 * over, so a first provisioning run matches the people already there instead of failing.
 */
export async function createScimUser(ctx: ScimContext, input: { body: unknown }): Promise<{ user: ScimUserRow; created: boolean }> {
  const desired = readScimUser(input.body);
  const site = ctx.scim.site;
  const byEmail = (await listScimUsers(ctx.db, site.id, { attribute: 'email', value: desired.email }, { offset: 0, count: 1 })).rows[0];
  const holder = await findUserNameHolder(ctx.db, site.id, desired.userName);
  if (byEmail) {
    if (byEmail.linked) throw taken('email');
    if (holder && holder !== byEmail.accountId) throw taken('userName');
    return { user: await applyDesiredState(ctx, byEmail, desired), created: false };
  }
  if (holder) throw taken('userName');
  const author = authorOf(ctx);
  let accountId: string;
  try {
    accountId = await ctx.db.transaction().execute(async (trx) => {
      const id = await insertAuthorizedCustomer(ctx, trx, { site, email: desired.email, displayName: desired.displayName }, author);
      await saveScimNames(trx, { accountId: id, siteId: site.id, userName: desired.userName, externalId: desired.externalId });
      return id;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw taken('userName or email');
    throw err;
  }
  if (!desired.active) await revokeAuthorizedCustomerAccess(ctx, site, accountId, author);
  return { user: await existingUser(ctx, accountId), created: true };
}

/** PUT /Users/{id}: the customer becomes what the resource says (Okta's way of updating). */
export async function replaceScimUser(ctx: ScimContext, input: { id: string; body: unknown }): Promise<ScimUserRow> {
  const current = await existingUser(ctx, input.id);
  return applyDesiredState(ctx, current, readScimUser(input.body));
}

/** The resource as the patch library edits it: what readScimUser reads back. */
function asResource(user: ScimUserRow) {
  return {
    schemas: [SCIM_USER_SCHEMA],
    id: user.accountId,
    userName: user.userName,
    ...(user.externalId !== null ? { externalId: user.externalId } : {}),
    displayName: user.displayName,
    name: { formatted: user.displayName },
    emails: [{ value: user.email, type: 'work', primary: true }],
    active: user.active,
    meta: { resourceType: 'User' as const },
  };
}

/**
 * PATCH /Users/{id} (RFC 7644 §3.5.2): the operations are applied to the user as Portico presents
 * it, and the result is taken as a PUT would be — so `replace active false` (Okta, Entra ID) revokes,
 * `true` grants, a new displayName or name renames.
 */
export async function patchScimUser(ctx: ScimContext, input: { id: string; body: unknown }): Promise<ScimUserRow> {
  const operations = normalizePatchOperations(input.body);
  const current = await existingUser(ctx, input.id);
  const resource = asResource(current);
  // a changed name.* wins over the displayName it was derived from, unless displayName is patched too
  const touchesName = operations.some((o) => o.path?.startsWith('name') || (o.path === undefined && typeof o.value === 'object' && o.value !== null && 'name' in o.value));
  const touchesDisplayName = operations.some((o) => o.path === 'displayName' || (o.path === undefined && typeof o.value === 'object' && o.value !== null && 'displayName' in o.value));
  let patched: Record<string, unknown>;
  try {
    patched = scimPatch(structuredClone(resource) as never, operations as never) as unknown as Record<string, unknown>;
  } catch (err) {
    if (err instanceof ScimError) throw new ScimProblem(400, `The patch cannot be applied: ${err.message.replace(/\[object Object\]/g, '').trim()}`, scimTypeOf(err.scimCode));
    throw new ScimProblem(400, 'The patch cannot be applied to this user.', 'invalidSyntax');
  }
  if (touchesName && !touchesDisplayName) {
    const name = patched.name as { formatted?: unknown; givenName?: unknown; familyName?: unknown } | undefined;
    const parts = [name?.givenName, name?.familyName].filter((p) => typeof p === 'string' && p.trim()).join(' ');
    const formatted = typeof name?.formatted === 'string' && name.formatted !== current.displayName ? name.formatted : undefined;
    delete patched.displayName;
    if (name && !formatted && parts) patched.name = { ...name, formatted: parts };
  }
  return applyDesiredState(ctx, current, readScimUser(patched));
}

function scimTypeOf(code: string | undefined): ScimProblem['scimType'] {
  const known = ['invalidFilter', 'tooMany', 'uniqueness', 'mutability', 'invalidSyntax', 'invalidPath', 'noTarget', 'invalidValue', 'invalidVers', 'sensitive'] as const;
  return known.find((k) => k === code) ?? 'invalidValue';
}

/**
 * DELETE /Users/{id}: what the site's setting says (sites.scim_on_delete) — revoke access (the
 * default; the user stays, active false, and a later `active: true` brings everything back) or the
 * site's delete-customer (irreversible; only an org admin can choose it).
 */
export async function deleteScimUser(ctx: ScimContext, input: { id: string }): Promise<void> {
  const current = await existingUser(ctx, input.id);
  const onDelete = await siteScimOnDelete(ctx.db, ctx.scim.site.id);
  if (onDelete === 'delete') await deleteAuthorizedCustomer(ctx, ctx.scim.site, current.accountId, authorOf(ctx));
  else await revokeAuthorizedCustomerAccess(ctx, ctx.scim.site, current.accountId, authorOf(ctx));
}

/**
 * Brings an existing customer to the state a User resource asks for, each change through its use
 * case: the identity provider's names, the full name, then access (revoke or grant). Everything is
 * checked before the first write; the email cannot change (docs/product.md: it is immutable).
 */
async function applyDesiredState(ctx: ScimContext, current: ScimUserRow, desired: ScimUserInput): Promise<ScimUserRow> {
  const site = ctx.scim.site;
  const author = authorOf(ctx);
  if (desired.email.toLowerCase() !== current.email.toLowerCase()) {
    throw new ScimProblem(400, "A customer's email cannot be changed. Create a new user for the new address.", 'mutability');
  }
  const holder = await findUserNameHolder(ctx.db, site.id, desired.userName);
  if (holder && holder !== current.accountId) throw taken('userName');
  const changedFields = [
    ...(!current.linked || desired.userName !== current.userName ? ['userName'] : []),
    ...(desired.externalId !== current.externalId ? ['externalId'] : []),
  ];
  if (changedFields.length > 0) {
    try {
      await ctx.db.transaction().execute(async (trx) => {
        await saveScimNames(trx, { accountId: current.accountId, siteId: site.id, userName: desired.userName, externalId: desired.externalId });
        await auditSiteChangeBy(trx, ctx, author, site, 'customer.scim_names.changed', { fields: changedFields }, current.accountId);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw taken('userName');
      throw err;
    }
  }
  if (desired.displayName !== current.displayName) await editAuthorizedCustomerName(ctx, site, current.accountId, desired.displayName, author);
  if (desired.active !== current.active) {
    if (desired.active) await grantAuthorizedCustomerAccess(ctx, site, current.accountId, author);
    else await revokeAuthorizedCustomerAccess(ctx, site, current.accountId, author);
  }
  return existingUser(ctx, current.accountId);
}
