import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkMailTemplate, DEFAULT_MAIL_TEMPLATE, NOTIFICATION_EVENTS, renderMail, sampleView, TemplateError } from '../../src/domain/mail-template.js';
import { readUnsubscribeToken, signUnsubscribeToken } from '../../src/use-cases/notifications/unsubscribe-token.js';

const site = { name: 'Acme <Support>', url: 'https://help.example.com/s/acme' };

describe('notification templates', () => {
  it('the built-in template passes its own checks and renders every event', () => {
    checkMailTemplate(DEFAULT_MAIL_TEMPLATE);
    for (const event of NOTIFICATION_EVENTS) {
      const mail = renderMail(DEFAULT_MAIL_TEMPLATE, sampleView(site, event));
      expect(mail.subject).toBe('[Acme <Support>] HELP-42: The printer on floor 3 is jammed');
      expect(mail.text).toContain('https://help.example.com/s/acme/servicedesk/customer/portal/1/HELP-42');
      expect(mail.html).toContain('Acme &#60;Support&#62;');
      expect(mail.html).not.toContain('<Support>');
    }
  });

  it('property: whatever a comment holds, the HTML part shows it as text, never as markup, and the subject stays on one line', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 80 }), (body, summary) => {
        const view = sampleView(site, 'commented');
        view.comment = { body, lines: body.split('\n') };
        view.request.summary = summary;
        const mail = renderMail(DEFAULT_MAIL_TEMPLATE, view);
        expect(mail.subject).not.toMatch(/[\r\n]/);
        const comment = /<blockquote>([\s\S]*)<\/blockquote>/.exec(mail.html)![1];
        expect(comment.replace(/<br>/g, '')).not.toMatch(/[<>"']/);
      }),
    );
  });

  it('refuses unescaped values in HTML, partials, changed delimiters, broken sections and empty subjects, naming the part', () => {
    const ok = { subject: 's', text: 't', html: 'h' };
    const refused: Array<[Partial<typeof ok>, string]> = [
      [{ html: '{{{comment.body}}}' }, 'html'],
      [{ html: '{{#commented}}{{&comment.body}}{{/commented}}' }, 'html'],
      [{ text: '{{>footer}}' }, 'text'],
      [{ subject: '{{=<% %>=}}' }, 'subject'],
      [{ text: '{{#created}}' }, 'text'],
      [{ subject: ' ' }, 'subject'],
      [{ html: '' }, 'html'],
    ];
    for (const [change, part] of refused) {
      let thrown: unknown;
      try {
        checkMailTemplate({ ...ok, ...change });
      } catch (error) {
        thrown = error;
      }
      expect(thrown, JSON.stringify(change)).toBeInstanceOf(TemplateError);
      expect((thrown as TemplateError).part).toBe(part);
    }
    // an unescaped value is fine in the plain-text part (nothing is escaped there anyway)
    expect(() => checkMailTemplate({ ...ok, text: '{{{comment.body}}}' })).not.toThrow();
  });
});

describe('unsubscribe tokens', () => {
  it('name their request and recipient under the site key, and nothing else reads them', () => {
    const token = signUnsubscribeToken('key-1', 'site-1', '10001', 'qm:abc');
    expect(readUnsubscribeToken('key-1', 'site-1', token)).toEqual({ requestId: '10001', accountId: 'qm:abc' });
    expect(readUnsubscribeToken('key-2', 'site-1', token)).toBeUndefined();
    expect(readUnsubscribeToken('key-1', 'site-2', token)).toBeUndefined();
    const [payload, signature] = token.split('.');
    const other = Buffer.from('10002.qm:abc').toString('base64url');
    expect(readUnsubscribeToken('key-1', 'site-1', `${other}.${signature}`)).toBeUndefined();
    expect(readUnsubscribeToken('key-1', 'site-1', `${payload}.`)).toBeUndefined();
    expect(readUnsubscribeToken('key-1', 'site-1', payload)).toBeUndefined();
    expect(readUnsubscribeToken('key-1', 'site-1', '')).toBeUndefined();
  });
});
