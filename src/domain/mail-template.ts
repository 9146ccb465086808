import Mustache from 'mustache';

/**
 * Request notifications are written from one template per site (docs/product.md#notifications):
 * a subject, a plain-text part and an HTML part, in Mustache — logic-less, so an admin's template
 * can only place values and show or hide sections, never run code. Values are HTML-escaped in the
 * HTML part, and a template that asks for an unescaped value there (`{{{…}}}`, `{{&…}}`) is refused:
 * a customer's comment must never become markup in someone else's mail.
 */
export interface MailTemplate {
  subject: string;
  text: string;
  html: string;
}

export type NotificationEvent = 'created' | 'shared' | 'commented' | 'statusChanged';
export const NOTIFICATION_EVENTS: readonly NotificationEvent[] = ['created', 'shared', 'commented', 'statusChanged'];

/** What a template can name. Every event sets its own flag, so a section `{{#commented}}…{{/commented}}` shows for it alone. */
export interface MailView {
  site: { name: string; url: string };
  recipient: { name: string };
  actor: { name: string };
  request: { key: string; summary: string; status: string; url: string };
  /** the reply, and its lines (to join with <br> in HTML) */
  comment?: { body: string; lines: string[] };
  change?: { from: string; to: string };
  created: boolean;
  shared: boolean;
  commented: boolean;
  statusChanged: boolean;
  unsubscribeUrl: string;
}

export const TEMPLATE_LIMITS = { subject: 500, text: 20_000, html: 50_000 } as const;

export const DEFAULT_MAIL_TEMPLATE: MailTemplate = {
  subject: '[{{site.name}}] {{request.key}}: {{request.summary}}',
  text: `Hello {{recipient.name}},

{{#created}}{{actor.name}} raised {{request.key}} "{{request.summary}}" for you at {{site.name}}.{{/created}}
{{#shared}}{{actor.name}} shared {{request.key}} "{{request.summary}}" with you at {{site.name}}.{{/shared}}
{{#commented}}{{actor.name}} replied on {{request.key}}:

{{comment.body}}{{/commented}}
{{#statusChanged}}{{actor.name}} changed the status of {{request.key}} from {{change.from}} to {{change.to}}.{{/statusChanged}}

View the request: {{request.url}}

--
{{site.name}} · {{site.url}}
You get this mail because you are on {{request.key}}. Stop mail about this request: {{unsubscribeUrl}}
`,
  html: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{request.key}}: {{request.summary}}</title></head><body>
<p>Hello {{recipient.name}},</p>
{{#created}}<p>{{actor.name}} raised <strong>{{request.key}}</strong> “{{request.summary}}” for you at {{site.name}}.</p>{{/created}}
{{#shared}}<p>{{actor.name}} shared <strong>{{request.key}}</strong> “{{request.summary}}” with you at {{site.name}}.</p>{{/shared}}
{{#commented}}<p>{{actor.name}} replied on <strong>{{request.key}}</strong>:</p>
<blockquote>{{#comment.lines}}{{.}}<br>{{/comment.lines}}</blockquote>{{/commented}}
{{#statusChanged}}<p>{{actor.name}} changed the status of <strong>{{request.key}}</strong> from {{change.from}} to {{change.to}}.</p>{{/statusChanged}}
<p><a href="{{request.url}}">View the request</a></p>
<hr>
<p><small>{{site.name}} · {{site.url}}<br>
You get this mail because you are on {{request.key}}. <a href="{{unsubscribeUrl}}">Stop mail about this request</a>.</small></p>
</body></html>
`,
};

export class TemplateError extends Error {
  constructor(
    readonly part: keyof MailTemplate,
    message: string,
  ) {
    super(message);
  }
}

const PART_NAMES: Record<keyof MailTemplate, string> = { subject: 'The subject', text: 'The plain-text template', html: 'The HTML template' };

/** Parses each part; throws TemplateError naming the part that is too long, broken or unsafe. */
export function checkMailTemplate(template: MailTemplate): void {
  for (const part of ['subject', 'text', 'html'] as const) {
    const source = template[part];
    if (source.length > TEMPLATE_LIMITS[part]) throw new TemplateError(part, `${PART_NAMES[part]} can have at most ${TEMPLATE_LIMITS[part]} characters.`);
    if (part !== 'text' && source.trim() === '') throw new TemplateError(part, `${PART_NAMES[part]} cannot be empty.`);
    let tokens: unknown[];
    try {
      tokens = Mustache.parse(source);
    } catch (error) {
      throw new TemplateError(part, `${PART_NAMES[part]} is not a valid template: ${(error as Error).message.slice(0, 200)}`);
    }
    if (part === 'html' && hasToken(tokens, (type) => type === '&')) {
      throw new TemplateError(part, `${PART_NAMES[part]} cannot use unescaped values ({{{…}}} or {{&…}}): every value is escaped in HTML.`);
    }
    if (hasToken(tokens, (type) => type === '>' || type === '=')) {
      throw new TemplateError(part, `${PART_NAMES[part]} cannot use partials or change delimiters.`);
    }
  }
}

function hasToken(tokens: unknown[], test: (type: string) => boolean): boolean {
  return tokens.some((t) => {
    const token = t as [string, string, number, number, unknown[]?];
    return test(token[0]) || (Array.isArray(token[4]) && hasToken(token[4], test));
  });
}

const asIs = (value: unknown) => String(value);

/** The mail of one recipient: subject on one line, text unescaped, HTML escaped. */
export function renderMail(template: MailTemplate, view: MailView): MailTemplate {
  const subject = Mustache.render(template.subject, view, {}, { escape: asIs }).replace(/[\r\n\t]+/g, ' ').trim().slice(0, 998);
  const text = Mustache.render(template.text, view, {}, { escape: asIs }).replace(/\n{3,}/g, '\n\n');
  const html = Mustache.render(template.html, view, {}, { escape: escapeHtml });
  return { subject, text, html };
}

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'`=/]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Made-up values for an admin's preview of an event. */
export function sampleView(site: { name: string; url: string }, event: NotificationEvent): MailView {
  return {
    site,
    recipient: { name: 'Alex Customer' },
    actor: { name: 'Sam Agent' },
    request: { key: 'HELP-42', summary: 'The printer on floor 3 is jammed', status: 'In progress', url: `${site.url}/servicedesk/customer/portal/1/HELP-42` },
    comment: event === 'commented' ? commentView('We have ordered a new drum.\nIt arrives on Friday.') : undefined,
    change: event === 'statusChanged' ? { from: 'Waiting for support', to: 'In progress' } : undefined,
    created: event === 'created',
    shared: event === 'shared',
    commented: event === 'commented',
    statusChanged: event === 'statusChanged',
    unsubscribeUrl: `${site.url}/servicedesk/customer/unsubscribe?token=preview`,
  };
}

export function commentView(body: string): { body: string; lines: string[] } {
  return { body, lines: body.split(/\r?\n/) };
}
