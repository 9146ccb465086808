import { describe, expect, it } from 'vitest';
import { loadConfig, mailDeliveryDefaults } from '../../src/config.js';

describe('mail delivery configuration', () => {
  it('takes the From header, retry limit and delay, and the poll interval from the environment', () => {
    const config = loadConfig({
      PORTICO_MAIL_FROM: 'Help <help@example.test>',
      PORTICO_MAIL_RETRY_LIMIT: '3',
      PORTICO_MAIL_RETRY_DELAY_SECONDS: '5',
      PORTICO_JOB_POLL_SECONDS: '1.5',
    });
    expect(config.mail).toMatchObject({ from: 'Help <help@example.test>', retryLimit: 3, retryDelaySeconds: 5 });
    expect(config.jobPollSeconds).toBe(1.5);
  });

  it('falls back to the documented defaults for missing or unusable values, and never polls faster than pg-boss allows', () => {
    expect(loadConfig({}).mail).toEqual(mailDeliveryDefaults);
    expect(loadConfig({}).jobPollSeconds).toBe(2);
    const odd = loadConfig({ PORTICO_MAIL_RETRY_LIMIT: '-1', PORTICO_MAIL_RETRY_DELAY_SECONDS: 'soon', PORTICO_JOB_POLL_SECONDS: '0.1' });
    expect(odd.mail.retryLimit).toBe(mailDeliveryDefaults.retryLimit);
    expect(odd.mail.retryDelaySeconds).toBe(mailDeliveryDefaults.retryDelaySeconds);
    expect(odd.jobPollSeconds).toBe(0.5);
    expect(loadConfig({ PORTICO_MAIL_RETRY_LIMIT: '0' }).mail.retryLimit).toBe(0);
  });
});
