import { describe, expect, it } from 'vitest';
import { ConfigError, defaultPublicUrl, loadConfig, mailDeliveryDefaults, parsePublicUrl } from '../../src/config.js';
import { defaultPoolSize } from '../../src/db/connection.js';

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

describe('PORTICO_PUBLIC_URL', () => {
  it('T3: is an absolute http(s) URL of a host root; a trailing slash is trimmed, anything else is refused at start', () => {
    expect(loadConfig({ PORTICO_PUBLIC_URL: 'https://help.example.com/' }).publicUrl).toBe('https://help.example.com');
    expect(loadConfig({ PORTICO_PUBLIC_URL: 'http://10.0.0.5:8080' }).publicUrl).toBe('http://10.0.0.5:8080');
    expect(loadConfig({}).publicUrl).toBeUndefined();
    const refused: Array<[string, RegExp]> = [
      ['help.example.com', /absolute http/],
      ['/portico', /absolute http/],
      ['ftp://help.example.com', /absolute http/],
      ['javascript:alert(1)', /absolute http/],
      ['https://user:secret@help.example.com', /user name or password/],
      ['https://help.example.com/?x=1', /query or a fragment/],
      ['https://help.example.com/#top', /query or a fragment/],
      ['https://help.example.com/desk', /must not have a path/],
    ];
    for (const [value, why] of refused) {
      expect(() => loadConfig({ PORTICO_PUBLIC_URL: value }), value).toThrow(ConfigError);
      expect(() => parsePublicUrl(value), value).toThrow(why);
      expect(() => parsePublicUrl(value), value).toThrow(/^PORTICO_PUBLIC_URL /);
    }
  });

  it('T3: defaults to http://HOST:PORT (IPv6 hosts in brackets)', () => {
    expect(defaultPublicUrl('127.0.0.1', 3000)).toBe('http://127.0.0.1:3000');
    expect(defaultPublicUrl('::1', 3000)).toBe('http://[::1]:3000');
  });
});

describe('PORTICO_LOG_LEVEL', () => {
  it('logs requests at info unless PORTICO_LOG_LEVEL says otherwise, and refuses a level pino does not know', () => {
    expect(loadConfig({}).logLevel).toBe('info');
    expect(loadConfig({ PORTICO_LOG_LEVEL: 'warn' }).logLevel).toBe('warn');
    expect(loadConfig({ PORTICO_LOG_LEVEL: ' Silent ' }).logLevel).toBe('silent');
    expect(() => loadConfig({ PORTICO_LOG_LEVEL: 'verbose' })).toThrow(ConfigError);
  });
});

describe('metrics and shutdown settings', () => {
  it('no metrics unless a token or a port is set; a token shorter than 16 characters or with spaces, or a port that is none, refuses to start', () => {
    const none = loadConfig({});
    expect(none.metricsToken).toBeUndefined();
    expect(none.metricsPort).toBeUndefined();
    expect(loadConfig({ PORTICO_METRICS_TOKEN: '', PORTICO_METRICS_PORT: ' ' }).metricsToken).toBeUndefined();
    expect(loadConfig({ PORTICO_METRICS_TOKEN: '0123456789abcdef' }).metricsToken).toBe('0123456789abcdef');
    expect(loadConfig({ PORTICO_METRICS_PORT: '9464' }).metricsPort).toBe(9464);
    for (const token of ['short', '0123456789abcde', '0123456789 abcdef0123']) {
      expect(() => loadConfig({ PORTICO_METRICS_TOKEN: token }), token).toThrow(/PORTICO_METRICS_TOKEN must be at least 16 characters/);
    }
    for (const port of ['http', '-1', '65536', '94.64']) {
      expect(() => loadConfig({ PORTICO_METRICS_PORT: port }), port).toThrow(/PORTICO_METRICS_PORT must be a port number/);
    }
  });

  it('gives requests and jobs 10 s to end on SIGTERM unless PORTICO_SHUTDOWN_GRACE_SECONDS says otherwise', () => {
    expect(loadConfig({}).shutdownGraceSeconds).toBe(10);
    expect(loadConfig({ PORTICO_SHUTDOWN_GRACE_SECONDS: '30' }).shutdownGraceSeconds).toBe(30);
    expect(loadConfig({ PORTICO_SHUTDOWN_GRACE_SECONDS: '0' }).shutdownGraceSeconds).toBe(0);
    expect(() => loadConfig({ PORTICO_SHUTDOWN_GRACE_SECONDS: 'soon' })).toThrow(/PORTICO_SHUTDOWN_GRACE_SECONDS must be a whole number of seconds/);
  });
});

describe('scheduled backups (PORTICO_BACKUP_DIR, _EVERY_HOURS, _KEEP)', () => {
  it('are off without a directory, and default to every 24 hours keeping 7', () => {
    expect(loadConfig({}).backupSchedule).toBeUndefined();
    expect(loadConfig({ PORTICO_BACKUP_DIR: '/var/backups/portico' }).backupSchedule).toEqual({ dir: '/var/backups/portico', everyHours: 24, keep: 7 });
    expect(loadConfig({ PORTICO_BACKUP_DIR: 'b', PORTICO_BACKUP_EVERY_HOURS: '0.5', PORTICO_BACKUP_KEEP: '3' }).backupSchedule).toEqual({ dir: 'b', everyHours: 0.5, keep: 3 });
  });

  it('refuse an interval or a count that makes no sense, and settings without a directory', () => {
    expect(() => loadConfig({ PORTICO_BACKUP_DIR: 'b', PORTICO_BACKUP_EVERY_HOURS: '0' })).toThrow(/PORTICO_BACKUP_EVERY_HOURS must be a number of hours above 0/);
    expect(() => loadConfig({ PORTICO_BACKUP_DIR: 'b', PORTICO_BACKUP_EVERY_HOURS: 'daily' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORTICO_BACKUP_DIR: 'b', PORTICO_BACKUP_KEEP: '0' })).toThrow(/PORTICO_BACKUP_KEEP must be a whole number of backups, 1 or more/);
    expect(() => loadConfig({ PORTICO_BACKUP_DIR: 'b', PORTICO_BACKUP_KEEP: '2.5' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORTICO_BACKUP_KEEP: '3' })).toThrow(/PORTICO_BACKUP_DIR is not/);
  });
});

describe('PORTICO_DB_POOL_SIZE', () => {
  it('defaults to twice the machine\'s cores, at least 4 and at most 10; a set size from 1 to 100 is taken, anything else refuses to start', () => {
    expect(defaultPoolSize(1)).toBe(4);
    expect(defaultPoolSize(2)).toBe(4);
    expect(defaultPoolSize(3)).toBe(6);
    expect(defaultPoolSize(16)).toBe(10);
    expect(loadConfig({}).dbPoolSize).toBe(defaultPoolSize());
    expect(loadConfig({ PORTICO_DB_POOL_SIZE: ' ' }).dbPoolSize).toBe(defaultPoolSize());
    expect(loadConfig({ PORTICO_DB_POOL_SIZE: '1' }).dbPoolSize).toBe(1);
    expect(loadConfig({ PORTICO_DB_POOL_SIZE: '40' }).dbPoolSize).toBe(40);
    for (const bad of ['0', '-3', '2.5', 'ten', '101']) {
      expect(() => loadConfig({ PORTICO_DB_POOL_SIZE: bad })).toThrow(new ConfigError(`PORTICO_DB_POOL_SIZE must be a whole number of connections from 1 to 100, not '${bad}'.`));
    }
  });
});

describe('PORTICO_EMBEDDED_FSYNC', () => {
  it('is on unless set to off, and refuses anything else', () => {
    expect(loadConfig({}).embeddedFsync).toBe(true);
    expect(loadConfig({ PORTICO_EMBEDDED_FSYNC: 'off' }).embeddedFsync).toBe(false);
    expect(loadConfig({ PORTICO_EMBEDDED_FSYNC: 'on' }).embeddedFsync).toBe(true);
    expect(() => loadConfig({ PORTICO_EMBEDDED_FSYNC: 'sometimes' })).toThrow(ConfigError);
  });
});

describe('the object store for attachments (PORTICO_S3_*)', () => {
  it('is off unless a bucket is set; set, it takes the endpoint, region, credentials, path style and prefix', () => {
    expect(loadConfig({}).objectStore).toBeUndefined();
    expect(
      loadConfig({
        PORTICO_S3_BUCKET: 'files',
        PORTICO_S3_ENDPOINT: 'http://127.0.0.1:9000',
        PORTICO_S3_REGION: 'eu-west-1',
        PORTICO_S3_ACCESS_KEY_ID: 'AKIA1',
        PORTICO_S3_SECRET_ACCESS_KEY: 'secret',
        PORTICO_S3_FORCE_PATH_STYLE: '1',
        PORTICO_S3_PREFIX: 'help/',
      }).objectStore,
    ).toEqual({ bucket: 'files', endpoint: 'http://127.0.0.1:9000', region: 'eu-west-1', accessKeyId: 'AKIA1', secretAccessKey: 'secret', forcePathStyle: true, prefix: 'help/' });
    expect(loadConfig({ PORTICO_S3_BUCKET: 'files' }).objectStore).toEqual({ bucket: 'files', endpoint: undefined, region: 'us-east-1', accessKeyId: undefined, secretAccessKey: undefined, forcePathStyle: false, prefix: 'portico/' });
  });

  it('a half-made configuration stops the start with a message naming the variable', () => {
    expect(() => loadConfig({ PORTICO_S3_ENDPOINT: 'http://127.0.0.1:9000' })).toThrow(/PORTICO_S3_ENDPOINT is set but PORTICO_S3_BUCKET is not/);
    expect(() => loadConfig({ PORTICO_S3_BUCKET: 'b', PORTICO_S3_ENDPOINT: 'minio:9000' })).toThrow(/PORTICO_S3_ENDPOINT must be an http:\/\/ or https:\/\/ URL/);
    expect(() => loadConfig({ PORTICO_S3_BUCKET: 'b', PORTICO_S3_ACCESS_KEY_ID: 'only-the-id' })).toThrow(/both PORTICO_S3_ACCESS_KEY_ID and PORTICO_S3_SECRET_ACCESS_KEY, or neither/);
    expect(() => loadConfig({ PORTICO_S3_BUCKET: 'b', PORTICO_S3_PREFIX: 'a\\b' })).toThrow(ConfigError);
  });
});
