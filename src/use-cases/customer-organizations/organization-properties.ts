import type { ActorContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import { badRequest, notFound } from '../../domain/errors.js';
import { auditOrganization, loadManagedOrganization, loadViewableOrganization } from './organizations.js';

// A customer organization's entity properties (docs/product.md#rest-organization-properties): JSON
// values scripts keep against an organization under keys of their choosing, as Atlassian's
// …/organization/{id}/property/{key}. Read by whoever may read the organization (its agents and
// admins, its members); written by those who manage organizations, each change audited.

/** Atlassian's limits: a key of 1–255 characters, a value of at most 32,768 bytes of JSON. */
export const PROPERTY_KEY_MAX = 255;
export const PROPERTY_VALUE_MAX_BYTES = 32_768;
/** Portico's: properties one organization may keep. */
export const PROPERTIES_PER_ORGANIZATION_MAX = 100;

const missing = (key: string) => notFound(`The organization has no property '${key.slice(0, 40)}'.`);

function validKey(key: string): string {
  if (key.length === 0 || [...key].length > PROPERTY_KEY_MAX) throw badRequest(`A property key has 1 to ${PROPERTY_KEY_MAX} characters.`, { propertyKey: `1 to ${PROPERTY_KEY_MAX} characters.` });
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/u.test(key)) throw badRequest('A property key cannot hold control characters.', { propertyKey: 'No control characters.' });
  return key;
}

export async function listOrganizationPropertyKeys(ctx: ActorContext, input: { site: SiteRef; organizationId: string }): Promise<{ organizationId: string; keys: string[] }> {
  const org = await loadViewableOrganization(ctx.db, ctx.actor, input.site, input.organizationId);
  const rows = await ctx.db.selectFrom('customer_organization_properties').select('key').where('organization_id', '=', org.id).orderBy('key').execute();
  return { organizationId: org.id, keys: rows.map((r) => r.key) };
}

export async function getOrganizationProperty(ctx: ActorContext, input: { site: SiteRef; organizationId: string; key: string }): Promise<{ key: string; value: unknown }> {
  const key = validKey(input.key);
  const org = await loadViewableOrganization(ctx.db, ctx.actor, input.site, input.organizationId);
  const row = await ctx.db.selectFrom('customer_organization_properties').select(['key', 'value']).where('organization_id', '=', org.id).where('key', '=', key).executeTakeFirst();
  if (!row) throw missing(input.key);
  return { key: row.key, value: JSON.parse(row.value) as unknown };
}

/** Sets a property (a JSON value, 400 when none or too large); `created` when the key is new. */
export async function setOrganizationProperty(
  ctx: ActorContext,
  input: { site: SiteRef; organizationId: string; key: string; value: unknown },
): Promise<{ created: boolean }> {
  const key = validKey(input.key);
  if (input.value === undefined) throw badRequest('Send the property\'s value as JSON.', { value: 'Send a JSON value.' });
  const value = JSON.stringify(input.value);
  if (Buffer.byteLength(value) > PROPERTY_VALUE_MAX_BYTES) throw badRequest(`A property's value can be at most ${PROPERTY_VALUE_MAX_BYTES} bytes of JSON.`, { value: 'Too large.' });
  return ctx.db.transaction().execute(async (trx) => {
    const org = await loadManagedOrganization(trx, ctx.actor, input.site, input.organizationId, { lock: true });
    const existing = await trx.selectFrom('customer_organization_properties').select('key').where('organization_id', '=', org.id).where('key', '=', key).executeTakeFirst();
    if (existing) {
      await trx.updateTable('customer_organization_properties').set({ value, updated_at: new Date() }).where('organization_id', '=', org.id).where('key', '=', key).execute();
    } else {
      const count = await trx.selectFrom('customer_organization_properties').select((eb) => eb.fn.countAll<string>().as('n')).where('organization_id', '=', org.id).executeTakeFirstOrThrow();
      if (Number(count.n) >= PROPERTIES_PER_ORGANIZATION_MAX) {
        throw badRequest(`An organization can keep at most ${PROPERTIES_PER_ORGANIZATION_MAX} properties.`, { propertyKey: 'Too many properties.' });
      }
      await trx.insertInto('customer_organization_properties').values({ organization_id: org.id, site_id: input.site.id, key, value }).execute();
    }
    await auditOrganization(trx, ctx, input.site, 'customer_organization.property.set', org, { details: { propertyKey: key } });
    return { created: !existing };
  });
}

export async function deleteOrganizationProperty(ctx: ActorContext, input: { site: SiteRef; organizationId: string; key: string }): Promise<void> {
  validKey(input.key);
  await ctx.db.transaction().execute(async (trx) => {
    const org = await loadManagedOrganization(trx, ctx.actor, input.site, input.organizationId, { lock: true });
    const deleted = await trx.deleteFrom('customer_organization_properties').where('organization_id', '=', org.id).where('key', '=', input.key).executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) throw missing(input.key);
    await auditOrganization(trx, ctx, input.site, 'customer_organization.property.deleted', org, { details: { propertyKey: input.key } });
  });
}
