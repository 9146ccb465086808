import { describe, expect, it } from 'vitest';
import { automaticMailReason, cleanFileName, ownMessageId, parseMailboxUrl, subjectRequestKey, summaryFromSubject, attachmentTypeAllowed } from '../../src/domain/inbound-mail.js';
import { openSecret, sealSecret, SecretBoxError } from '../../src/domain/secret-box.js';
import { replyText } from '../../src/use-cases/inbound-mail/reply-text.js';

const KEY = 'unit-secret-key-0123456789abcdefghijklmnop';

describe('sealed secrets', () => {
  it('E4: a sealed password opens only with the same key, differs each time, and a changed byte is refused', () => {
    const a = sealSecret(KEY, 'hunter2');
    const b = sealSecret(KEY, 'hunter2');
    expect(a).not.toBe(b);
    expect(a).not.toContain('hunter2');
    expect(openSecret(KEY, a)).toBe('hunter2');
    expect(() => openSecret(`${KEY}x`, a)).toThrow(SecretBoxError);
    const bytes = Buffer.from(a.slice(3), 'base64url');
    bytes[bytes.length - 1] ^= 1;
    expect(() => openSecret(KEY, `v1:${bytes.toString('base64url')}`)).toThrow(SecretBoxError);
  });
});

describe('mailbox URLs', () => {
  it('reads imap:// and imaps:// with percent-encoded user and password, default ports and folder', () => {
    expect(parseMailboxUrl('imap://help%40acme.test:p%3Aw%2Fd@mail.acme.test/INBOX')).toEqual({ host: 'mail.acme.test', port: 143, tls: false, user: 'help@acme.test', password: 'p:w/d', folder: 'INBOX' });
    expect(parseMailboxUrl('imaps://u:p@mail.acme.test')).toMatchObject({ port: 993, tls: true, folder: 'INBOX' });
    expect(parseMailboxUrl('imap://u:p@mail.acme.test:1143/Support', true)).toMatchObject({ port: 1143, tls: true, folder: 'Support' });
    expect(() => parseMailboxUrl('http://u:p@x/')).toThrow('imap://');
    expect(() => parseMailboxUrl('imap://mail.acme.test/')).toThrow('user name and a password');
  });
});

describe('which mail is automatic', () => {
  const headers = (h: Record<string, string>) => (name: string) => h[name];
  it('E3: Auto-Submitted other than no, bulk Precedence, list mail, reports and daemon senders are automatic; a person is not', () => {
    expect(automaticMailReason(headers({ 'auto-submitted': 'auto-replied' }), 'a@b.c', 'text/plain')).toContain('Auto-Submitted');
    expect(automaticMailReason(headers({ 'auto-submitted': 'no' }), 'a@b.c', 'text/plain')).toBeUndefined();
    for (const p of ['bulk', 'junk', 'list']) expect(automaticMailReason(headers({ precedence: p }), 'a@b.c', 'text/plain')).toContain('Precedence');
    expect(automaticMailReason(headers({ 'list-id': '<x>' }), 'a@b.c', 'text/plain')).toContain('List-Id');
    expect(automaticMailReason(headers({}), 'a@b.c', 'multipart/report; report-type=delivery-status')).toContain('bounce');
    expect(automaticMailReason(headers({}), 'MAILER-DAEMON@b.c', 'text/plain')).toContain('mailer-daemon');
    expect(automaticMailReason(headers({ 'return-path': '<>' }), 'a@b.c', 'text/plain')).toContain('Return-Path');
    expect(automaticMailReason(headers({ precedence: 'first-class' }), 'alice@customer.test', 'text/plain')).toBeUndefined();
  });

  it("E3: Portico's own Message-IDs are recognised only on its own domains", () => {
    expect(ownMessageId('<outbox-12@help.example.com>', ['help.example.com'])).toEqual({ kind: 'outbox', id: '12' });
    expect(ownMessageId('<request-7.acme@help.example.com>', ['help.example.com'])).toEqual({ kind: 'request', id: '7' });
    expect(ownMessageId('<outbox-12@elsewhere.test>', ['help.example.com'])).toBeUndefined();
    expect(ownMessageId('<abc@help.example.com>', ['help.example.com'])).toBeUndefined();
  });
});

describe('subjects, replies and files', () => {
  it('finds [KEY-N] of the project only, and makes summaries without reply prefixes', () => {
    expect(subjectRequestKey('Re: [help-12] VPN', 'HELP')).toBe('HELP-12');
    expect(subjectRequestKey('Re: [SUP-3] VPN', 'HELP')).toBeUndefined();
    expect(summaryFromSubject('RE: Fwd: re:  Printer   jams', 255)).toBe('Printer jams');
    expect(summaryFromSubject('  ', 255)).toBe('(no subject)');
    expect(summaryFromSubject('x'.repeat(300), 255)).toHaveLength(255);
  });

  it('keeps what a reply wrote above the quote', () => {
    expect(replyText('Thanks!\n\nOn Tue, 1 Dec 2026, Sam wrote:\n> old\n> text')).toBe('Thanks!');
    expect(replyText('Fine.\r\n-----Original Message-----\r\nFrom: x')).toBe('Fine.');
    expect(replyText('> quoted only\nnew line')).toBe('new line');
  });

  it('allows document and image types, never ones a browser runs, and cleans file names', () => {
    expect(attachmentTypeAllowed('application/pdf')).toBe(true);
    expect(attachmentTypeAllowed('image/PNG; name=x')).toBe(true);
    expect(attachmentTypeAllowed('text/html')).toBe(false);
    expect(attachmentTypeAllowed('image/svg+xml')).toBe(false);
    expect(cleanFileName('../../etc/"passwd"\n')).toBe('.._.._etc__passwd__');
    expect(cleanFileName(undefined)).toBe('attachment');
  });
});
