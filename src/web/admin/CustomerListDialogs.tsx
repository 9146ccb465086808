import type { CustomerActions } from './useCustomerActions';
import type { CustomerListState } from './useCustomerListState';
import { BulkDialog, CancelEmailChangeDialog, ChangeEmailDialog, ChangePasswordDialog, DeleteDialog, EditNameDialog, GrantDialog, RevokeDialog } from './CustomerDialogs';
import { AccessUntilDialog } from './AccessLifecycle';

/** The customer list's open dialog, if any: a row action's, or the bulk confirmation. */
export function CustomerListDialogs({ state, actions, siteSlug }: { state: CustomerListState; actions: CustomerActions; siteSlug: string }) {
  const { dialog, bulk } = state;
  const { row } = actions;
  const common = { pending: row.isPending, error: row.error, onClose: actions.closeRow };
  return (
    <>
      {dialog?.action === 'revoke' && (
        <RevokeDialog customer={dialog.customer} siteSlug={siteSlug} {...common} onConfirm={(note) => row.mutate({ action: 'revoke', customer: dialog.customer, note })} />
      )}
      {dialog?.action === 'grant' && (
        <GrantDialog customer={dialog.customer} {...common} onConfirm={(note) => row.mutate({ action: 'grant', customer: dialog.customer, note })} />
      )}
      {dialog?.action === 'delete' && (
        <DeleteDialog customer={dialog.customer} {...common} onConfirm={() => row.mutate({ action: 'delete', customer: dialog.customer })} />
      )}
      {dialog?.action === 'password' && (
        <ChangePasswordDialog
          customer={dialog.customer}
          {...common}
          onSubmit={(password) => row.mutate({ action: 'password', customer: dialog.customer, value: password })}
        />
      )}
      {dialog?.action === 'name' && (
        <EditNameDialog
          customer={dialog.customer}
          {...common}
          onSubmit={(displayName) => row.mutate({ action: 'name', customer: dialog.customer, value: displayName })}
        />
      )}
      {dialog?.action === 'email' && (
        <ChangeEmailDialog customer={dialog.customer} {...common} onSubmit={(email) => row.mutate({ action: 'email', customer: dialog.customer, value: email })} />
      )}
      {dialog?.action === 'cancelEmail' && (
        <CancelEmailChangeDialog customer={dialog.customer} {...common} onConfirm={() => row.mutate({ action: 'cancelEmail', customer: dialog.customer })} />
      )}
      {dialog?.action === 'until' && (
        <AccessUntilDialog
          title={`Access until for ${dialog.customer.displayName}`}
          current={dialog.customer.accessUntil}
          canClear={dialog.customer.accessUntil !== null}
          {...common}
          onSubmit={(until, note) => row.mutate({ action: 'until', customer: dialog.customer, value: until, note })}
        />
      )}
      {bulk && (
        <BulkDialog
          action={bulk.action}
          preview={bulk.preview}
          currentLabels={state.selected}
          pending={actions.bulkRun.isPending}
          error={actions.bulkRun.error}
          onConfirm={(note) => actions.bulkRun.mutate({ action: bulk.action, accountIds: bulk.accountIds, note })}
          onClose={actions.closeBulk}
        />
      )}
    </>
  );
}
