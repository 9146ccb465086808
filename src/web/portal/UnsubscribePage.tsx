import { useEffect, useState } from 'react';
import type { Static } from 'typebox';
import { ApiError, get, put } from '../api';
import { Link } from '../link';
import { Alert, Button } from '../shared/ui';
import type { RequestMailPreferenceSchema } from '../../http/schemas/portal';
import { HelpCenterCard } from '../shared/HelpCenterCard';

type Preference = Static<typeof RequestMailPreferenceSchema>;

/**
 * `/s/:site/servicedesk/customer/unsubscribe?token=…`: where the "Stop mail about this request"
 * link of a notification leads, without login. Opening it stops the mail (a link scanner's GET
 * changes nothing: the page does it with a PUT); the page says so and can turn it back on.
 */
export function UnsubscribePage({ site, token }: { site: string; token: string }) {
  const url = `/s/${encodeURIComponent(site)}/api/portal/unsubscribe`;
  const [preference, setPreference] = useState<Preference | null>(null);
  const [error, setError] = useState<string | null>(token ? null : 'This link is no longer valid.');
  const [busy, setBusy] = useState(false);

  const change = async (muted: boolean) => {
    setBusy(true);
    setError(null);
    try {
      setPreference(await put<Preference>(url, { token, muted }));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not reach Portico. Check your connection and try again.');
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (!token) return;
    let live = true;
    get<Preference>(`${url}?token=${encodeURIComponent(token)}`)
      .then(async (current) => {
        if (!live) return;
        if (current.muted) setPreference(current);
        else await change(true);
      })
      .catch((err: unknown) => live && setError(err instanceof ApiError ? err.message : 'Could not reach Portico. Check your connection and try again.'));
    return () => {
      live = false;
    };
  }, [token, url]);

  return (
    <HelpCenterCard title="Mail about a request">
      {error && <Alert>{error}</Alert>}
      {!error && !preference && <p role="status">Stopping the mail…</p>}
      {preference && (
        <>
          <div role="status" className="ui-status">
            <span>
              {preference.muted
                ? `You will get no more mail about ${preference.requestKey}.`
                : `You will get mail about ${preference.requestKey} again.`}
            </span>
          </div>
          <p>
            {preference.muted ? (
              <Button onPress={() => void change(false)} isDisabled={busy}>
                Turn mail about {preference.requestKey} back on
              </Button>
            ) : (
              <Button onPress={() => void change(true)} isDisabled={busy}>
                Stop mail about {preference.requestKey}
              </Button>
            )}
          </p>
        </>
      )}
      <p className="login-links">
        <Link to="/s/$site/servicedesk/customer/portals" params={{ site }}>
          Go to the help center
        </Link>
      </p>
    </HelpCenterCard>
  );
}
