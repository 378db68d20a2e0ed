import { APP_PATHS, DETAILS } from '@slotcast/protocol';
import { lazy, Suspense, useEffect, useState } from 'react';
import { NotificationHistory } from '../notifications/NotificationHistory.js';
import { useOptionalLive, useSdk, useSessionState } from '../sdk/slotcast-context.js';
import { SignInPage } from '../session/SignInPage.js';
import { AppShell } from './AppShell.js';
import { usePath } from './router.js';

// Each role's app is its own chunk: a customer on a phone never downloads the schedule, nor staff the booking flow.
const CustomerApp = lazy(() => import('../customer/CustomerApp.js'));
const VendorApp = lazy(() => import('../vendor/VendorApp.js'));
const AdminApp = lazy(() => import('../admin/AdminApp.js'));
const PreferencesPage = lazy(() => import('../preferences/PreferencesPage.js'));

/** Pages every signed-in role has. */
export const PREFERENCES_PATH = APP_PATHS.notificationSettings;
// Only a visitor who asks to create an account downloads the form.
const SignUpPage = lazy(() => import('../session/SignUpPage.js').then((m) => ({ default: m.SignUpPage })));
const accountPages = () => import('../session/AccountPages.js');
const VerifyEmailPage = lazy(() => accountPages().then((m) => ({ default: m.VerifyEmailPage })));
const ResetPasswordPage = lazy(() => accountPages().then((m) => ({ default: m.ResetPasswordPage })));
const ForgotPasswordPage = lazy(() => accountPages().then((m) => ({ default: m.ForgotPasswordPage })));
const VerifyNotice = lazy(() => accountPages().then((m) => ({ default: m.VerifyNotice })));

/** The token of a mailed link the page was opened with (`/?verify=…`, `/?reset=…`), if any. */
function linkFromUrl(): { kind: 'verify' | 'reset'; token: string } | null {
  const params = new URLSearchParams(window.location.search);
  for (const kind of ['verify', 'reset'] as const) {
    const token = params.get(kind);
    if (token) return { kind, token };
  }
  return null;
}

const loading = (
  <p className="muted" role="status">
    Loading…
  </p>
);

export function App() {
  const sdk = useSdk();
  const { user, ready } = useSessionState();
  const live = useOptionalLive();
  const path = usePath();
  const [endedReason, setEndedReason] = useState<string | null>(null);
  const [signingUp, setSigningUp] = useState(false);
  const [forgot, setForgot] = useState(false);
  const [link, setLink] = useState(linkFromUrl);
  // The token leaves the address bar (and history) at once; the page keeps it in memory.
  useEffect(() => {
    if (link) window.history.replaceState(null, '', window.location.pathname);
  }, [link]);

  useEffect(
    () =>
      sdk.api.tokens.on('signedOut', ({ reason, error }) => {
        // A password reset elsewhere says so in the server's words; every other reason (a sign-out in another tab or
        // device among them, whichever of the tab channel and the socket tells first) has its own text.
        const why = (error as { message?: unknown } | undefined)?.message;
        setEndedReason(reason === 'session-revoked' && why === DETAILS.passwordChanged() ? why : reason);
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
  if (link) {
    const done = () => setLink(null);
    return (
      <AppShell user={user}>
        <Suspense fallback={loading}>
          {link.kind === 'verify' ? (
            <VerifyEmailPage token={link.token} onDone={done} />
          ) : (
            <ResetPasswordPage token={link.token} onDone={done} />
          )}
        </Suspense>
      </AppShell>
    );
  }
  if (!user && forgot) {
    return (
      <AppShell user={null}>
        <Suspense fallback={loading}>
          <ForgotPasswordPage onBack={() => setForgot(false)} />
        </Suspense>
      </AppShell>
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
          <SignInPage
            endedReason={endedReason}
            onCreateAccount={() => setSigningUp(true)}
            onForgotPassword={() => setForgot(true)}
          />
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
          {path === PREFERENCES_PATH ? (
            <PreferencesPage />
          ) : path === '/notifications' ? (
            <NotificationHistory />
          ) : (
            <>
              {user.role === 'customer' && <VerifyNotice />}
              {user.role === 'customer' && <CustomerApp />}
              {user.role === 'staff' && <VendorApp user={user} />}
              {user.role === 'admin' && <AdminApp user={user} />}
            </>
          )}
        </Suspense>
      ) : (
        <p className="muted" role="status">
          Starting…
        </p>
      )}
    </AppShell>
  );
}
