import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { Form } from 'react-aria-components';
import { ApiError } from '../api';
import { Link } from '../link';
import { Alert, Button, DataTable, DateTime, DialogActions, ErrorMessage, Loading, ModalDialog, Pager, SelectField, Status, TextField } from '../shared/ui';
import { errorText } from '../shared/errors';
import { LabelledCheckbox } from './Checkbox';
import { NOT_ADMINISTERED } from './paths';
import { reviewKeys, reviewsApi, type AccessReview, type ReviewApplied, type ReviewDecision, type ReviewItem, type ReviewItemPage } from './access-reviews-api';

// Access reviews in the admin console, in both experiences (docs/product.md#access-reviews): the
// site's reviews with "Start review", and a review's page where a reviewer goes through the customers
// with the keyboard, sees the progress, completes it and reads (and exports) the report.

const ITEMS_PAGE = 100;
const SCOPES = [
  { id: '', label: 'Every customer with access' },
  { id: '30', label: 'Inactive for more than 30 days' },
  { id: '90', label: 'Inactive for more than 90 days' },
  { id: '180', label: 'Inactive for more than 180 days' },
  { id: '365', label: 'Inactive for more than a year' },
] as const;
const DECISION = { keep: 'Keep', revoke: 'Revoke' } as const;
const OUTCOME = { kept: 'Kept', revoked: 'Revoked', already_revoked: 'Skipped: already revoked', deleted: 'Skipped: deleted' } as const;
const STATUS = { open: 'Open', completed: 'Completed', cancelled: 'Cancelled' } as const;

/** A review's page under the reviews' page of this experience. */
const reviewPath = (basePath: string, id: string): string => `${basePath}/${encodeURIComponent(id)}`;

const personName = (p: { displayName: string | null; accountId: string } | null) => (p ? (p.displayName ?? 'Former user') : '');

/** The site's reviews, or one review when `reviewId` is given; `basePath` is the reviews' page of this experience. */
export function AccessReviews({ siteSlug, siteName, basePath, reviewId }: { siteSlug: string; siteName: string; basePath: string; reviewId?: string }) {
  return reviewId ? <ReviewPage siteSlug={siteSlug} reviewId={reviewId} basePath={basePath} /> : <ReviewList siteSlug={siteSlug} siteName={siteName} basePath={basePath} />;
}

function progressText(r: AccessReview): string {
  return `${r.progress.decided} of ${r.customers} decided`;
}

function ReviewList({ siteSlug, siteName, basePath }: { siteSlug: string; siteName: string; basePath: string }) {
  const list = useQuery({ queryKey: reviewKeys.list(siteSlug), queryFn: () => reviewsApi.list(siteSlug) });
  const [starting, setStarting] = useState(false);
  return (
    <section className="adm-section" aria-labelledby="access-reviews-heading">
      <div className="adm-page-head">
        <div>
          <h2 id="access-reviews-heading">Access reviews</h2>
          <p className="adm-muted">
            Go through {siteName}’s customers and decide who keeps access. Completing a review (or its due date) revokes those marked Revoke in one change,
            named in the audit log; the report says who decided what, and when.
          </p>
        </div>
        <div className="adm-page-actions">
          <Button variant="primary" onPress={() => setStarting(true)} isDisabled={!list.data}>
            Start review
          </Button>
        </div>
      </div>
      {list.isPending && <Loading label="Loading the reviews…" />}
      {list.isError && <ErrorMessage error={list.error} title="Could not load the access reviews" byStatus={NOT_ADMINISTERED} />}
      {list.data && (
        <DataTable
          caption="Access reviews"
          stackOnPhone
          rows={list.data.values}
          rowKey={(r) => r.id}
          empty="No review yet. Start one to go through the customers."
          columns={[
            { header: 'Review', cell: (r) => <Link to={reviewPath(basePath, r.id)}>{r.name}</Link> },
            { header: 'Status', cell: (r) => STATUS[r.status] },
            { header: 'Progress', cell: (r) => progressText(r) },
            { header: 'Due', cell: (r) => <DateTime value={r.dueAt} fallback="No due date" /> },
            { header: 'Started', cell: (r) => <span><DateTime value={r.createdAt} /> by {personName(r.createdBy)}</span> },
          ]}
        />
      )}
      {starting && list.data && <StartReviewDialog siteSlug={siteSlug} basePath={basePath} candidates={list.data.reviewerCandidates} onClose={() => setStarting(false)} />}
    </section>
  );
}

function StartReviewDialog({
  siteSlug,
  basePath,
  candidates,
  onClose,
}: {
  siteSlug: string;
  basePath: string;
  candidates: Array<{ accountId: string; displayName: string | null; email: string | null }>;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [scope, setScope] = useState('');
  const [due, setDue] = useState('');
  const [undecided, setUndecided] = useState<ReviewDecision>('keep');
  const [reviewers, setReviewers] = useState<string[]>([]);
  const [notify, setNotify] = useState(false);
  const start = useMutation({
    mutationFn: () =>
      reviewsApi.start(siteSlug, {
        name,
        undecidedDefault: undecided,
        notifyOnRevoke: notify,
        reviewerIds: reviewers,
        ...(scope ? { inactiveDays: Number(scope) } : {}),
        // the end of the chosen day, in the admin's time zone
        ...(due ? { dueAt: new Date(`${due}T23:59:59`).toISOString() } : {}),
      }),
    onSuccess: (review) => {
      void queryClient.invalidateQueries({ queryKey: reviewKeys.list(siteSlug) });
      onClose();
      void navigate({ to: reviewPath(basePath, review.id) });
    },
  });
  const errors = start.error instanceof ApiError ? start.error.errors : {};
  const known = ['name', 'dueAt', 'reviewerIds', 'scope'];
  return (
    <ModalDialog title="Start an access review" onClose={onClose} wide>
      <Form
        className="adm-signup-form"
        validationBehavior="aria"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          start.mutate();
        }}
      >
        <TextField label="Name" value={name} onChange={setName} isRequired autoFocus error={errors.name} description="For example “Q4 customer review”. Every revoke of the review names it." />
        <SelectField label="Customers" options={SCOPES} value={scope} onChange={setScope} />
        {errors.scope ? <Alert>{errors.scope}</Alert> : null}
        <div className="ui-field">
          <label className="ui-label" htmlFor="review-due">
            Due date (optional)
          </label>
          <input id="review-due" className="ui-input" type="date" value={due} onChange={(e) => setDue(e.target.value)} aria-describedby="review-due-help" aria-invalid={errors.dueAt ? true : undefined} />
          <span id="review-due-help" className="ui-description">
            At the end of that day the review is applied by itself.
          </span>
          {errors.dueAt ? <span className="ui-field-error">{errors.dueAt}</span> : null}
        </div>
        <SelectField
          label="Customers nobody decided on"
          options={[
            { id: 'keep', label: 'Keep their access' },
            { id: 'revoke', label: 'Revoke their access' },
          ]}
          value={undecided}
          onChange={(v) => setUndecided(v === 'revoke' ? 'revoke' : 'keep')}
        />
        <LabelledCheckbox isSelected={notify} onChange={setNotify}>
          Mail the site’s revoke notice, with the reason, to the customers the review revokes
        </LabelledCheckbox>
        <fieldset className="adm-fieldset">
          <legend className="ui-label">Reviewers (optional: without any, every admin of the site may decide)</legend>
          {candidates.map((c) => (
            <LabelledCheckbox
              key={c.accountId}
              isSelected={reviewers.includes(c.accountId)}
              onChange={(on) => setReviewers((list) => (on ? [...list, c.accountId] : list.filter((id) => id !== c.accountId)))}
            >
              <span>
                {c.displayName ?? c.email ?? c.accountId}
                {c.email && c.displayName ? <span className="adm-muted adm-normal"> {c.email}</span> : null}
              </span>
            </LabelledCheckbox>
          ))}
        </fieldset>
        {errors.reviewerIds ? <Alert>{errors.reviewerIds}</Alert> : null}
        {start.isError && !known.some((k) => errors[k]) ? <Alert>{errorText(start.error)}</Alert> : null}
        <DialogActions>
          <Button type="submit" variant="primary" isDisabled={start.isPending}>
            Start review
          </Button>
          <Button onPress={onClose}>Cancel</Button>
        </DialogActions>
      </Form>
    </ModalDialog>
  );
}

function ReviewPage({ siteSlug, reviewId, basePath }: { siteSlug: string; reviewId: string; basePath: string }) {
  const queryClient = useQueryClient();
  const review = useQuery({ queryKey: reviewKeys.review(siteSlug, reviewId), queryFn: () => reviewsApi.review(siteSlug, reviewId) });
  const [start, setStart] = useState(0);
  const items = useQuery({ queryKey: reviewKeys.items(siteSlug, reviewId, start), queryFn: () => reviewsApi.items(siteSlug, reviewId, start, ITEMS_PAGE) });
  const [confirm, setConfirm] = useState<'complete' | 'cancel' | null>(null);
  const [message, setMessage] = useState('');
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: reviewKeys.review(siteSlug, reviewId) });
    void queryClient.invalidateQueries({ queryKey: reviewKeys.list(siteSlug) });
  };
  const end = useMutation({
    mutationFn: async (what: 'complete' | 'cancel'): Promise<{ what: 'complete' | 'cancel'; applied: ReviewApplied['applied'] | null }> =>
      what === 'complete' ? { what, applied: (await reviewsApi.complete(siteSlug, reviewId)).applied } : (await reviewsApi.cancel(siteSlug, reviewId), { what, applied: null }),
    onSuccess: ({ what, applied }) => {
      setConfirm(null);
      setMessage(
        what === 'cancel' || !applied
          ? 'Review cancelled. Nobody’s access changed.'
          : `Review completed: ${applied.revoked} revoked, ${applied.kept} kept${applied.alreadyRevoked ? `, ${applied.alreadyRevoked} already revoked` : ''}${applied.deleted ? `, ${applied.deleted} deleted meanwhile` : ''}.`,
      );
      refresh();
      void queryClient.invalidateQueries({ queryKey: ['admin', 'site', siteSlug, 'access-reviews', reviewId, 'items'] });
      void queryClient.invalidateQueries({ queryKey: ['admin', 'site', siteSlug, 'customers'] });
    },
  });

  if (review.isPending) return <Loading label="Loading the review…" />;
  if (review.isError) return <ErrorMessage error={review.error} title="Could not open this review" byStatus={{ ...NOT_ADMINISTERED, 404: 'This review does not exist, or you do not administer its site.' }} />;
  const r = review.data;
  const open = r.status === 'open';
  const undecided = r.customers - r.progress.decided;
  return (
    <section className="adm-section" aria-labelledby="review-heading">
      <p className="adm-crumbs">
        <Link to={basePath}>Access reviews</Link> › {r.name}
      </p>
      <div className="adm-page-head">
        <div>
          <h2 id="review-heading">{r.name}</h2>
          <p className="adm-muted">
            {STATUS[r.status]}
            {r.dueAt ? <> · due <DateTime value={r.dueAt} /></> : null} · undecided customers are {r.undecidedDefault === 'revoke' ? 'revoked' : 'kept'}
            {r.reviewers.length > 0 ? ` · reviewers: ${r.reviewers.map((p) => personName(p)).join(', ')}` : ' · any admin of the site may decide'}
          </p>
          {r.endedAt ? (
            <p className="adm-muted">
              {r.status === 'completed' ? 'Completed' : 'Cancelled'} <DateTime value={r.endedAt} /> {r.endedBy ? `by ${personName(r.endedBy)}` : 'on its due date'}
            </p>
          ) : null}
        </div>
        <div className="adm-page-actions">
          <a className="ui-button ui-button-secondary" href={reviewsApi.reportUrl(siteSlug, reviewId)} download>
            Export CSV
          </a>
          {open && (
            <>
              <Button variant="primary" onPress={() => setConfirm('complete')}>
                Complete review
              </Button>
              <Button onPress={() => setConfirm('cancel')}>Cancel review</Button>
            </>
          )}
        </div>
      </div>
      <div className="adm-review-progress">
        <progress id="review-progress" max={r.customers} value={r.progress.decided} aria-label="Review progress" />
        <span>
          {progressText(r)} · {r.progress.keep} keep · {r.progress.revoke} revoke
        </span>
      </div>
      <Status onDismiss={() => setMessage('')}>{message}</Status>
      {items.isError && <ErrorMessage error={items.error} title="Could not load the customers" />}
      {items.isPending && <Loading label="Loading the customers…" />}
      {items.data &&
        (open ? (
          <DecisionList siteSlug={siteSlug} review={r} page={items.data} onDecided={refresh} />
        ) : (
          <DataTable
            caption="Report: who decided what, and when"
            showCaption
            stackOnPhone
            rows={items.data.values}
            rowKey={(i) => i.accountId}
            empty="No customers."
            columns={[
              { header: 'Customer', cell: (i) => <span>{i.label}{i.email ? <span className="adm-muted"> {i.email}</span> : null}</span> },
              { header: 'Decision', cell: (i) => (i.decision ? DECISION[i.decision] : `Undecided (default: ${DECISION[r.undecidedDefault]})`) },
              { header: 'Decided by', cell: (i) => personName(i.decidedBy) || '—' },
              { header: 'Decided at', cell: (i) => <DateTime value={i.decidedAt} /> },
              { header: 'Outcome', cell: (i) => (i.outcome ? OUTCOME[i.outcome] : '—') },
            ]}
          />
        ))}
      {items.data && items.data.total > ITEMS_PAGE && (
        <Pager
          summary={`Customers ${items.data.start + 1}–${items.data.start + items.data.values.length} of ${items.data.total}`}
          hasPrevious={start > 0}
          hasNext={!items.data.isLastPage}
          onPrevious={() => setStart(Math.max(0, start - ITEMS_PAGE))}
          onNext={() => setStart(start + ITEMS_PAGE)}
        />
      )}
      {confirm && (
        <ModalDialog title={confirm === 'complete' ? 'Complete this review?' : 'Cancel this review?'} alert onClose={() => setConfirm(null)}>
          {confirm === 'complete' ? (
            <p>
              The {r.progress.revoke} customer{r.progress.revoke === 1 ? '' : 's'} marked Revoke lose access now, in one change named “{r.name}” in the audit log.
              {undecided > 0 ? ` ${undecided} undecided customer${undecided === 1 ? ' is' : 's are'} ${r.undecidedDefault === 'revoke' ? 'revoked too' : 'kept'}.` : ''} Customers revoked or deleted
              meanwhile are skipped.
            </p>
          ) : (
            <p>Nobody’s access changes. The decisions made so far stay in the report.</p>
          )}
          {end.isError ? <Alert>{errorText(end.error)}</Alert> : null}
          <DialogActions>
            <Button variant={confirm === 'complete' ? 'danger' : 'primary'} onPress={() => end.mutate(confirm)} isDisabled={end.isPending}>
              {confirm === 'complete' ? 'Complete and apply' : 'Cancel review'}
            </Button>
            <Button onPress={() => setConfirm(null)}>{confirm === 'complete' ? 'Not yet' : 'Keep it open'}</Button>
          </DialogActions>
        </ModalDialog>
      )}
    </section>
  );
}

/**
 * The customers of an open review, keyboard first: ↑ ↓ (or j k) move between customers, K (Shift+K)
 * marks Keep, R marks Revoke, U clears; after a mark the next customer is focused. The buttons do
 * the same for a pointer.
 */
function DecisionList({ siteSlug, review, page, onDecided }: { siteSlug: string; review: AccessReview; page: ReviewItemPage; onDecided: () => void }) {
  const queryClient = useQueryClient();
  const [active, setActive] = useState(0);
  const rows = useRef<Array<HTMLDivElement | null>>([]);
  const [error, setError] = useState('');
  const focusRow = (index: number) => {
    const i = Math.max(0, Math.min(page.values.length - 1, index));
    setActive(i);
    rows.current[i]?.focus();
  };
  useEffect(() => setActive(0), [page.start]);
  const decide = useMutation({
    mutationFn: ({ item, decision }: { item: ReviewItem; decision: ReviewDecision | null }) => reviewsApi.decide(siteSlug, review.id, item.accountId, decision),
    onSuccess: (updated) => {
      setError('');
      queryClient.setQueryData<ReviewItemPage>(reviewKeys.items(siteSlug, review.id, page.start), (old) =>
        old ? { ...old, values: old.values.map((v) => (v.accountId === updated.accountId ? updated : v)) } : old,
      );
      onDecided();
    },
    onError: (e) => setError(errorText(e)),
  });
  const mark = (index: number, decision: ReviewDecision | null) => {
    const item = page.values[index];
    if (!item || !review.canDecide || item.status === 'deleted') return;
    decide.mutate({ item, decision });
    if (decision) focusRow(index + 1);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>, index: number) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const key = e.key;
    if (key === 'ArrowDown' || key === 'j') focusRow(index + 1);
    else if (key === 'ArrowUp' || key === 'k') focusRow(index - 1);
    else if (key === 'Home') focusRow(0);
    else if (key === 'End') focusRow(page.values.length - 1);
    else if (key === 'K') mark(index, 'keep');
    else if (key === 'R' || key === 'r') mark(index, 'revoke');
    else if (key === 'U' || key === 'u') mark(index, null);
    else return;
    e.preventDefault();
  };
  return (
    <>
      <p className="adm-muted" id="review-keys">
        {review.canDecide
          ? 'Keys: ↑ ↓ or j k move between customers · Shift+K keeps · R revokes · U clears the mark.'
          : 'Only the reviewers of this review can decide. You can follow its progress and complete or cancel it.'}
      </p>
      {error ? <Alert>{error}</Alert> : null}
      <div className="adm-review-items" role="group" aria-label="Customers to review" aria-describedby="review-keys">
        {page.values.map((item, index) => {
          const name = item.label;
          const decided = item.decision ? DECISION[item.decision] : 'Undecided';
          return (
            <div
              key={item.accountId}
              ref={(el) => {
                rows.current[index] = el;
              }}
              role="group"
              aria-label={`${name}: ${decided}`}
              tabIndex={index === active ? 0 : -1}
              className={`adm-review-item${item.decision ? ` is-${item.decision}` : ''}${index === active ? ' is-active' : ''}`}
              onKeyDown={(e) => onKeyDown(e, index)}
              onFocus={() => setActive(index)}
            >
              <div className="adm-review-who">
                <strong>{name}</strong>
                {item.email ? <span className="adm-muted"> {item.email}</span> : null}
                <div className="adm-muted">
                  Last active <DateTime value={item.lastActiveAt} fallback="never" />
                  {item.status === 'revoked' ? ' · revoked since the review started' : item.status === 'deleted' ? ' · deleted since the review started' : ''}
                </div>
              </div>
              <div className="adm-review-decision">
                <span className="adm-review-mark">
                  {decided}
                  {item.decidedBy ? <span className="adm-muted"> by {personName(item.decidedBy)}</span> : null}
                </span>
                {review.canDecide && item.status !== 'deleted' && (
                  <>
                    {/* out of the Tab order: the row's keys do the same (one Tab stop for the whole list) */}
                    <button type="button" className="ui-button ui-button-secondary" aria-label={`Keep ${name}`} aria-pressed={item.decision === 'keep'} tabIndex={-1} onClick={() => mark(index, 'keep')}>
                      Keep
                    </button>
                    <button type="button" className="ui-button ui-button-secondary" aria-label={`Revoke ${name}`} aria-pressed={item.decision === 'revoke'} tabIndex={-1} onClick={() => mark(index, 'revoke')}>
                      Revoke
                    </button>
                  </>
                )}
              </div>
            </div>
          );
        })}
      </div>
    </>
  );
}
