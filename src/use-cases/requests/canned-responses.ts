import type { ActorContext } from '../context.js';
import { badRequest, notFound } from '../../domain/errors.js';
import type { SiteRef } from '../../domain/policies.js';
import { auditSiteChange } from '../audit.js';
import { loadWorkableProject } from './agent-access.js';
import { assertActorStillActive } from './visible-request.js';

// Canned responses (docs/product.md#canned-responses): a project's ready answers, kept by its agents
// (and the site's admins) and inserted into the composer, where they are edited before sending.

export const CANNED_TITLE_MAX = 100;
export const CANNED_BODY_MAX = 10_000;
/** a project's list is one answer, never paged */
export const CANNED_PER_PROJECT_MAX = 200;

export interface CannedResponse {
  id: string;
  title: string;
  body: string;
  updatedAt: Date;
}

function clean(input: { title: string; body: string }): { title: string; body: string } {
  const title = input.title.trim();
  const body = input.body.trim();
  const errors: Record<string, string> = {};
  if (title === '') errors.title = 'Title is required.';
  else if (title.length > CANNED_TITLE_MAX) errors.title = `Title can be at most ${CANNED_TITLE_MAX} characters.`;
  if (body === '') errors.body = 'Text is required.';
  else if (body.length > CANNED_BODY_MAX) errors.body = `Text can be at most ${CANNED_BODY_MAX.toLocaleString('en-US')} characters.`;
  const first = Object.values(errors)[0];
  if (first) throw badRequest(first, errors);
  return { title, body };
}

const titleTaken = (title: string) => {
  const msg = `This project already has a canned response titled “${title.slice(0, CANNED_TITLE_MAX)}”.`;
  return badRequest(msg, { title: msg });
};

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

function toCanned(r: { id: string; title: string; body: string; updated_at: Date }): CannedResponse {
  return { id: String(r.id), title: r.title, body: r.body, updatedAt: new Date(r.updated_at) };
}

export async function listCannedResponses(ctx: ActorContext, input: { site: SiteRef; projectKey: string }): Promise<CannedResponse[]> {
  const project = await loadWorkableProject(ctx, input.site, input.projectKey);
  const rows = await ctx.db
    .selectFrom('canned_responses')
    .select(['id', 'title', 'body', 'updated_at'])
    .where('project_id', '=', project.id)
    .orderBy((eb) => eb.fn('lower', ['title']))
    .orderBy('id')
    .limit(CANNED_PER_PROJECT_MAX)
    .execute();
  return rows.map(toCanned);
}

export async function createCannedResponse(ctx: ActorContext, input: { site: SiteRef; projectKey: string; title: string; body: string }): Promise<CannedResponse> {
  const project = await loadWorkableProject(ctx, input.site, input.projectKey);
  const { title, body } = clean(input);
  return ctx.db.transaction().execute(async (trx) => {
    await assertActorStillActive(trx, ctx.actor);
    const count = await trx.selectFrom('canned_responses').select((eb) => eb.fn.countAll<string>().as('n')).where('project_id', '=', project.id).executeTakeFirstOrThrow();
    if (Number(count.n) >= CANNED_PER_PROJECT_MAX) throw badRequest(`A project keeps at most ${CANNED_PER_PROJECT_MAX} canned responses: delete one first.`);
    const row = await trx
      .insertInto('canned_responses')
      .values({ site_id: input.site.id, project_id: project.id, title, body, created_by: ctx.actor.accountId, updated_by: ctx.actor.accountId })
      .returning(['id', 'title', 'body', 'updated_at'])
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? titleTaken(title) : error;
      });
    await auditSiteChange(trx, ctx, input.site, 'canned_response.created', { id: String(row.id), project: project.key, title });
    return toCanned(row);
  });
}

export async function updateCannedResponse(
  ctx: ActorContext,
  input: { site: SiteRef; projectKey: string; id: string; title: string; body: string },
): Promise<CannedResponse> {
  const project = await loadWorkableProject(ctx, input.site, input.projectKey);
  const { title, body } = clean(input);
  const id = cannedId(input.id);
  return ctx.db.transaction().execute(async (trx) => {
    await assertActorStillActive(trx, ctx.actor);
    const row = await trx
      .updateTable('canned_responses')
      .set({ title, body, updated_by: ctx.actor.accountId, updated_at: new Date() })
      .where('id', '=', id)
      .where('project_id', '=', project.id)
      .returning(['id', 'title', 'body', 'updated_at'])
      .executeTakeFirst()
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? titleTaken(title) : error;
      });
    if (!row) throw notFound('This canned response does not exist in this project.');
    await auditSiteChange(trx, ctx, input.site, 'canned_response.updated', { id: String(row.id), project: project.key, title });
    return toCanned(row);
  });
}

export async function deleteCannedResponse(ctx: ActorContext, input: { site: SiteRef; projectKey: string; id: string }): Promise<void> {
  const project = await loadWorkableProject(ctx, input.site, input.projectKey);
  const id = cannedId(input.id);
  await ctx.db.transaction().execute(async (trx) => {
    await assertActorStillActive(trx, ctx.actor);
    const row = await trx.deleteFrom('canned_responses').where('id', '=', id).where('project_id', '=', project.id).returning(['id', 'title']).executeTakeFirst();
    if (!row) throw notFound('This canned response does not exist in this project.');
    await auditSiteChange(trx, ctx, input.site, 'canned_response.deleted', { id: String(row.id), project: project.key, title: row.title });
  });
}

function cannedId(id: string): string {
  if (!/^[1-9][0-9]{0,17}$/.test(id)) throw notFound('This canned response does not exist in this project.');
  return id;
}
