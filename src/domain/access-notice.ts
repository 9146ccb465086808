import Mustache from 'mustache';
import { badRequest } from './errors.js';

/**
 * The notices of a revoke and a grant (docs/product.md#reason-and-notice): plain-text mail from a
 * per-site template in Mustache (logic-less: values and sections only). Values: `recipient.name`,
 * `site.name`, `site.url`, and `reason` — set only when the admin chose to include the reason, so
 * `{{#reason}}…{{/reason}}` shows a sentence about it only then.
 */
export type AccessNoticeKind = 'revoked' | 'granted';
export const ACCESS_NOTICE_KINDS: readonly AccessNoticeKind[] = ['revoked', 'granted'];

export interface AccessNoticeTemplate {
  subject: string;
  text: string;
}

export interface AccessNoticeView {
  recipient: { name: string };
  site: { name: string; url: string };
  reason?: string;
}

export const ACCESS_NOTICE_LIMITS = { subject: 500, text: 20_000 } as const;
/** A reason is a sentence or two for the audit log and the list's tooltip. */
export const REASON_MAX = 1000;

export const DEFAULT_ACCESS_NOTICES: Record<AccessNoticeKind, AccessNoticeTemplate> = {
  revoked: {
    subject: 'Your access to {{site.name}} has ended',
    text: `Hello {{recipient.name}},

your access to the {{site.name}} help center has been revoked. You can no longer log in there.
{{#reason}}
Reason: {{reason}}
{{/reason}}
If you think this is a mistake, please contact the team that runs {{site.name}}.

--
{{site.name}} · {{site.url}}
`,
  },
  granted: {
    subject: 'Welcome back to {{site.name}}',
    text: `Hello {{recipient.name}},

your access to the {{site.name}} help center has been granted again. You can log in with your existing password:
{{site.url}}
{{#reason}}
Note: {{reason}}
{{/reason}}
--
{{site.name}} · {{site.url}}
`,
  },
};

/**
 * An optional reason as given (REST, console, bulk): trimmed, empty as none; 400 when too long or
 * holding control characters other than line breaks.
 */
export function normalizeReason(reason: string | null | undefined): string | null {
  if (reason === undefined || reason === null) return null;
  const trimmed = reason.trim();
  if (trimmed === '') return null;
  if (trimmed.length > REASON_MAX) {
    const m = `The reason can have at most ${REASON_MAX} characters.`;
    throw badRequest(m, { reason: m });
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(trimmed)) {
    const m = 'The reason cannot contain control or text-direction characters.';
    throw badRequest(m, { reason: m });
  }
  return trimmed;
}

/** Checks a template an admin saves: 400 naming the part that is empty, too long, broken or uses partials. */
export function checkAccessNoticeTemplate(template: AccessNoticeTemplate): void {
  const names = { subject: 'The subject', text: 'The text' } as const;
  for (const part of ['subject', 'text'] as const) {
    const source = template[part];
    if (source.trim() === '') throw badRequest(`${names[part]} cannot be empty.`, { [part]: `${names[part]} cannot be empty.` });
    if (source.length > ACCESS_NOTICE_LIMITS[part]) {
      const m = `${names[part]} can have at most ${ACCESS_NOTICE_LIMITS[part]} characters.`;
      throw badRequest(m, { [part]: m });
    }
    let tokens: unknown[];
    try {
      tokens = Mustache.parse(source);
    } catch (error) {
      const m = `${names[part]} is not a valid template: ${(error as Error).message.slice(0, 200)}`;
      throw badRequest(m, { [part]: m });
    }
    if (hasPartialOrDelimiter(tokens)) {
      const m = `${names[part]} cannot use partials or change delimiters.`;
      throw badRequest(m, { [part]: m });
    }
  }
}

function hasPartialOrDelimiter(tokens: unknown[]): boolean {
  return tokens.some((t) => {
    const token = t as [string, string, number, number, unknown[]?];
    return token[0] === '>' || token[0] === '=' || (Array.isArray(token[4]) && hasPartialOrDelimiter(token[4]));
  });
}

const asIs = (value: unknown) => String(value);

/** One customer's notice: the subject on one line, the text as written (plain text: nothing escaped). */
export function renderAccessNotice(template: AccessNoticeTemplate, view: AccessNoticeView): AccessNoticeTemplate {
  const subject = Mustache.render(template.subject, view, {}, { escape: asIs }).replace(/[\r\n\t]+/g, ' ').trim().slice(0, 998);
  const text = Mustache.render(template.text, view, {}, { escape: asIs }).replace(/\n{3,}/g, '\n\n');
  return { subject, text };
}
