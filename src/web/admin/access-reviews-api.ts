/**
 * The admin console's calls for access reviews (docs/product.md#access-reviews): the types are the
 * server's response schemas (src/http/schemas/access-reviews.ts), imported as types only.
 */
import type { Static } from 'typebox';
import { get, post, put } from '../api';
import type { AccessReviewListSchema, AccessReviewSchema, ReviewAppliedSchema, ReviewItemPageSchema, ReviewItemSchema } from '../../http/schemas/access-reviews';

export type AccessReview = Static<typeof AccessReviewSchema>;
export type AccessReviewList = Static<typeof AccessReviewListSchema>;
export type ReviewItem = Static<typeof ReviewItemSchema>;
export type ReviewItemPage = Static<typeof ReviewItemPageSchema>;
export type ReviewApplied = Static<typeof ReviewAppliedSchema>;
export type ReviewDecision = 'keep' | 'revoke';

export interface StartReviewInput {
  name: string;
  inactiveDays?: number;
  dueAt?: string | null;
  undecidedDefault: ReviewDecision;
  notifyOnRevoke: boolean;
  reviewerIds: string[];
}

const enc = encodeURIComponent;
const base = (slug: string) => `/api/admin/sites/${enc(slug)}/access-reviews`;

export const reviewKeys = {
  list: (slug: string) => ['admin', 'site', slug, 'access-reviews'] as const,
  review: (slug: string, id: string) => ['admin', 'site', slug, 'access-reviews', id] as const,
  items: (slug: string, id: string, start: number) => ['admin', 'site', slug, 'access-reviews', id, 'items', start] as const,
};

export const reviewsApi = {
  list: (slug: string) => get<AccessReviewList>(base(slug)),
  start: (slug: string, body: StartReviewInput) => post<AccessReview>(base(slug), body),
  review: (slug: string, id: string) => get<AccessReview>(`${base(slug)}/${enc(id)}`),
  items: (slug: string, id: string, start: number, limit: number) => get<ReviewItemPage>(`${base(slug)}/${enc(id)}/items?start=${start}&limit=${limit}`),
  decide: (slug: string, id: string, accountId: string, decision: ReviewDecision | null) => put<ReviewItem>(`${base(slug)}/${enc(id)}/items/${enc(accountId)}`, { decision }),
  complete: (slug: string, id: string) => post<ReviewApplied>(`${base(slug)}/${enc(id)}/complete`),
  cancel: (slug: string, id: string) => post<AccessReview>(`${base(slug)}/${enc(id)}/cancel`),
  reportUrl: (slug: string, id: string) => `${base(slug)}/${enc(id)}/report.csv`,
};
