import { useState } from 'react';
import { FileTrigger } from 'react-aria-components';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, DataTable, DialogActions, ModalDialog } from '../shared/ui';
import { errorText } from '../shared/errors';
import { adminApi, keys, type ImportReport } from './admin-api';
import { NOT_ADMINISTERED } from './paths';

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** What an import did, or (a dry run) would do, in words, with every refused row it lists. */
function ImportSummary({ report }: { report: ImportReport }) {
  const created = report.dryRun ? 'would be created' : 'created';
  return (
    <section className="adm-import-summary" aria-label={report.dryRun ? 'What the import would do' : 'What the import did'}>
      <ul>
        <li>
          {plural(report.created, 'customer', 'customers')} {created}
          {report.createdRevoked > 0 && ` (${report.createdRevoked.toLocaleString('en')} with access revoked)`}
        </li>
        <li>{plural(report.present, 'row is already a customer', 'rows are already customers')} of this site: left as they are</li>
        <li>{plural(report.refused, 'row refused', 'rows refused')}</li>
      </ul>
      {report.refused > 0 && (
        <div className="adm-import-refusals">
          <h3>Refused rows</h3>
          <DataTable
            caption="Refused rows with their line in the file and the reason"
            columns={[
              { header: 'Line', cell: (r) => r.line },
              { header: 'Email', cell: (r) => <span className="adm-import-email">{r.email || '—'}</span> },
              { header: 'Reason', cell: (r) => r.reason },
            ]}
            rows={report.refusals}
            rowKey={(r) => String(r.line)}
            empty="No rows were refused."
          />
          {report.refused > report.refusals.length && (
            <p>… and {plural(report.refused - report.refusals.length, 'more refused row', 'more refused rows')}.</p>
          )}
        </div>
      )}
    </section>
  );
}

/**
 * "Import customers": choose a CSV file, see what importing it would do (a dry run, every refused
 * row with its line and reason), then import. docs/product.md#import has the rules.
 */
export function ImportCustomersDialog({ siteSlug, siteName, onClose, onImported }: { siteSlug: string; siteName: string; onClose: () => void; onImported: (report: ImportReport) => void }) {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const check = useMutation({ mutationFn: (f: File) => adminApi.importCustomers(siteSlug, f, true) });
  const run = useMutation({
    mutationFn: (f: File) => adminApi.importCustomers(siteSlug, f, false),
    onSuccess: async (report) => {
      await queryClient.invalidateQueries({ queryKey: keys.customers(siteSlug) });
      onImported(report);
    },
  });
  const choose = (files: FileList | null) => {
    const chosen = files?.[0];
    if (!chosen) return;
    setFile(chosen);
    run.reset();
    check.mutate(chosen);
  };
  const busy = check.isPending || run.isPending;
  const preview = check.data;
  const error = check.error ?? run.error;

  return (
    <ModalDialog title={`Import customers into ${siteName}`} onClose={onClose}>
      <p>
        A CSV file with a header line: <strong>Email</strong> (or Email address), and optionally <strong>Name</strong> (Display name,
        Full name) and <strong>Status</strong> (Active; or Access revoked, Revoked, Inactive, Deactivated). Portico’s export and Jira
        Service Management’s customer export both work. Emails that already are customers of this site are left as they are, so a
        file can be imported again. Nobody gets an email: imported customers set a password with “Forgot your password?”.
      </p>
      <div className="adm-import-file">
        <FileTrigger acceptedFileTypes={['text/csv', '.csv']} onSelect={choose}>
          <Button isDisabled={busy}>{file ? 'Choose another file' : 'Choose a CSV file'}</Button>
        </FileTrigger>
        <span className="adm-muted" aria-live="polite">
          {file ? file.name : 'No file chosen'}
        </span>
      </div>
      <div role="status" className="adm-import-progress">
        {check.isPending && 'Checking the file…'}
        {run.isPending && 'Importing…'}
      </div>
      {error ? <Alert>{errorText(error, NOT_ADMINISTERED)}</Alert> : null}
      {preview && !check.isPending && <ImportSummary report={preview} />}
      <DialogActions>
        {preview && preview.created > 0 && file && (
          <Button variant="primary" onPress={() => run.mutate(file)} isDisabled={busy}>
            Import {plural(preview.created, 'customer', 'customers')}
          </Button>
        )}
        <Button onPress={onClose} isDisabled={busy}>
          Cancel
        </Button>
      </DialogActions>
    </ModalDialog>
  );
}
