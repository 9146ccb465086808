import { mayReadEmailOf, type Actor } from '../../../domain/policies.js';
import type { AccountRef, CommentRow, RequestDetail, RequestRow } from '../../../domain/requests.js';
import type { RequestPermissions } from '../../../use-cases/requests/get-request.js';
import type { KbArticleSummary } from '../../../use-cases/knowledge-base/search-kb-articles.js';
import { presentDate } from './common.js';
import { presentServiceDesk, SERVICE_REQUEST_ISSUE_TYPE } from './service-desk.js';
import { statusCategoryOf } from './search.js';
import { presentJsmUser } from './users.js';
import { friendlyDuration, type SlaCycle, type SlaState } from '../../../domain/sla.js';

// CustomerRequestDTO (docs/product.md#rest-shapes), CommentDTO and ArticleDTO.

export const REQUEST_EXPANDS = ['participant', 'status', 'sla', 'requestType', 'serviceDesk', 'attachment', 'action', 'comment'] as const;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Plain text as HTML paragraphs (Portico stores comments and descriptions as plain text). */
export function textToHtml(text: string): string {
  if (text.trim() === '') return '';
  return text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br/>')}</p>`)
    .join('');
}

export function userOf(base: string, viewer: Actor, a: AccountRef) {
  return presentJsmUser(base, { account: a, emailVisible: mayReadEmailOf(viewer, a.accountId) });
}

function emptyPage(base: string) {
  return { size: 0, start: 0, limit: 50, isLastPage: true, values: [] as unknown[], _links: { base, context: '' } };
}

/** A JSM page of everything at once (a request's participants, status history…). */
export function wholePage<T>(base: string, self: string, values: T[]) {
  return { size: values.length, start: 0, limit: Math.max(50, values.length), isLastPage: true, values, _links: { base, context: '', self } };
}

export function presentComment(base: string, viewer: Actor, request: { id: string }, c: CommentRow, expand: Set<string>) {
  return {
    id: c.id,
    body: c.body,
    public: c.public,
    author: userOf(base, viewer, c.author),
    created: presentDate(c.createdAt),
    ...(expand.has('renderedBody') ? { renderedBody: { html: textToHtml(c.body) } } : {}),
    ...(expand.has('attachment') ? { attachments: emptyPage(base) } : {}),
    _expands: ['attachment', 'renderedBody'].filter((e) => !expand.has(e)),
    _links: { self: `${base}/rest/servicedeskapi/request/${request.id}/comment/${c.id}` },
  };
}

/** `CustomerRequestStatusDTO`: a status and since when the request had it. */
export function presentStatus(status: RequestRow['status'], since: Date) {
  return { status, statusCategory: statusCategoryOf(status), statusDate: presentDate(since) };
}

function currentStatus(r: RequestRow) {
  return presentStatus(r.status, r.statusChangedAt);
}

/** `CustomerTransitionDTO`. */
export function presentTransition(t: { id: string; name: string }) {
  return { id: t.id, name: t.name };
}

/**
 * A request as JSM answers it. `expand` adds participants, status, sla (`slas`: its SLAs for those
 * who work its project, none for anyone else), requestType, serviceDesk, attachments (none), actions and comments.
 */
export function presentCustomerRequest(
  base: string,
  viewer: Actor,
  detail: RequestDetail,
  expand: Set<string>,
  permissions?: RequestPermissions,
  slas: SlaState[] = [],
) {
  const r = detail.request;
  const self = `${base}/rest/servicedeskapi/request/${r.id}`;
  const requestFieldValues: Array<Record<string, unknown>> = [
    { fieldId: 'summary', label: 'Summary', value: r.summary },
    { fieldId: 'description', label: 'Description', value: r.description, renderedValue: { html: textToHtml(r.description) } },
    ...detail.pickerValues.map((f) => {
      const users = f.values.map((a) => userOf(base, viewer, a));
      return { fieldId: f.fieldKey, label: f.label, value: f.type === 'multiuser' ? users : (users[0] ?? null) };
    }),
  ];
  const has = (e: string) => expand.has(e) || (e === 'comment' && [...expand].some((x) => x.startsWith('comment.')));
  const commentExpand = new Set([...expand].filter((e) => e.startsWith('comment.')).map((e) => e.slice('comment.'.length)));
  return {
    _expands: REQUEST_EXPANDS.filter((e) => !has(e)),
    issueId: r.id,
    issueKey: r.key,
    summary: r.summary,
    requestTypeId: r.requestTypeId,
    serviceDeskId: r.projectId,
    createdDate: presentDate(r.createdAt),
    reporter: userOf(base, viewer, detail.reporter),
    requestFieldValues,
    currentStatus: currentStatus(r),
    ...(has('participant') ? { participants: wholePage(base, `${self}/participant`, detail.participants.map((a) => userOf(base, viewer, a))) } : {}),
    ...(has('status')
      ? { status: wholePage(base, `${self}/status`, detail.statusHistory ? detail.statusHistory.map((e) => presentStatus(e.status, e.since)) : [currentStatus(r)]) }
      : {}),
    ...(has('sla') ? { sla: wholePage(base, `${self}/sla`, slas.map((s) => presentSla(self, s))) } : {}),
    ...(has('attachment') ? { attachments: { ...emptyPage(base), _links: { base, context: '', self: `${self}/attachment` } } } : {}),
    ...(has('requestType')
      ? {
          requestType: {
            id: r.requestTypeId,
            name: r.requestTypeName,
            issueTypeId: SERVICE_REQUEST_ISSUE_TYPE.id,
            serviceDeskId: r.projectId,
            portalId: r.projectId,
            _links: { self: `${base}/rest/servicedeskapi/servicedesk/${r.projectId}/requesttype/${r.requestTypeId}` },
          },
        }
      : {}),
    ...(has('serviceDesk') ? { serviceDesk: presentServiceDesk(base, { id: r.projectId, projectId: r.projectId, projectKey: r.projectKey, projectName: r.projectName }) } : {}),
    ...(has('action') && permissions
      ? {
          actions: {
            addAttachment: { allowed: false },
            addComment: { allowed: permissions.canComment },
            addParticipant: { allowed: permissions.canAddParticipants },
            removeParticipant: { allowed: permissions.removableParticipantIds.length > 0 },
          },
        }
      : {}),
    ...(has('comment') ? { comments: wholePage(base, `${self}/comment`, detail.comments.map((c) => presentComment(base, viewer, r, c, commentExpand))) } : {}),
    _links: {
      self,
      jiraRest: `${base}/rest/api/2/issue/${r.id}`,
      web: `${base}/servicedesk/customer/portal/${r.projectId}/${r.key}`,
      agent: `${base}/browse/${r.key}`,
    },
  };
}

const HL_START = '@@@hl@@@';
const HL_END = '@@@endhl@@@';

/** A word without a common English ending, so "printers" and "Printer", "working" and "works" meet. */
const roughStem = (word: string) => word.toLowerCase().replace(/(ing|ed|es|s)$/u, (end: string, _group: string, _offset: number, whole: string) => (whole.length - end.length >= 3 ? '' : end));

/**
 * Marks every word that starts with one of the query words, as JSM's highlight=true does, comparing
 * them without common English endings as the search itself does (a rough match: the search's
 * dictionary is the database's).
 */
export function highlightKb(text: string, query: string): string {
  const words = (query.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter(Boolean).map(roughStem);
  if (words.length === 0) return text;
  return text.replace(/[\p{L}\p{N}]+/gu, (word) => (words.some((w) => roughStem(word).startsWith(w)) ? `${HL_START}${word}${HL_END}` : word));
}

/** ArticleDTO (docs/product.md#rest-shapes): the article opens in the help center. */
export function presentArticle(base: string, a: KbArticleSummary, highlight: string | null) {
  return {
    title: highlight ? highlightKb(a.title, highlight) : a.title,
    excerpt: highlight ? highlightKb(a.excerpt, highlight) : a.excerpt,
    source: { type: 'confluence' as const, pageId: a.id, spaceKey: a.portalName },
    content: { iframeSrc: `${base}/servicedesk/customer/article/${a.id}` },
  };
}

/** JSM `SlaInformationDTO` (docs/product.md#slas): a metric's cycles, durations with their words. */
export function presentSla(requestUrl: string, sla: SlaState) {
  const duration = (millis: number) => ({ millis, friendly: friendlyDuration(millis) });
  const cycle = (c: SlaCycle) => ({
    startTime: presentDate(c.startTime),
    ...(c.breachTime ? { breachTime: presentDate(c.breachTime) } : {}),
    breached: c.breached,
    goalDuration: duration(c.goalMillis),
    elapsedTime: duration(c.elapsedMillis),
    remainingTime: duration(c.remainingMillis),
  });
  return {
    id: sla.metric.restId,
    name: sla.metric.name,
    completedCycles: sla.completedCycles.map((c) => ({ ...cycle(c), stopTime: presentDate(c.stopTime!) })),
    ...(sla.ongoingCycle ? { ongoingCycle: { ...cycle(sla.ongoingCycle), paused: sla.ongoingCycle.paused, withinCalendarHours: sla.ongoingCycle.withinCalendarHours } } : {}),
    _links: { self: `${requestUrl}/sla/${sla.metric.restId}` },
  };
}

/** JSM `AttachmentDTO` (docs/product.md#rest-attachments): a request's file, its bytes at `content`. */
export function presentAttachment(
  base: string,
  viewer: Actor,
  issueIdOrKey: string,
  a: { id: string; fileName: string; contentType: string; size: number; createdAt: Date; author: AccountRef | undefined },
) {
  const self = `${base}/rest/servicedeskapi/request/${encodeURIComponent(issueIdOrKey)}/attachment/${a.id}`;
  return {
    filename: a.fileName,
    mimeType: a.contentType,
    size: a.size,
    created: presentDate(a.createdAt),
    ...(a.author ? { author: userOf(base, viewer, a.author) } : {}),
    _links: { self, content: self, ...(a.contentType.startsWith('image/') ? { thumbnail: `${self}/thumbnail` } : {}) },
  };
}
