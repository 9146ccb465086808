import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../deps.js';
import { AppError, badRequest } from '../../../domain/errors.js';

/** The body schema of an upload of a CSV file: its text (checked and parsed by the use case). */
export const CsvBody = Type.String({ description: 'a CSV file, UTF-8, with a header line' });

/**
 * In `scope` only: a `text/csv` body arrives as its UTF-8 text (bytes that are not UTF-8: 400).
 */
export function csvBodies(scope: App): void {
  scope.addContentTypeParser('text/csv', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, new TextDecoder('utf-8', { fatal: true }).decode(body as Buffer));
    } catch {
      const message = 'The file is not UTF-8 text (save it as "CSV UTF-8").';
      done(badRequest(message, { file: message }), undefined);
    }
  });
}

/**
 * The uploaded file's text; a body of any other type is a 415 (a JSON string is no file). Called by
 * the handler once the caller is known, so that whoever may not upload at all hears that first.
 */
export function csvText(request: { headers: FastifyRequest['headers']; body: string }): string {
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'text/csv') throw new AppError('unsupported_media_type', 'Send the file as the body, with Content-Type: text/csv.');
  return request.body;
}
