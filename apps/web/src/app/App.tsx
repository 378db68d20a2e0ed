import { lazy, Suspense, useEffect, useState } from 'react';
import { useOptionalLive, useSdk, useSessionState } from '../sdk/slotcast-context.js';
import { SignInPage } from '../session/SignInPage.js';
import { AppShell } from './AppShell.js';

// Each role's app is its own chunk: a customer on a phone never downloads the schedule, nor staff the booking flow.
const CustomerApp = lazy(() => import('../customer/CustomerApp.js'));
const VendorApp = lazy(() => import('../vendor/VendorApp.js'));
const AdminApp = lazy(() => import('../admin/AdminApp.js'));
// Only a visitor who asks to create an account downloads the form.
const SignUpPage = lazy(() => import('../session/SignUpPage.js').then((m) => ({ default: m.SignUpPage })));

export function App() {
  const sdk = useSdk();
  const { user, ready } = useSessionState();
  const live = useOptionalLive();
  const [endedReason, setEndedReason] = useState<string | null>(null);
  const [signingUp, setSigningUp] = useState(false);

  useEffect(
    () =>
      sdk.api.tokens.on('signedOut', ({ reason }) => {
        setEndedReason(reason);
      }),
    [sdk],
  );
  useEffect(() => {
    if (!user) return;
    setEndedReason(null);
    setSigningUp(false);
  }, [user]);

  if (!ready) {
    return (
      <p className="boot" role="status">
        Loading…
      </p>
    );
  }
  if (!user) {
    return (
      <AppShell user={null}>
        {signingUp ? (
          <Suspense
            fallback={
              <p className="muted" role="status">
                Loading…
              </p>
            }
          >
            <SignUpPage onSignIn={() => setSigningUp(false)} />
          </Suspense>
        ) : (
          <SignInPage endedReason={endedReason} onCreateAccount={() => setSigningUp(true)} />
        )}
      </AppShell>
    );
  }
  return (
    <AppShell user={user}>
      {live ? (
        <Suspense
          fallback={
            <p className="muted" role="status">
              Loading…
            </p>
          }
        >
          {user.role === 'customer' && <CustomerApp />}
          {user.role === 'staff' && <VendorApp user={user} />}
          {user.role === 'admin' && <AdminApp user={user} />}
        </Suspense>
      ) : (
        <p className="muted" role="status">
          Starting…
        </p>
      )}
    </AppShell>
  );
}
