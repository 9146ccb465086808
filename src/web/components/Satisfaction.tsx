import { useState, type FormEvent } from 'react';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Label, Radio, RadioGroup, TextArea, TextField as AriaTextField } from 'react-aria-components';
import type { Static } from 'typebox';
import { get, put } from '../api';
import { errorText } from '../shared/errors';
import { Alert, Button, DateTime, Status } from '../shared/ui';
import type { ProjectSatisfactionSchema, RatingSchema, RequestRatingSchema } from '../../http/schemas/satisfaction';
import './Satisfaction.css';

// Satisfaction (docs/product.md#satisfaction): the help center's "How did we do?" on a resolved
// request, and the agent view's reading of it.

export type Rating = Static<typeof RatingSchema>;
export type ProjectSatisfaction = Static<typeof ProjectSatisfactionSchema>;
const enc = encodeURIComponent;

/** The words of each score, shown beside it and read out with it. */
export const SCORES: ReadonlyArray<{ value: number; words: string }> = [
  { value: 1, words: 'Very dissatisfied' },
  { value: 2, words: 'Dissatisfied' },
  { value: 3, words: 'Neutral' },
  { value: 4, words: 'Satisfied' },
  { value: 5, words: 'Very satisfied' },
];

export function scoreWords(score: number): string {
  return SCORES.find((s) => s.value === score)?.words ?? String(score);
}

/** Five stars, `score` of them filled; hidden from assistive technology (the words say it). */
export function Stars({ score }: { score: number }) {
  return (
    <span className="sat-stars" aria-hidden="true">
      {'★'.repeat(score)}
      <span className="sat-stars-empty">{'★'.repeat(5 - score)}</span>
    </span>
  );
}

const portalRatingUrl = (site: string, issueKey: string) => `/s/${enc(site)}/api/portal/requests/${enc(issueKey)}/rating`;

/**
 * A request's rating in the help center: RateRequest's query, which the request page also waits for;
 * under the request's own key, so whatever refreshes the request (a resolve, a reopen) refreshes it.
 */
export const portalRatingQuery = (site: string, issueKey: string) =>
  queryOptions({ queryKey: ['portal', site, 'request', issueKey.toUpperCase(), 'rating'], queryFn: () => get<Static<typeof RequestRatingSchema>>(portalRatingUrl(site, issueKey)) });

/**
 * The reporter rates a resolved request: 1 to 5 and an optional comment; the rating shows after, with
 * "Change rating" while the request stays resolved. Others who see the request see the rating, not
 * the form. Nothing shows until there is something to rate or read.
 */
export function RateRequest({ site, issueKey }: { site: string; issueKey: string }) {
  const url = portalRatingUrl(site, issueKey);
  const query = portalRatingQuery(site, issueKey);
  const { queryKey } = query;
  const queryClient = useQueryClient();
  const q = useQuery(query);
  const [editing, setEditing] = useState(false);
  const [score, setScore] = useState<string>('');
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () => put<Rating>(url, { rating: Number(score), comment: comment.trim() === '' ? null : comment }),
    onSuccess: async (saved) => {
      setEditing(false);
      setNotice(`Thank you: you rated this request ${saved.rating} out of 5.`);
      await queryClient.invalidateQueries({ queryKey });
    },
  });
  if (!q.data) return null;
  const { rating, canRate } = q.data;
  if (!rating && !canRate) return null;

  const showForm = canRate && (editing || !rating);
  const start = () => {
    setScore(rating ? String(rating.rating) : '');
    setComment(rating?.comment ?? '');
    setEditing(true);
    setNotice(null);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!score) {
      setMissing(true);
      return;
    }
    setMissing(false);
    save.mutate();
  };

  return (
    <section className="sat-rate" aria-labelledby="sat-heading">
      <h2 id="sat-heading">{showForm ? 'How did we do?' : 'Your rating'}</h2>
      {notice && <Status onDismiss={() => setNotice(null)}>{notice}</Status>}
      {showForm ? (
        <form onSubmit={submit} className="sat-form" noValidate>
          {save.isError && <Alert>{errorText(save.error)}</Alert>}
          <RadioGroup
            value={score}
            onChange={(v) => {
              setScore(v);
              setMissing(false);
            }}
            className="sat-scores"
            isInvalid={missing}
            aria-describedby={missing ? 'sat-missing' : undefined}
          >
            <Label className="ui-label">Rate how your request was handled</Label>
            <div className="sat-score-options">
              {SCORES.map((s) => (
                <Radio key={s.value} value={String(s.value)} className="sat-score">
                  <Stars score={s.value} /> <span>{s.words}</span>
                </Radio>
              ))}
            </div>
          </RadioGroup>
          {missing && (
            <p id="sat-missing" className="ui-field-error">
              Choose a rating from 1 to 5.
            </p>
          )}
          <AriaTextField value={comment} onChange={setComment} className="ui-field" maxLength={2000}>
            <Label className="ui-label">Comment (optional)</Label>
            <TextArea className="ui-input portal-textarea" rows={3} />
          </AriaTextField>
          <div className="portal-form-actions">
            <Button variant="primary" type="submit" isDisabled={save.isPending}>
              Send rating
            </Button>
            {rating && (
              <Button onPress={() => setEditing(false)} isDisabled={save.isPending}>
                Cancel
              </Button>
            )}
          </div>
        </form>
      ) : (
        rating && (
          <>
            <RatingSummary rating={rating} />
            {canRate && <Button onPress={start}>Change rating</Button>}
          </>
        )
      )}
    </section>
  );
}

/** A given rating: its stars and words, the comment, who and when. */
export function RatingSummary({ rating, showRater = false }: { rating: Rating; showRater?: boolean }) {
  return (
    <div className="sat-summary">
      <p className="sat-score-line">
        <Stars score={rating.rating} /> <strong>{rating.rating} out of 5</strong> — {scoreWords(rating.rating)}
      </p>
      {rating.comment && <blockquote className="sat-comment">{rating.comment}</blockquote>}
      <p className="ui-muted">
        {showRater ? `${rating.ratedBy.label}, ` : 'Rated '}
        <DateTime value={rating.ratedAt} />
      </p>
    </div>
  );
}

/** A request's rating as agents read it: RequestRatingForAgents's query, which the request view also waits for. */
export const agentRatingQuery = (site: string, issueKey: string) =>
  queryOptions({
    queryKey: ['agent', site, 'request', issueKey.toUpperCase(), 'rating'],
    queryFn: () => get<{ rating: Rating | null }>(`/s/${enc(site)}/api/agent/requests/${enc(issueKey)}/rating`),
  });

/** The agent view's reading of a request's rating; nothing while it has none. */
export function RequestRatingForAgents({ site, issueKey }: { site: string; issueKey: string }) {
  const q = useQuery(agentRatingQuery(site, issueKey));
  if (!q.data?.rating) return null;
  return (
    <section className="sat-agent" aria-labelledby="sat-agent-heading">
      <h2 id="sat-agent-heading">Customer rating</h2>
      <RatingSummary rating={q.data.rating} showRater />
    </section>
  );
}
