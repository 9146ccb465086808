import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { BACKUP_FILE_PATTERN, backupFileName, writeBackupFile, type BackupKind } from '../db/backup.js';
import type { BackupSchedule } from '../config.js';
import type { JobDefinition } from './runner.js';


/** The backups of a schedule in `dir`, oldest first (their names sort by time). */
export function scheduledBackups(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => BACKUP_FILE_PATTERN.test(name)).sort();
  } catch {
    return [];
  }
}

/**
 * Scheduled backups (docs/operations.md, "Scheduled backups"). Every server offers this job often
 * (server.ts); the queue's 'stately' policy runs one at a time across instances, and a run does
 * nothing while the newest backup in the directory is younger than the interval. It writes one
 * backup the way `portico backup` does (FILE.partial, flushed, renamed), then deletes all but the
 * newest `keep`.
 */
export function scheduledBackupJob(schedule: BackupSchedule, kind: BackupKind, write: (partial: string) => Promise<void>, now: () => Date = () => new Date()): JobDefinition<Record<string, never>> {
  return {
    name: 'scheduled-backup',
    policy: 'stately',
    // A failed backup is retried by the next offer, not piled up.
    retryLimit: 0,
    retryDelaySeconds: 60,
    // the queue allows a job at most 24 hours, counted for a batch of ten (runner.ts)
    maxRunSeconds: 2 * 60 * 60,
    async run() {
      const newest = scheduledBackups(schedule.dir).at(-1);
      // a little slack: a backup offered on the hour is not skipped because the last one took a second
      const slackMs = Math.min(60_000, schedule.everyHours * 3_600_000 * 0.05);
      if (newest && now().getTime() - statSync(path.join(schedule.dir, newest)).mtimeMs < schedule.everyHours * 3_600_000 - slackMs) return;
      await writeBackupFile(path.join(schedule.dir, backupFileName(kind, now())), write);
      for (const old of scheduledBackups(schedule.dir).slice(0, -schedule.keep)) rmSync(path.join(schedule.dir, old), { force: true });
    },
  };
}
