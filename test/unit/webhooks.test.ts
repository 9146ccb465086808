import { describe, expect, it } from 'vitest';
import { MAX_RETRY_DELAY_MS, nextAttemptAfter, validWebhookUrl, webhookPayload } from '../../src/domain/webhooks.js';
import { loadConfig, ConfigError } from '../../src/config.js';

describe('webhook retries', () => {
  const settings = { retryLimit: 3, retryDelaySeconds: 60 };
  const at = new Date('2026-12-06T03:00:00Z');
  it('double the wait after each failed attempt, then stop after the last retry', () => {
    expect(nextAttemptAfter(at, 1, settings)?.toISOString()).toBe('2026-12-06T03:01:00.000Z');
    expect(nextAttemptAfter(at, 2, settings)?.toISOString()).toBe('2026-12-06T03:02:00.000Z');
    expect(nextAttemptAfter(at, 3, settings)?.toISOString()).toBe('2026-12-06T03:04:00.000Z');
    expect(nextAttemptAfter(at, 4, settings)).toBeNull();
  });
  it('never wait more than 12 hours', () => {
    const next = nextAttemptAfter(at, 20, { retryLimit: 30, retryDelaySeconds: 60 });
    expect(next!.getTime() - at.getTime()).toBe(MAX_RETRY_DELAY_MS);
  });
});

describe('webhook endpoint URLs', () => {
  it('take absolute http(s) URLs without credentials, dropping the fragment', () => {
    expect(validWebhookUrl(' https://hooks.example.com/portico?x=1#frag ')?.toString()).toBe('https://hooks.example.com/portico?x=1');
    expect(validWebhookUrl('http://127.0.0.1:8080/x')?.toString()).toBe('http://127.0.0.1:8080/x');
    for (const bad of ['', 'hooks.example.com/x', 'ftp://example.com/', 'javascript:alert(1)', 'https://user:pw@example.com/', 'file:///etc/passwd', `https://example.com/${'a'.repeat(2000)}`]) {
      expect(validWebhookUrl(bad), bad).toBeUndefined();
    }
  });
  it('a payload is the Standard Webhooks envelope: type, timestamp, data', () => {
    const body = JSON.parse(webhookPayload('customer.access.revoked', new Date('2026-12-06T03:00:00Z'), { accountId: 'qm:1', site: { slug: 'acme' }, status: 'revoked', actor: null }));
    expect(body).toEqual({ type: 'customer.access.revoked', timestamp: '2026-12-06T03:00:00.000Z', data: { accountId: 'qm:1', site: { slug: 'acme' }, status: 'revoked', actor: null } });
  });
});

describe('webhook configuration', () => {
  it('PORTICO_WEBHOOK_ALLOWED_HOSTS takes hosts, addresses and ranges, and refuses anything else by name', () => {
    expect(loadConfig({ PORTICO_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1, hooks.internal 10.0.0.0/8' }).webhooks.allowedHosts).toEqual(['127.0.0.1', 'hooks.internal', '10.0.0.0/8']);
    expect(loadConfig({}).webhooks).toMatchObject({ allowedHosts: [], retryLimit: 10, retryDelaySeconds: 60 });
    expect(() => loadConfig({ PORTICO_WEBHOOK_ALLOWED_HOSTS: 'http://x/' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORTICO_WEBHOOK_ALLOWED_HOSTS: 'http://x/' })).toThrow(/PORTICO_WEBHOOK_ALLOWED_HOSTS/);
  });
});
