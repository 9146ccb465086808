import { sql, type ExpressionBuilder, type QueryCreator, type Transaction } from 'kysely';
import type { Db } from '../connection.js';
import type { Database } from '../schema.js';
import type { AccountRef } from '../../domain/requests.js';
import type { ApprovalDecision, ApprovalStatus } from '../../domain/approvals.js';
import { accountOrFormer, loadAccounts } from './accounts.js';

// Approvals as stored (docs/product.md#approvals): a request's approvals, the people each waits for
// (whoever the approvers field of the request holds now, and whoever already answered), and the
// answers. These queries never decide who may see or answer; domain/approvals.ts does.

type Executor = Transaction<Database> | Db;

export interface StoredApprover {
  account: AccountRef;
  decision: ApprovalDecision | null;
  decidedAt: Date | null;
}

export interface StoredApproval {
  id: string;
  requestId: string;
  name: string;
  status: ApprovalStatus;
  customFieldId: string;
  createdAt: Date;
  completedAt: Date | null;
  approvers: StoredApprover[];
}

/** The approvers field of a request type (a user picker on its form), or undefined when it needs no approval. */
export async function findApprovalField(db: Executor, requestTypeId: string) {
  const row = await db
    .selectFrom('request_types as rt')
    .innerJoin('request_type_fields as f', (j) => j.onRef('f.request_type_id', '=', 'rt.id').onRef('f.custom_field_id', '=', 'rt.approval_field_id'))
    .select(['rt.approval_field_id as customFieldId', 'f.field_key as fieldKey', 'f.label'])
    .where('rt.id', '=', requestTypeId)
    .executeTakeFirst();
  return row && row.customFieldId !== null ? { customFieldId: String(row.customFieldId), fieldKey: row.fieldKey, label: row.label } : undefined;
}

export async function setApprovalField(trx: Transaction<Database>, requestTypeId: string, customFieldId: string | null): Promise<void> {
  await trx.updateTable('request_types').set({ approval_field_id: customFieldId }).where('id', '=', requestTypeId).execute();
}

export async function insertApproval(trx: Transaction<Database>, a: { siteId: string; requestId: string; customFieldId: string; name: string }): Promise<string> {
  const row = await trx
    .insertInto('request_approvals')
    .values({ site_id: a.siteId, request_id: a.requestId, custom_field_id: a.customFieldId, name: a.name })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

/** A request's approvals, oldest first, each with its approvers: the field's people in their order, then anyone else who answered. */
export async function loadApprovals(db: Executor, requestId: string, options: { approvalId?: string; forUpdate?: boolean } = {}): Promise<StoredApproval[]> {
  let q = db
    .selectFrom('request_approvals')
    .select(['id', 'request_id', 'name', 'status', 'custom_field_id', 'created_at', 'completed_at'])
    .where('request_id', '=', requestId)
    .orderBy('id');
  if (options.approvalId !== undefined) q = q.where('id', '=', options.approvalId);
  if (options.forUpdate) q = q.forUpdate();
  const approvals = await q.execute();
  if (approvals.length === 0) return [];
  const ids = approvals.map((a) => a.id);
  const [named, decided] = await Promise.all([
    db
      .selectFrom('request_user_values')
      .select(['custom_field_id', 'account_id'])
      .where('request_id', '=', requestId)
      .where('custom_field_id', 'in', approvals.map((a) => a.custom_field_id))
      .orderBy('position')
      .execute(),
    db.selectFrom('request_approval_decisions').select(['approval_id', 'account_id', 'decision', 'decided_at']).where('approval_id', 'in', ids).orderBy('decided_at').execute(),
  ]);
  const accounts = await loadAccounts(db, [...named.map((n) => n.account_id), ...decided.map((d) => d.account_id)]);
  return approvals.map((a) => {
    const answers = decided.filter((d) => String(d.approval_id) === String(a.id));
    const people = [...new Set([...named.filter((n) => String(n.custom_field_id) === String(a.custom_field_id)).map((n) => n.account_id), ...answers.map((d) => d.account_id)])];
    return {
      id: String(a.id),
      requestId: String(a.request_id),
      name: a.name,
      status: a.status,
      customFieldId: String(a.custom_field_id),
      createdAt: new Date(a.created_at),
      completedAt: a.completed_at === null ? null : new Date(a.completed_at),
      approvers: people.map((id) => {
        const answer = answers.find((d) => d.account_id === id);
        return { account: accountOrFormer(accounts, id), decision: answer?.decision ?? null, decidedAt: answer ? new Date(answer.decided_at) : null };
      }),
    };
  });
}

export async function recordApprovalDecision(
  trx: Transaction<Database>,
  d: { siteId: string; approvalId: string; accountId: string; decision: ApprovalDecision; at: Date },
): Promise<void> {
  await trx.insertInto('request_approval_decisions').values({ site_id: d.siteId, approval_id: d.approvalId, account_id: d.accountId, decision: d.decision, decided_at: d.at }).execute();
  await trx.updateTable('request_approvals').set({ status: d.decision, completed_at: d.at }).where('id', '=', d.approvalId).execute();
}

/**
 * The same requests as approvalsNaming, driven from the account's own rows (its user-picker values,
 * its decisions: both indexed by account) so that a search reads only those few: the ids as
 * `request_id`, for a customer's JQL visibility (db/jql-plan.ts).
 */
export function requestIdsWhoseApprovalNames(qc: Pick<QueryCreator<Database>, 'selectFrom'>, accountId: string) {
  return qc
    .selectFrom('request_user_values as v')
    .innerJoin('request_approvals as ap', (j) => j.onRef('ap.request_id', '=', 'v.request_id').onRef('ap.custom_field_id', '=', 'v.custom_field_id'))
    .select('ap.request_id as request_id')
    .where('v.account_id', '=', accountId)
    .unionAll(
      qc.selectFrom('request_approval_decisions as d').innerJoin('request_approvals as ap', 'ap.id', 'd.approval_id').select('ap.request_id as request_id').where('d.account_id', '=', accountId),
    );
}

/**
 * The requests whose approval names `accountId` — in the approvers field, or as one who answered —
 * as a FROM clause (`ap.request_id` is the request): what lets an approver see the request
 * (isSharedWith) and what the APPROVER ownership of the REST list reads.
 */
export function approvalsNaming(eb: Pick<ExpressionBuilder<Database, never>, 'selectFrom'>, accountId: string) {
  return eb
    .selectFrom('request_approvals as ap')
    .where((w) =>
      w.or([
        w.exists(
          w.selectFrom('request_user_values as v')
            .select(sql.lit(1).as('one'))
            .whereRef('v.request_id', '=', 'ap.request_id')
            .whereRef('v.custom_field_id', '=', 'ap.custom_field_id')
            .where('v.account_id', '=', accountId),
        ),
        w.exists(w.selectFrom('request_approval_decisions as d').select(sql.lit(1).as('one')).whereRef('d.approval_id', '=', 'ap.id').where('d.account_id', '=', accountId)),
      ]),
    );
}

/**
 * The pending approvals an account is named on and has not answered, on one site, oldest first: the
 * help center's "Approvals" list. The account must be active to be offered them (revoked approvers
 * never sign in; a deleted one is nobody's approver).
 */
export async function listPendingApprovalsFor(db: Executor, siteId: string, accountId: string, limit: number) {
  return db
    .selectFrom('request_approvals as ap')
    .innerJoin('requests as r', 'r.id', 'ap.request_id')
    .innerJoin('request_types as rt', 'rt.id', 'r.request_type_id')
    .innerJoin('projects as p', 'p.id', 'r.project_id')
    .innerJoin('accounts as rep', 'rep.account_id', 'r.reporter_id')
    .innerJoin('request_user_values as v', (j) => j.onRef('v.request_id', '=', 'ap.request_id').onRef('v.custom_field_id', '=', 'ap.custom_field_id'))
    .select([
      'ap.id', 'r.key', 'r.project_id', 'r.summary', 'r.status', 'rt.name as request_type_name', 'p.portal_name', 'ap.created_at',
      'rep.account_id as rep_account_id', 'rep.kind as rep_kind', 'rep.display_name as rep_display_name', 'rep.email as rep_email', 'rep.status as rep_status',
    ])
    .where('ap.site_id', '=', siteId)
    .where('ap.status', '=', 'pending')
    .where('v.account_id', '=', accountId)
    .orderBy('ap.created_at')
    .orderBy('ap.id')
    .limit(limit)
    .execute();
}
