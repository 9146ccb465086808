import { useEffect, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Label, Radio, RadioGroup, Text } from 'react-aria-components';
import { Alert, Button, DialogActions, ModalDialog, Status } from '../shared/ui';
import { errorText } from '../shared/errors';
import { adminApi, keys, type AdminOrg, type UserManagement } from './admin-api';
import { NOT_ADMINISTERED, experienceName } from './paths';

/** Organization settings: the user-management experience, switched only after a confirmation. */
export function OrgSettings({ org }: { org: AdminOrg }) {
  const queryClient = useQueryClient();
  const [choice, setChoice] = useState<UserManagement>(org.userManagement);
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState('');
  useEffect(() => setChoice(org.userManagement), [org.userManagement]);
  const save = useMutation({
    mutationFn: () => adminApi.updateSettings(org.id, choice),
    onSuccess: async (updated) => {
      queryClient.setQueryData(keys.org(org.id), updated);
      setConfirming(false);
      setMessage(`${org.name} now uses ${experienceName(updated.userManagement).toLowerCase()}.`);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.org(org.id) }),
        queryClient.invalidateQueries({ queryKey: keys.session }),
        queryClient.invalidateQueries({ queryKey: ['admin', 'site'] }),
      ]);
    },
  });
  const cancel = () => {
    setConfirming(false);
    save.reset();
  };
  const target = experienceName(choice).toLowerCase();
  return (
    <section aria-labelledby="settings-heading" className="adm-section">
      <h2 id="settings-heading">Organization settings</h2>
      <RadioGroup value={choice} onChange={(v) => setChoice(v as UserManagement)} className="adm-radios">
        <Label className="ui-label">User management experience</Label>
        <Radio value="original" className="adm-radio">
          <span className="adm-radio-dot" aria-hidden="true" />
          <span>
            <strong>Original</strong>
            <span className="adm-muted adm-block">Each site’s admin manages its users, groups and portal customers.</span>
          </span>
        </Radio>
        <Radio value="centralized" className="adm-radio">
          <span className="adm-radio-dot" aria-hidden="true" />
          <span>
            <strong>Centralized</strong>
            <span className="adm-muted adm-block">
              Users and groups are managed under Directory; portal customers under Products › Sites and products.
            </span>
          </span>
        </Radio>
        <Text slot="description" className="ui-description">
          Switching changes where admins find users and portal customers. No account, access or reference changes.
        </Text>
      </RadioGroup>
      <div className="adm-row">
        <Button variant="primary" isDisabled={choice === org.userManagement} onPress={() => setConfirming(true)}>
          Save settings
        </Button>
      </div>
      <Status>{message}</Status>
      {confirming && (
        <ModalDialog alert title={`Switch to ${target}?`} onClose={cancel}>
          {choice === 'centralized' ? (
            <p>
              Users and groups will be listed under Directory, and portal customers will be found under Products › Sites and
              products › the site › Service Management › Portal customers.
            </p>
          ) : (
            <p>
              Directory will no longer list users and groups. Each site’s admin — opened from the site’s name and URL — will
              manage its Users, Groups and Service Management customers.
            </p>
          )}
          {save.isError && <Alert>{errorText(save.error, NOT_ADMINISTERED)}</Alert>}
          <DialogActions>
            <Button variant="primary" onPress={() => save.mutate()} isDisabled={save.isPending}>
              Switch to {choice === 'centralized' ? 'centralized' : 'original'}
            </Button>
            <Button onPress={cancel} isDisabled={save.isPending} autoFocus>
              Cancel
            </Button>
          </DialogActions>
        </ModalDialog>
      )}
    </section>
  );
}
