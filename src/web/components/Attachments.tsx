import { useRef, useState } from 'react';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { get, upload } from '../api';
import { Alert, Button, DateTime, Status } from '../shared/ui';
import { errorText } from '../shared/errors';
import type { AttachmentSchema, AttachmentsSchema } from '../../http/schemas/inbound-mail';
import './Attachments.css';

type Attachment = Static<typeof AttachmentSchema>;
const enc = encodeURIComponent;
const MAX_BYTES = 10 * 1024 * 1024;

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const attachmentsUrl = (site: string, issueKey: string) => `/s/${enc(site)}/api/portal/requests/${enc(issueKey)}/attachments`;

/** A request's files: Attachments's query, which the request pages also wait for. */
export const attachmentsQuery = (site: string, issueKey: string) =>
  queryOptions({ queryKey: ['attachments', site, issueKey.toUpperCase()], queryFn: () => get<Static<typeof AttachmentsSchema>>(attachmentsUrl(site, issueKey)) });

/**
 * A request's files, in the help center and the agent view alike (the same routes serve both): the
 * list with download links, and "Attach a file". Mail attachments arrive here too.
 */
export function Attachments({ site, issueKey, headingLevel = 2 }: { site: string; issueKey: string; headingLevel?: 2 | 3 }) {
  const base = attachmentsUrl(site, issueKey);
  const query = attachmentsQuery(site, issueKey);
  const { queryKey } = query;
  const queryClient = useQueryClient();
  const files = useQuery(query);
  const input = useRef<HTMLInputElement>(null);
  const [message, setMessage] = useState('');
  const add = useMutation({
    mutationFn: (file: File) => {
      if (file.size > MAX_BYTES) throw new Error('A file can be at most 10 MB.');
      return upload<Attachment>(`${base}?filename=${enc(file.name)}`, file, file.type || 'application/octet-stream');
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey });
      setMessage(`${saved.fileName} is attached.`);
    },
  });
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section aria-labelledby="attachments-heading" className="ui-section request-attachments">
      <Heading id="attachments-heading">Attachments</Heading>
      {files.isError && <Alert>{errorText(files.error)}</Alert>}
      {files.data && files.data.values.length === 0 && <p className="ui-muted">No files.</p>}
      {files.data && files.data.values.length > 0 && (
        <ul className="request-attachment-list">
          {files.data.values.map((f) => (
            <li key={f.id}>
              <a href={`${base}/${enc(f.id)}`} download={f.fileName}>
                {f.fileName}
              </a>{' '}
              <span className="ui-muted">
                {size(f.size)} · <DateTime value={f.created} />
              </span>
            </li>
          ))}
        </ul>
      )}
      <input
        ref={input}
        type="file"
        className="ui-visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        aria-label="File to attach"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          setMessage('');
          if (file) add.mutate(file);
        }}
      />
      <Button onPress={() => input.current?.click()} isDisabled={add.isPending}>
        Attach a file
      </Button>
      {add.isError && <Alert>{errorText(add.error)}</Alert>}
      {message && <Status onDismiss={() => setMessage('')}>{message}</Status>}
    </section>
  );
}
