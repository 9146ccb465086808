import { Readable } from 'node:stream';
import type { ActorContext, AnonymousContext } from '../context.js';
import { findSiteBySlug, type SiteRow } from '../../db/queries/sites.js';
import { insertImportedCustomers, presentCustomerEmails } from '../../db/queries/customer-import.js';
import { appendAuditEvent } from '../../db/queries/audit.js';
import { badRequest, notFound } from '../../domain/errors.js';
import {
  IMPORT_MAX_BYTES,
  IMPORT_REFUSALS_LISTED,
  importColumns,
  importRow,
  isImportRefusal,
  type ImportColumns,
  type ImportRefusal,
  type ImportRow,
} from '../../domain/customer-import.js';
import { authorizeSiteAction } from './customer-admin.js';

/** Rows written per statement and transaction: an interrupted import keeps every batch it committed. */
export const IMPORT_BATCH = 1000;

export interface ImportCustomersInput {
  siteSlug: string;
  /** the file's bytes (or text) in order: an upload's body, a file read as a stream */
  csv: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
  dryRun: boolean;
}

export interface ImportReport {
  dryRun: boolean;
  /** data rows read (the header and empty lines not counted) */
  rows: number;
  /** customers created (a dry run: that would be created) … */
  created: number;
  /** … of which revoked */
  createdRevoked: number;
  /** rows whose email already is a customer of the site: left as they are */
  present: number;
  refused: number;
  /** the first IMPORT_REFUSALS_LISTED refused rows, in file order */
  refusals: ImportRefusal[];
}

/**
 * "Import customers" in the admin console (docs/product.md#import): org admins and the site's site
 * admins, like the other customer-admin actions. See importCustomers for what it does.
 */
export async function importSiteCustomers(ctx: ActorContext, input: ImportCustomersInput): Promise<ImportReport> {
  const site = await authorizeSiteAction(ctx, input.siteSlug, 'import');
  return importCustomers(ctx, site, input, { actorId: ctx.actor.accountId, via: 'admin_console' });
}

/**
 * `portico customers import`: an operator on the server's own machine (who holds its data), so no
 * actor; the audit event says it came from the command line.
 */
export async function importSiteCustomersFromCli(ctx: AnonymousContext, input: ImportCustomersInput): Promise<ImportReport> {
  const site = await findSiteBySlug(ctx.db, input.siteSlug);
  if (!site) throw notFound(`No site has the slug '${input.siteSlug}'.`);
  return importCustomers(ctx, site, input, { actorId: null, via: 'cli' });
}

/**
 * Reads the whole file first (streaming, so the text is never held twice): a file that is not
 * UTF-8 CSV, is empty, has no Email column or is too large is a 400 before anything is written.
 * Then writes the rows in batches of IMPORT_BATCH, one transaction each, every batch one INSERT
 * that skips the emails the site already has — so running the same file again after an
 * interruption creates nothing twice. No mail is sent; the customers set a password through the
 * password reset. One audit event, `customers.imported`, with the counts, in the last batch's
 * transaction. A dry run reads and checks the same way and writes nothing.
 */
async function importCustomers(
  ctx: ActorContext | AnonymousContext,
  site: SiteRow,
  input: ImportCustomersInput,
  by: { actorId: string | null; via: 'admin_console' | 'cli' },
): Promise<ImportReport> {
  const { rows, refusals, refused, dataRows } = await readImportFile(input.csv);
  const report: ImportReport = { dryRun: input.dryRun, rows: dataRows, created: 0, createdRevoked: 0, present: 0, refused, refusals };
  const now = new Date();
  const count = (batch: ImportRow[], created: (r: ImportRow) => boolean) => {
    for (const r of batch) {
      if (!created(r)) report.present++;
      else {
        report.created++;
        if (r.status === 'revoked') report.createdRevoked++;
      }
    }
  };
  if (input.dryRun) {
    for (let i = 0; i < rows.length; i += IMPORT_BATCH) {
      const batch = rows.slice(i, i + IMPORT_BATCH);
      const present = await presentCustomerEmails(ctx.db, site.id, batch.map((r) => r.emailLower));
      count(batch, (r) => !present.has(r.emailLower));
    }
    return report;
  }
  const batches = Math.max(1, Math.ceil(rows.length / IMPORT_BATCH));
  for (let b = 0; b < batches; b++) {
    const batch = rows.slice(b * IMPORT_BATCH, (b + 1) * IMPORT_BATCH);
    await ctx.db.transaction().execute(async (trx) => {
      const created = await insertImportedCustomers(trx, { siteId: site.id, rows: batch, actorId: by.actorId, now });
      count(batch, (r) => created.has(r.emailLower));
      if (b === batches - 1) {
        await appendAuditEvent(trx, {
          action: 'customers.imported',
          orgId: site.orgId,
          siteId: site.id,
          actorId: by.actorId,
          targetId: null,
          ip: ctx.ip,
          userAgent: ctx.userAgent,
          details: {
            via: by.via,
            rows: report.rows,
            created: report.created,
            createdRevoked: report.createdRevoked,
            present: report.present,
            refused: report.refused,
          },
        });
      }
    });
  }
  return report;
}

interface ReadFile {
  rows: ImportRow[];
  refusals: ImportRefusal[];
  refused: number;
  dataRows: number;
}

const notCsv = (why: string) => badRequest(`The file is not a CSV file Portico can read: ${why}`, { file: why });

/** UTF-8 text of the chunks (a BOM dropped), at most IMPORT_MAX_BYTES; 400 otherwise. */
async function* decodedText(chunks: ImportCustomersInput['csv']): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  const tooLarge = () => badRequest(`The file is larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MB. Split it into smaller files.`, { file: 'too large' });
  // Every line break becomes LF (CRLF, and CR alone as old Mac files have), so lines count alike
  // inside and outside quoted cells; a CR at the end of a chunk waits for the next one.
  let pendingCr = false;
  const lf = (text: string, last: boolean) => {
    let t = (pendingCr ? '\r' : '') + text;
    pendingCr = !last && t.endsWith('\r');
    if (pendingCr) t = t.slice(0, -1);
    return t.replace(/\r\n?/g, '\n');
  };
  try {
    for await (const chunk of chunks) {
      const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
      if (bytes > IMPORT_MAX_BYTES) throw tooLarge();
      if (text.includes('\u0000')) throw notCsv('it holds a NUL character (is it a spreadsheet or another binary file? Save it as CSV).');
      const normal = lf(text, false);
      if (normal) yield normal;
    }
    const rest = lf(decoder.decode(), true);
    if (rest) yield rest;
  } catch (error) {
    if (error instanceof TypeError) throw notCsv('it is not UTF-8 text (save it as "CSV UTF-8").');
    throw error;
  }
}

async function readImportFile(chunks: ImportCustomersInput['csv']): Promise<ReadFile> {
  const result: ReadFile = { rows: [], refusals: [], refused: 0, dataRows: 0 };
  const refuse = (r: ImportRefusal) => {
    result.refused++;
    if (result.refusals.length < IMPORT_REFUSALS_LISTED) result.refusals.push(r);
  };
  // csv-parse is loaded with the first import (docs/architecture.md, "Loaded on first use")
  const { parse, CsvError } = await import('csv-parse');
  const source = Readable.from(decodedText(chunks), { objectMode: false });
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, record_delimiter: '\n' });
  let sourceError: unknown;
  source.on('error', (error) => {
    sourceError = error;
    parser.destroy(error);
  });
  source.pipe(parser);
  let columns: ImportColumns | undefined;
  const firstLine = new Map<string, number>();
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      // a record ends on info.lines; line breaks inside its quoted cells moved it down
      const line = info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
      if (!columns) {
        const header = importColumns(record);
        if ('problem' in header) throw badRequest(header.problem, { file: 'no Email column' });
        columns = header;
        continue;
      }
      if (record.every((cell) => cell.trim() === '')) continue;
      result.dataRows++;
      const row = importRow(record, columns, line);
      if (isImportRefusal(row)) {
        refuse(row);
        continue;
      }
      const earlier = firstLine.get(row.emailLower);
      if (earlier !== undefined) {
        refuse({ line, email: row.email, reason: `The email is already on line ${earlier} of the file.` });
        continue;
      }
      firstLine.set(row.emailLower, line);
      result.rows.push(row);
    }
  } catch (error) {
    if (sourceError) throw sourceError;
    if (error instanceof CsvError) throw notCsv(`${error.message.replace(/\s+/g, ' ').slice(0, 300)}`);
    throw error;
  }
  if (!columns) throw badRequest('The file is empty.', { file: 'empty' });
  if (result.dataRows === 0) throw badRequest('The file has no customers: only its header line.', { file: 'no rows' });
  return result;
}
