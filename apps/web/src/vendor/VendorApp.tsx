import type { User } from '@slotcast/protocol';
import { APP_PATHS } from '@slotcast/protocol';
import { lazy, Suspense, useEffect, useMemo } from 'react';
import { BookingPage, ProfilePage } from '../app/lazy-pages.js';
import { matchPath, usePath } from '../app/router.js';
import { useCatalog } from '../bookings/catalog.js';
import { EnableNotifications } from '../notifications/EnableNotifications.js';
import { useLive } from '../sdk/slotcast-context.js';
import { LoadState } from '../ui/LoadState.js';
import { NotFoundPage } from '../ui/NotFoundPage.js';
import { SchedulePage } from './SchedulePage.js';
import { useSoundCue } from './sound-cue.js';

// Pages other than the schedule load when opened, so a vendor's first load stays within its budget; charts load
// only with the insights page.
const loadBookingsPage = () => import('../bookings/BookingsPage.js');
const BookingsPage = lazy(() => loadBookingsPage().then((m) => ({ default: m.BookingsPage })));
// Opened at that address (a reload of the list): fetched now, alongside the vendor's catalogue, not after it.
if (typeof window !== 'undefined' && window.location.pathname === APP_PATHS.bookings) void loadBookingsPage();
const InsightsPage = lazy(() => import('../insights/InsightsPage.js'));

// The vendor's time zone as last seen in its catalogue: the list's date range is computed in it, before the catalogue
// is there, so it does not move when the catalogue arrives.
const timeZoneKey = (vendorId: string) => `slotcast:vendor-tz:${vendorId}`;
function rememberTimeZone(vendorId: string, timeZone: string | undefined): void {
  try {
    if (timeZone) localStorage.setItem(timeZoneKey(vendorId), timeZone);
  } catch {
    // Storage unavailable (private mode): the browser's zone is the fallback.
  }
}
function rememberedTimeZone(vendorId: string): string {
  try {
    const tz = localStorage.getItem(timeZoneKey(vendorId));
    if (tz) return tz;
  } catch {
    // As above.
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function SpeakerIcon({ on }: { on: boolean }) {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M3 9v6h4l5 5V4L7 9H3Z" />
      {on ? (
        <path
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
          d="M15.5 8.5a5 5 0 0 1 0 7M18.5 5.5a9 9 0 0 1 0 13"
        />
      ) : (
        <path fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" d="m16 9 6 6m0-6-6 6" />
      )}
    </svg>
  );
}

/** The staff app: the vendor's schedule and bookings, live, with the actions staff take on them. */
export default function VendorApp({ user }: { user: User }) {
  const path = usePath();
  const live = useLive();
  const catalog = useCatalog(user.vendorId);
  useEffect(() => {
    if (!catalog.data) return;
    performance.mark('slotcast:catalog');
    rememberTimeZone(catalog.data.vendor.id, catalog.data.resources[0]?.timezone);
  }, [catalog.data]);
  const sound = useSoundCue();
  const { play } = sound;

  useEffect(() => live.onNewRequest(() => play()), [live, play]);

  const catalogs = useMemo(
    () => (catalog.data ? new Map([[catalog.data.vendor.id, catalog.data]]) : new Map()),
    [catalog.data],
  );

  if (!user.vendorId) return <p>This staff account belongs to no vendor.</p>;
  const vendorId = user.vendorId;
  const page = (p: string) => {
    // The list needs only the bookings to be drawn (from the offline store, on a reload): it does not wait for the
    // catalogue, which fills in the resource and service names when it arrives (same element, nothing remounts).
    if (p === APP_PATHS.bookings) {
      const timeZone = catalog.data?.resources[0]?.timezone ?? rememberedTimeZone(vendorId);
      return (
        <Suspense fallback={<LoadState status="loading" error={null} onRetry={() => {}} what="bookings" />}>
          <BookingsPage user={user} catalogs={catalogs} title="Bookings" timeZone={timeZone} />
        </Suspense>
      );
    }
    if (!catalog.data) {
      return (
        <LoadState
          status={catalog.status === 'error' ? 'error' : 'loading'}
          error={catalog.error}
          onRetry={catalog.reload}
          what="your vendor"
        />
      );
    }
    const { vendor, resources, services } = catalog.data;
    const booking = matchPath(APP_PATHS.booking, p);
    if (booking) return <BookingPage key={booking.id} bookingId={booking.id!} user={user} />;
    if (p === APP_PATHS.insights && user.isOwner) {
      return (
        <Suspense fallback={<LoadState status="loading" error={null} onRetry={() => {}} what="insights" />}>
          <InsightsPage />
        </Suspense>
      );
    }
    if (p === APP_PATHS.profile) return <ProfilePage />;
    if (p === APP_PATHS.home) {
      return <SchedulePage user={user} resources={resources} services={services} vendorName={vendor.name} />;
    }
    return <NotFoundPage />;
  };

  return (
    <>
      {sound.supported && (
        <div className="sound-toggle">
          <button type="button" className="button button-small" aria-pressed={sound.enabled} onClick={sound.toggle}>
            <SpeakerIcon on={sound.enabled} />
            Sound for new requests: {sound.enabled ? 'on' : 'off'}
          </button>
        </div>
      )}
      <EnableNotifications reason="Hear about new requests and changes on this device, and confirm or decline right from the notification." />
      {page(path)}
    </>
  );
}
