import type { SiteRow } from '../../db/queries/sites.js';
import {
  erasureRequestsOf,
  ownApiTokens,
  ownCommentsElsewhere,
  ownMailMutes,
  ownOrganizations,
  ownProfile,
  ownRatingsOf,
  ownRequestsPage,
  ownSavedFilters,
  participantsOf,
  pickerValuesOf,
  publicCommentsOf,
  visibleAttachmentsOf,
} from '../../db/queries/own-data.js';
import { displayLabel } from '../../domain/display.js';
import { notFound, unauthenticated } from '../../domain/errors.js';
import { auditSiteChange } from '../audit.js';
import type { ActorContext } from '../context.js';
import { authorizeOwnData } from './own-data.js';

/** Requests read per statement batch while the export streams (docs/product.md#own-data). */
export const OWN_DATA_PAGE = 100;
/** Own comments on requests the customer no longer takes part in: the most the export lists. */
export const OWN_COMMENTS_ELSEWHERE_MAX = 10_000;

const label = (p: { display_name: string | null; status: 'active' | 'revoked' | 'deleted' }) => displayLabel(p);

/** Everything about the account but its requests: small, read at once. */
export interface OwnDataHead {
  format: 'portico.own-data/1';
  exportedAt: Date;
  site: { slug: string; name: string };
  profile: { accountId: string; displayName: string | null; email: string | null; status: string; createdAt: Date; lastActiveAt: Date | null; revokedAt: Date | null };
  organizations: Array<{ name: string; memberSince: Date }>;
  notificationSettings: { mutedRequests: Array<{ key: string; mutedAt: Date }> };
  savedFilters: Array<{ name: string; jql: string; createdAt: Date }>;
  apiTokens: Array<{ label: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }>;
  erasureRequests: Array<{ id: string; status: string; reason: string | null; requestedAt: Date; decidedAt: Date | null; note: string | null }>;
  commentsElsewhere: Array<{ requestKey: string; body: string; createdAt: Date; editedAt: Date | null }>;
}

export interface OwnRequest {
  key: string;
  yourRole: 'reporter' | 'participant';
  summary: string;
  description: string;
  status: string;
  statusChangedAt: Date;
  portal: string;
  requestType: string;
  createdAt: Date;
  updatedAt: Date;
  reporter: string;
  participants: string[];
  fields: Array<{ name: string; values: string[] }>;
  comments: Array<{ author: string; byYou: boolean; body: string; createdAt: Date; editedAt: Date | null }>;
  attachments: Array<{ fileName: string; contentType: string; size: number; createdAt: Date; uploadedByYou: boolean; onComment: boolean }>;
  yourRating: { rating: number; comment: string | null; ratedAt: Date } | null;
}

export interface OwnDataExport {
  head: OwnDataHead;
  /** the requests, read a page at a time as they are consumed */
  requests: AsyncIterable<OwnRequest>;
}

/**
 * GET …/customer/{accountId}/personal-data: what Portico holds about the calling customer on this
 * site (docs/product.md#own-data). Only the caller's own account (another id is a 404); requests
 * they report or take part in, with what they see of each in the help center — public comments
 * only, never internal notes; other people by name, never by email. The download is audited
 * (`customer.data.exported`) before anything is sent. The requests come as an async iterable read
 * OWN_DATA_PAGE at a time, so memory stays flat for a customer with any number of requests; before
 * each page the account must still be active, so a revoke ends the stream (R13).
 */
export async function exportOwnData(ctx: ActorContext, input: { site: SiteRow; accountId: string }): Promise<OwnDataExport> {
  authorizeOwnData(ctx, input.site, input.accountId);
  const { site, accountId } = input;
  const profile = await ownProfile(ctx.db, site.id, accountId);
  if (!profile || profile.status === 'deleted') throw notFound('Customer not found.');
  const [organizations, mutes, filters, tokens, erasures, elsewhere] = await Promise.all([
    ownOrganizations(ctx.db, site.id, accountId),
    ownMailMutes(ctx.db, site.id, accountId),
    ownSavedFilters(ctx.db, site.id, accountId),
    ownApiTokens(ctx.db, accountId),
    erasureRequestsOf(ctx.db, site.id, accountId),
    ownCommentsElsewhere(ctx.db, site.id, accountId, OWN_COMMENTS_ELSEWHERE_MAX),
  ]);
  await ctx.db.transaction().execute((trx) => auditSiteChange(trx, ctx, site, 'customer.data.exported', {}, accountId));
  const head: OwnDataHead = {
    format: 'portico.own-data/1',
    exportedAt: new Date(),
    site: { slug: site.slug, name: site.name },
    profile: {
      accountId,
      displayName: profile.display_name,
      email: profile.email,
      status: profile.status,
      createdAt: profile.created_at,
      lastActiveAt: profile.last_active_at,
      revokedAt: profile.revoked_at,
    },
    organizations: organizations.map((o) => ({ name: o.name, memberSince: o.added_at })),
    notificationSettings: { mutedRequests: mutes.map((m) => ({ key: m.key, mutedAt: m.muted_at })) },
    savedFilters: filters.map((f) => ({ name: f.name, jql: f.jql, createdAt: f.created_at })),
    apiTokens: tokens.map((t) => ({ label: t.label, createdAt: t.created_at, lastUsedAt: t.last_used_at, revokedAt: t.revoked_at })),
    erasureRequests: erasures.map((e) => ({ id: e.id, status: e.status, reason: e.reason, requestedAt: e.requested_at, decidedAt: e.decided_at, note: e.decision_note })),
    commentsElsewhere: elsewhere.map((c) => ({ requestKey: c.key, body: c.body, createdAt: c.created_at, editedAt: c.edited_at })),
  };
  return { head, requests: ownRequests(ctx, site.id, accountId) };
}

async function* ownRequests(ctx: ActorContext, siteId: string, accountId: string): AsyncGenerator<OwnRequest> {
  let after: string | null = null;
  for (;;) {
    // R13: a download that outlives a revoke or a delete stops at the next page (milliseconds apart)
    const still = await ownProfile(ctx.db, siteId, accountId);
    if (still?.status !== 'active') throw unauthenticated('Your access ended during the download.');
    const page = await ownRequestsPage(ctx.db, siteId, accountId, after, OWN_DATA_PAGE);
    if (page.length === 0) return;
    const ids = page.map((r) => r.id);
    const [comments, attachments, participants, pickers, ratings] = await Promise.all([
      publicCommentsOf(ctx.db, siteId, ids),
      visibleAttachmentsOf(ctx.db, siteId, ids),
      participantsOf(ctx.db, siteId, ids),
      pickerValuesOf(ctx.db, siteId, ids),
      ownRatingsOf(ctx.db, siteId, accountId, ids),
    ]);
    const by = <T extends { request_id: string | number }>(rows: T[]) => {
      const m = new Map<string, T[]>();
      for (const r of rows) m.set(String(r.request_id), [...(m.get(String(r.request_id)) ?? []), r]);
      return m;
    };
    const [c, a, p, v] = [by(comments), by(attachments), by(participants), by(pickers)];
    const rated = new Map(ratings.map((r) => [String(r.request_id), r]));
    for (const r of page) {
      const fields = new Map<string, string[]>();
      for (const value of v.get(r.id) ?? []) fields.set(value.field_name, [...(fields.get(value.field_name) ?? []), label(value)]);
      const rating = rated.get(r.id);
      yield {
        key: r.key,
        yourRole: r.reporter_id === accountId ? 'reporter' : 'participant',
        summary: r.summary,
        description: r.description,
        status: r.status,
        statusChangedAt: r.status_changed_at,
        portal: r.portal_name,
        requestType: r.request_type_name,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        reporter: label({ display_name: r.reporter_name, status: r.reporter_status }),
        participants: (p.get(r.id) ?? []).map(label),
        fields: [...fields].map(([name, values]) => ({ name, values })),
        comments: (c.get(r.id) ?? []).map((x) => ({ author: label(x), byYou: x.author_id === accountId, body: x.body, createdAt: x.created_at, editedAt: x.edited_at })),
        attachments: (a.get(r.id) ?? []).map((x) => ({
          fileName: x.file_name,
          contentType: x.content_type,
          size: Number(x.size),
          createdAt: x.created_at,
          uploadedByYou: x.uploaded_by === accountId,
          onComment: x.comment_id !== null,
        })),
        yourRating: rating ? { rating: rating.rating, comment: rating.comment, ratedAt: rating.rated_at } : null,
      };
    }
    if (page.length < OWN_DATA_PAGE) return;
    after = page[page.length - 1].id;
  }
}
