import type { ActorContext, AnonymousContext, AppContext } from '../context.js';
import { badRequest, notFound } from '../../domain/errors.js';
import { decideSiteSettings } from '../../domain/policies.js';
import { checkMailboxSettings, MailboxUrlError, parseMailboxUrl, type MailboxSettings } from '../../domain/inbound-mail.js';
import { sealSecret } from '../../domain/secret-box.js';
import { appendAuditEvent } from '../../db/queries/audit.js';
import { findProjectByKey } from '../../db/queries/projects.js';
import { findSiteBySlug, type SiteRow } from '../../db/queries/sites.js';
import { deleteProjectMailbox, findProjectMailbox, listInboundLog, listSiteMailboxes, upsertProjectMailbox, type InboundLogEntry, type StoredMailbox } from '../../db/queries/inbound-mail.js';
import { enforce } from '../authorize.js';
import { MailHostRefused, resolveMailHost } from '../../integrations/mail-host.js';
import type { ProjectRow } from '../../domain/requests.js';
import { auditSiteChange } from '../audit.js';

// A project's incoming mailbox (docs/product.md#requests-by-email): set, shown and removed by the
// site's admins (the settings hold a password), as the admin console and `portico mailbox set` do.

export const NO_SECRET_KEY_MESSAGE =
  'Portico cannot keep a mailbox password: PORTICO_SECRET_KEY is not set. Set it (at least 32 characters, e.g. `openssl rand -base64 32`) and restart Portico, then save the mailbox again.';

/** A mailbox as admins see it: never the password. */
export interface MailboxView {
  projectKey: string;
  projectName: string;
  host: string;
  port: number;
  tls: boolean;
  user: string;
  folder: string;
  updatedAt: Date;
  lastPolledAt: Date | null;
  lastError: string | null;
}

export interface SiteMailboxes {
  /** whether PORTICO_SECRET_KEY is set, so a mailbox can be saved at all */
  canSave: boolean;
  projects: Array<{ key: string; name: string; mailbox: MailboxView | null }>;
}

async function authorize(ctx: ActorContext, siteSlug: string): Promise<SiteRow> {
  const site = ctx.urlSite?.slug === siteSlug ? ctx.urlSite : await findSiteBySlug(ctx.db, siteSlug);
  if (!site) throw notFound('Site not found.');
  enforce(decideSiteSettings(ctx.actor, site), { notFound: 'Site not found.', forbidden: "You do not have permission to change this site's settings." });
  return site;
}

async function projectOf(ctx: AppContext, site: SiteRow, key: string): Promise<ProjectRow> {
  const project = /^[A-Za-z][A-Za-z0-9]{1,9}$/.test(key) ? await findProjectByKey(ctx.db, site.id, key) : undefined;
  if (!project) throw notFound(`Service project '${key.slice(0, 20)}' not found.`);
  return project;
}

function view(project: ProjectRow, m: StoredMailbox): MailboxView {
  return { projectKey: project.key, projectName: project.name, host: m.host, port: m.port, tls: m.tls, user: m.user, folder: m.folder, updatedAt: m.updatedAt, lastPolledAt: m.lastPolledAt, lastError: m.lastError };
}

/** Every service project of the site with its mailbox, if it has one. */
export async function listSiteMailboxesFor(ctx: ActorContext, input: { siteSlug: string }): Promise<SiteMailboxes> {
  const site = await authorize(ctx, input.siteSlug);
  const projects = await ctx.db.selectFrom('projects').select(['id', 'key', 'name']).where('site_id', '=', site.id).orderBy('key').execute();
  const mailboxes = new Map((await listSiteMailboxes(ctx.db, site.id)).map((m) => [m.projectId, m]));
  return {
    canSave: Boolean(ctx.config.secretKey),
    projects: projects.map((p) => {
      const m = mailboxes.get(String(p.id));
      return { key: p.key, name: p.name, mailbox: m ? { projectKey: p.key, projectName: p.name, host: m.host, port: m.port, tls: m.tls, user: m.user, folder: m.folder, updatedAt: m.updatedAt, lastPolledAt: m.lastPolledAt, lastError: m.lastError } : null };
    }),
  };
}

export type MailboxInput = { url: string; tls?: boolean } | { host: string; port: number; tls: boolean; user: string; password: string; folder?: string };

/**
 * Saves a project's mailbox (replacing the one it had), the password sealed under PORTICO_SECRET_KEY.
 * Refused with a clear 400 when no key is configured: a password is never stored in clear.
 */
export async function setProjectMailbox(ctx: ActorContext, input: { siteSlug: string; projectKey: string; mailbox: MailboxInput }): Promise<MailboxView> {
  const site = await authorize(ctx, input.siteSlug);
  const project = await projectOf(ctx, site, input.projectKey);
  return saveMailbox(ctx, site, project, input.mailbox, ctx.actor.accountId);
}

/**
 * `portico mailbox set`: whoever runs the command on the server's machine (with its database or
 * data directory) is trusted as for `portico token create`; the audit event names no actor.
 */
export async function setProjectMailboxFromCli(ctx: AnonymousContext, input: { siteSlug: string; projectKey: string; url: string; tls?: boolean }): Promise<MailboxView> {
  const site = await findSiteBySlug(ctx.db, input.siteSlug);
  if (!site) throw notFound(`Site '${input.siteSlug.slice(0, 63)}' not found.`);
  const project = await projectOf(ctx, site, input.projectKey);
  return saveMailbox(ctx, site, project, { url: input.url, tls: input.tls }, null);
}

async function saveMailbox(ctx: AppContext, site: SiteRow, project: ProjectRow, input: MailboxInput, actorId: string | null): Promise<MailboxView> {
  if (!ctx.config.secretKey) throw badRequest(NO_SECRET_KEY_MESSAGE);
  let settings: MailboxSettings;
  try {
    settings = 'url' in input ? parseMailboxUrl(input.url, input.tls) : checkMailboxSettings({ ...input, folder: input.folder ?? 'INBOX' });
  } catch (error) {
    if (error instanceof MailboxUrlError) throw badRequest(error.message);
    throw error;
  }
  await refusePrivateMailServer(ctx, settings.host);
  const sealed = sealSecret(ctx.config.secretKey, settings.password);
  await ctx.db.transaction().execute(async (trx) => {
    await upsertProjectMailbox(trx, { projectId: project.id, siteId: site.id, host: settings.host, port: settings.port, tls: settings.tls, user: settings.user, passwordSealed: sealed, folder: settings.folder, updatedBy: actorId });
    await appendAuditEvent(trx, {
      action: 'project.mailbox.changed',
      orgId: site.orgId,
      siteId: site.id,
      actorId,
      targetId: null,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      details: { project: project.key, host: settings.host, port: settings.port, tls: settings.tls, user: settings.user, folder: settings.folder },
    });
  });
  return view(project, (await findProjectMailbox(ctx.db, project.id))!);
}

/** How long saving a mailbox waits for DNS to resolve its host. */
const SAVE_LOOKUP_TIMEOUT_MS = 5_000;

/**
 * Refuses a mail server whose address is on a private or local network the operator does not allow
 * (docs/security.md, E7) with the one plain message, whatever the address. A name that does not
 * resolve now is saved (its DNS may come later); every poll resolves and checks it again before it
 * connects, and notes a refusal on the mailbox.
 */
async function refusePrivateMailServer(ctx: AppContext, host: string): Promise<void> {
  try {
    await resolveMailHost(host, ctx.config.mailboxAllowedHosts, SAVE_LOOKUP_TIMEOUT_MS);
  } catch (error) {
    if (error instanceof MailHostRefused) throw badRequest(error.message, { host: error.message });
    // unresolved: the poll says so on the mailbox
  }
}

export async function removeProjectMailbox(ctx: ActorContext, input: { siteSlug: string; projectKey: string }): Promise<void> {
  const site = await authorize(ctx, input.siteSlug);
  const project = await projectOf(ctx, site, input.projectKey);
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await deleteProjectMailbox(trx, project.id))) return;
    await auditSiteChange(trx, ctx, site, 'project.mailbox.removed', { project: project.key });
  });
}

export const INBOUND_LOG_PAGE_MAX = 100;

/** Mail the site's mailboxes refused or ignored, newest first (the admins' log). */
export async function listInboundMailLog(ctx: ActorContext, input: { siteSlug: string; start: number; limit: number }): Promise<{ values: InboundLogEntry[]; isLastPage: boolean }> {
  const site = await authorize(ctx, input.siteSlug);
  const limit = Math.min(Math.max(1, input.limit), INBOUND_LOG_PAGE_MAX);
  const rows = await listInboundLog(ctx.db, site.id, limit + 1, input.start);
  return { values: rows.slice(0, limit), isLastPage: rows.length <= limit };
}
