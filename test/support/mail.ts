import { buildApp } from '../../src/http/app.js';
import type { App } from '../../src/http/deps.js';
import type { Config, MailDeliverySettings } from '../../src/config.js';
import type { DbHandle } from '../../src/db/connection.js';
import { startBackgroundWork, type BackgroundWork } from '../../src/jobs/index.js';
import type { TestApp } from './app.js';

export interface MailingApp {
  app: App;
  config: Config;
  background: BackgroundWork;
  close(): Promise<void>;
}

/**
 * A Portico app on the test's database that sends mail over SMTP like a server with SMTP_URL: the
 * job runner runs, with short retry delays and a fast poll so delivery tests take seconds. Stop it
 * before starting another on the same database (they would share the one delivery queue).
 */
export async function createMailingApp(
  t: TestApp,
  smtpUrl: string,
  options: { mail?: Partial<MailDeliverySettings>; handle?: Pick<DbHandle, 'db' | 'executeSql'> } = {},
): Promise<MailingApp> {
  const handle = options.handle ?? t.database;
  const config: Config = {
    ...t.config,
    smtpUrl,
    jobPollSeconds: 0.5,
    mail: { ...t.config.mail, retryDelaySeconds: 1, smtpTimeoutSeconds: 10, ...options.mail },
  };
  const background = await startBackgroundWork(handle, config);
  const app = await buildApp({ db: handle.db, mailer: background.mailer, config });
  await app.ready();
  return {
    app,
    config,
    background,
    async close() {
      await app.close();
      await background.stop();
    },
  };
}
