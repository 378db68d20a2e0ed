import { isApiError } from '@slotcast/client';
import type { Booking, Service, Slot } from '@slotcast/protocol';
import { useEffect, useId, useMemo, useState } from 'react';
import { Link } from '../app/router.js';
import { useCatalog } from '../bookings/catalog.js';
import { OFFLINE_COPY } from '../offline/offline-copy.js';
import { useAttentionResolver } from '../offline/pick-another-time.js';
import { useOnline } from '../offline/use-online.js';
import { useLive, useSdk } from '../sdk/slotcast-context.js';
import { useServerClock } from '../time/use-now-past.js';
import { addDays, formatLocalDate, formatTime, todayIn, userTimeZone, zoneCity, zonedParts } from '../time/zoned.js';
import { rovingKeys } from '../ui/roving-focus.js';
import './book-flow.css';
import { describeError } from '../ui/describe-error.js';
import { LoadState } from '../ui/LoadState.js';
import { PageHeading } from '../ui/PageHeading.js';
import { BookingStatusCard } from './BookingStatusCard.js';
import { SlotTime } from './SlotTime.js';
import { type SlotChoice, useFreeSlots } from './use-free-slots.js';
import { cutoffText, spanText } from './VendorDirectory.js';

type PartOfDay = 'morning' | 'afternoon' | 'evening';
const PART_LABEL: Record<PartOfDay, string> = { morning: 'Morning', afternoon: 'Afternoon', evening: 'Evening' };

/** Times grouped as people think of a day, by the hour at the place (before 12, before 17, later). */
function byPartOfDay(list: readonly SlotChoice[]): { part: PartOfDay; items: SlotChoice[] }[] {
  const groups = new Map<PartOfDay, SlotChoice[]>();
  for (const c of list) {
    const hour = Number(formatTime(c.slot.startAt, c.resource.timezone).slice(0, 2));
    const part: PartOfDay = hour < 12 ? 'morning' : hour < 17 ? 'afternoon' : 'evening';
    groups.set(part, [...(groups.get(part) ?? []), c]);
  }
  return [...groups].map(([part, items]) => ({ part, items }));
}

function price(s: Service): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency: s.currency }).format(s.priceMinor / 100);
}

/** Service → day → free slot (in the resource's zone and the customer's own) → book → watch it live. */
export function BookFlow({ vendorId }: { vendorId: string }) {
  const sdk = useSdk();
  const live = useLive();
  const id = useId();
  const catalog = useCatalog(vendorId);
  const serverNow = useServerClock();
  const online = useOnline();
  // Opened by "Pick another time" for a refused booking: the same service and resource, on the day it wanted.
  const [prefill] = useState(() => new URLSearchParams(window.location.search));
  const attention = useAttentionResolver(live);
  const [serviceId, setServiceId] = useState<string | null>(prefill.get('service'));
  const [date, setDate] = useState<string | null>(null);
  /** A resource the customer insists on; null = any (each time once, on the first resource free then). */
  const [resourcePick, setResourcePick] = useState<string | null>(prefill.get('resource'));
  const [choice, setChoice] = useState<SlotChoice | null>(null);
  const [note, setNote] = useState('');
  const [booking, setBooking] = useState<Booking | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; nextFree: Slot[] } | null>(null);
  const [availabilityTick, setAvailabilityTick] = useState(0);
  /** Why the chosen time was dropped (someone else took it meanwhile); shown in the always-visible book bar. */
  const [lost, setLost] = useState<string | null>(null);

  const data = catalog.data;
  const service = data?.services.find((s) => s.id === serviceId);
  const resources = useMemo(
    () => (data && service ? data.resources.filter((r) => service.resourceIds.includes(r.id)) : []),
    [data, service],
  );
  const tz = resources[0]?.timezone ?? data?.resources[0]?.timezone ?? 'UTC';
  const mine = userTimeZone();
  const days = useMemo(() => {
    const today = todayIn(tz);
    return Array.from({ length: 14 }, (_, i) => addDays(today, i));
  }, [tz]);
  const wantedDay = useMemo(() => {
    const at = prefill.get('at');
    const wanted = at && !Number.isNaN(Date.parse(at)) ? zonedParts(at, tz).date : null;
    return wanted && days.includes(wanted) ? wanted : null;
  }, [prefill, tz, days]);
  // The form opens on the first day with a free time (not on a full today), and marks the full days.
  const free = useFreeSlots(sdk, service, resources, days, availabilityTick);
  const onPick = useMemo(
    () => (free.list && resourcePick ? free.list.filter((c) => c.resource.id === resourcePick) : free.list),
    [free.list, resourcePick],
  );
  const openDays = useMemo(() => (onPick ? new Set(onPick.map((c) => c.date)) : null), [onPick]);
  const chosenDay = date ?? wantedDay;
  const [firstOpen, setFirstOpen] = useState<string | null>(null);
  useEffect(() => {
    // Taken once per service: a day filling up later does not move the form under the customer's eyes.
    if (chosenDay === null && firstOpen === null && openDays) {
      setFirstOpen(days.find((d) => openDays.has(d)) ?? days[0]!);
    }
  }, [chosenDay, firstOpen, openDays, days]);
  useEffect(() => setFirstOpen(null), [service?.id]);
  const day = chosenDay ?? firstOpen ?? days[0]!;

  // Someone else's booking takes a slot from under us: the resource's schedule notices say so, live.
  useEffect(() => {
    const targets = resources.map((r) => ({ kind: 'resource' as const, id: r.id }));
    for (const t of targets) void sdk.realtime.follow(t);
    const off = sdk.realtime.on('scheduleChanged', (info) => {
      if (targets.some((t) => t.id === info.resourceId)) setAvailabilityTick((n) => n + 1);
    });
    return () => {
      off();
      for (const t of targets) void sdk.realtime.unfollow(t);
    };
  }, [sdk, resources]);

  // The day's times, each once (on the first resource free then) unless the customer insists on one. None until the
  // first open day is known: a full today would flash "no free times".
  const shownSlots = useMemo(() => {
    if (!onPick || (chosenDay === null && firstOpen === null)) return undefined;
    const ofDay = onPick.filter((c) => c.date === day);
    if (resourcePick) return ofDay;
    const seen = new Set<string>();
    return ofDay.filter((c) => !seen.has(c.slot.startAt) && seen.add(c.slot.startAt));
  }, [onPick, chosenDay, firstOpen, day, resourcePick]);

  // The free times follow the resource's schedule live; a chosen time that is no longer free is let go, with a word.
  useEffect(() => {
    if (!choice || busy || !shownSlots) return;
    if (shownSlots.some((c) => c.slot.startAt === choice.slot.startAt && c.resource.id === choice.resource.id)) return;
    setLost(`${formatTime(choice.slot.startAt, choice.resource.timezone)} was just taken. Please pick another time.`);
    setChoice(null);
  }, [shownSlots, choice, busy]);

  const book = async () => {
    if (!choice || !service) return;
    setBusy(true);
    setError(null);
    try {
      const b = await sdk.api.bookings.create({
        resourceId: choice.resource.id,
        serviceId: service.id,
        startAt: choice.slot.startAt,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      live.bookings.apply(b, { highlight: false });
      setBooking(b);
      // The new time replaces the refused booking it was picked for.
      void attention.resolve().catch(() => {});
    } catch (err) {
      setError({
        text: describeError(err),
        nextFree: isApiError(err, 'BOOKING_SLOT_TAKEN') ? (err.nextFreeSlots ?? []) : [],
      });
      setChoice(null);
      void free.reload();
    } finally {
      setBusy(false);
    }
  };

  if (!data) {
    return (
      <LoadState
        status={catalog.status === 'error' ? 'error' : 'loading'}
        error={catalog.error}
        onRetry={catalog.reload}
        what="this place"
      />
    );
  }
  const { vendor } = data;

  if (booking) {
    return (
      <>
        <PageHeading>Booked at {vendor.name}</PageHeading>
        <BookingStatusCard bookingId={booking.id} catalog={data} />
        <p>
          <Link to="/bookings">See all my bookings</Link> · <Link to="/">Book something else</Link>
        </p>
      </>
    );
  }

  return (
    <>
      <p className="breadcrumb">
        <Link to="/">All places</Link>
      </p>
      <PageHeading>{vendor.name}</PageHeading>
      <p className="muted">
        {vendor.autoConfirm ? 'Confirmed instantly.' : 'Your booking is a request until the staff confirm it.'} Free
        cancellation {cutoffText(vendor.cancellationCutoffMinutes)}.
      </p>
      {!online && (
        <p className="notice notice-warning" role="note" data-testid="book-offline">
          {OFFLINE_COPY.bookingNeedsConnection(vendor.name)}
        </p>
      )}

      <fieldset className="step">
        <legend>1. Service</legend>
        <div className="choice-list">
          {data.services.map((s) => (
            <label key={s.id} className="choice">
              <input
                type="radio"
                name={`${id}-service`}
                checked={serviceId === s.id}
                onChange={() => {
                  setServiceId(s.id);
                  setChoice(null);
                  setError(null);
                }}
              />
              <span className="choice-main">{s.name}</span>
              <span className="choice-meta">
                {s.durationMinutes} min · {price(s)}
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      {service && (
        <fieldset className="step">
          <legend>2. Day</legend>
          {/* One Tab stop; arrow keys move between days. */}
          <div className="day-strip" role="toolbar" aria-label="Days" onKeyDown={rovingKeys}>
            {days.map((d) => (
              <button
                key={d}
                type="button"
                className="button day-button"
                data-day={d}
                data-roving=""
                tabIndex={d === day ? 0 : -1}
                aria-pressed={d === day}
                onClick={() => {
                  setDate(d);
                  setChoice(null);
                }}
              >
                {formatLocalDate(d)}
                {openDays && !openDays.has(d) && <span className="day-full">No times</span>}
              </button>
            ))}
          </div>
          {resources.length > 1 && (
            <div className="form-row inline resource-pick">
              <label htmlFor={`${id}-resource`}>Where</label>
              <select
                id={`${id}-resource`}
                value={resourcePick ?? ''}
                onChange={(e) => {
                  setResourcePick(e.target.value || null);
                  setChoice(null);
                }}
              >
                <option value="">Any</option>
                {resources.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </select>
            </div>
          )}
        </fieldset>
      )}

      {service && (
        <fieldset className="step" data-day={day} aria-busy={shownSlots === undefined}>
          <legend>
            3. Time{' '}
            <span className="muted">
              (shown in {zoneCity(tz)} time
              {tz !== mine ? ` and your time, ${zoneCity(mine)}` : ''})
            </span>
          </legend>
          {error && (
            <div className="notice notice-error" role="alert">
              <p>{error.text}</p>
              {error.nextFree.length > 0 && <p>The next free times are listed below.</p>}
            </div>
          )}
          {free.status === 'loading' && !shownSlots && <p className="muted">Loading free times…</p>}
          {free.status === 'error' && <p className="error-text">{describeError(free.error)}</p>}
          {shownSlots && shownSlots.length === 0 && (
            <p className="empty">No free times on {formatLocalDate(day)}. Try another day.</p>
          )}
          {shownSlots && shownSlots.length > 0 && (
            // One Tab stop for all times; arrow keys move between them, across parts of the day.
            // biome-ignore lint/a11y/noStaticElementInteractions: the keys move focus among the buttons inside.
            <div className="slot-groups" data-testid="slots" onKeyDown={rovingKeys}>
              {byPartOfDay(shownSlots).map((g) => (
                <section key={g.part} className="slot-group" aria-labelledby={`${id}-${g.part}`}>
                  <h3 id={`${id}-${g.part}`} className="slot-group-title">
                    {PART_LABEL[g.part]}
                  </h3>
                  <div className="slot-grid">
                    {g.items.map((c) => {
                      const chosen = choice?.slot.startAt === c.slot.startAt && choice.resource.id === c.resource.id;
                      const current = choice ? chosen : c === shownSlots[0];
                      return (
                        <button
                          key={`${c.resource.id}|${c.slot.startAt}`}
                          type="button"
                          className="button slot-button"
                          data-roving=""
                          data-start={c.slot.startAt}
                          data-resource={c.resource.id}
                          tabIndex={current ? 0 : -1}
                          aria-pressed={chosen}
                          onClick={() => {
                            setLost(null);
                            setChoice(c);
                          }}
                        >
                          <SlotTime startAt={c.slot.startAt} zone={c.resource.timezone} />
                          {resources.length > 1 && resourcePick && (
                            <span className="slot-resource">{c.resource.name}</span>
                          )}
                        </button>
                      );
                    })}
                  </div>
                </section>
              ))}
            </div>
          )}
        </fieldset>
      )}

      {service && (
        <div className="form-row book-note">
          <label htmlFor={`${id}-note`}>Note for the staff (optional)</label>
          <input id={`${id}-note`} value={note} maxLength={1000} onChange={(e) => setNote(e.target.value)} />
        </div>
      )}

      {service && (
        // Always on screen once a service is chosen: the chosen time and the Book action, at the bottom of a phone.
        <section className="book-bar" aria-labelledby={`${id}-confirm`} data-testid="book-bar">
          <h2 id={`${id}-confirm`} className="visually-hidden">
            Your choice
          </h2>
          <p className="book-bar-choice" aria-live="polite">
            {lost ? (
              <span className="book-bar-lost">{lost}</span>
            ) : choice ? (
              <>
                <strong>{service.name}</strong>{' '}
                <SlotTime startAt={choice.slot.startAt} zone={choice.resource.timezone} long />
                {/* Said before booking, not found out after: a time inside the cut-off cannot be cancelled online. */}
                {Date.parse(choice.slot.startAt) - vendor.cancellationCutoffMinutes * 60_000 < serverNow() && (
                  <span className="book-bar-no-cancel" data-testid="no-online-cancel">
                    Can’t be cancelled online: less than {spanText(vendor.cancellationCutoffMinutes)} ahead.
                  </span>
                )}
              </>
            ) : (
              <span className="muted">Pick a time for {service.name}.</span>
            )}
          </p>
          <button type="button" className="button button-primary" disabled={busy || !choice || !online} onClick={book}>
            {busy ? 'Booking…' : `Book ${service.name}`}
          </button>
        </section>
      )}
    </>
  );
}
