import type { AccountStatus, RequestStatus } from '../../db/schema.js';
import { OPEN_STATUSES } from '../../domain/request-workflow.js';
import type { SiteRef } from '../../domain/policies.js';
import { loadWorkableProject, type WorkableProject } from './agent-access.js';
import type { ActorContext } from '../context.js';
import { pageOffset } from '../../domain/limits.js';
import type { SlaState } from '../../domain/sla.js';
import { slasOfProjectRequests } from './get-request-slas.js';

export interface QueuePerson {
  accountId: string;
  displayName: string | null;
  email: string | null;
  status: AccountStatus;
  kind: 'staff' | 'customer';
}

export interface QueueRow {
  id: string;
  key: string;
  summary: string;
  status: RequestStatus;
  createdAt: Date;
  updatedAt: Date;
  reporter: QueuePerson;
  /** its SLAs now, in the project's settings (docs/product.md#slas) */
  slas: SlaState[];
}

export interface QueuePage {
  project: WorkableProject;
  start: number;
  limit: number;
  total: number;
  isLastPage: boolean;
  values: QueueRow[];
}

export const QUEUE_MAX_LIMIT = 100;

/**
 * The project's queue of open work (Open and In progress), newest first, one page at a time. Served
 * by the (project_id, status, created_at DESC) index.
 */
export async function listQueue(
  ctx: ActorContext,
  input: { site: SiteRef; projectKey: string; start?: number; limit?: number; now?: Date },
): Promise<QueuePage> {
  const project = await loadWorkableProject(ctx, input.site, input.projectKey);
  const start = pageOffset(input.start);
  const limit = Math.max(1, Math.min(QUEUE_MAX_LIMIT, Math.floor(input.limit ?? 50)));
  const base = ctx.db
    .selectFrom('requests as r')
    .where('r.project_id', '=', project.id)
    .where('r.status', 'in', [...OPEN_STATUSES]);
  const [rows, count] = await Promise.all([
    base
      .innerJoin('accounts as a', 'a.account_id', 'r.reporter_id')
      .select([
        'r.id', 'r.key', 'r.summary', 'r.status', 'r.created_at', 'r.updated_at',
        'a.account_id', 'a.display_name', 'a.email', 'a.status as account_status', 'a.kind',
      ])
      .orderBy('r.created_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(limit)
      .offset(start)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirst(),
  ]);
  const total = Number(count?.n ?? 0);
  const slas = await slasOfProjectRequests(ctx.db, project.id, rows.map((r) => ({ id: String(r.id), createdAt: r.created_at, status: r.status })), input.now);
  return {
    project,
    start,
    limit,
    total,
    isLastPage: start + rows.length >= total,
    values: rows.map((r) => ({
      id: String(r.id),
      key: r.key,
      summary: r.summary,
      status: r.status,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      reporter: { accountId: r.account_id, displayName: r.display_name, email: r.email, status: r.account_status, kind: r.kind },
      slas: slas.get(String(r.id)) ?? [],
    })),
  };
}
