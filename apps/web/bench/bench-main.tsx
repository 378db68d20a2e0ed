// The schedule as the vendor app renders it (week view, every resource), fed 1,000 bookings, for `npm run bench:web`.
// The page exposes `window.slotcastBench`; bench/live-update.ts drives it in Chromium and collects the timings.
import type { Booking, BookingStatus, Resource, Service } from '@slotcast/protocol';
import { useMemo, useSyncExternalStore } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { BookingStore } from '../src/bookings/booking-store.js';
import { addDays, zonedInstant } from '../src/time/zoned.js';
import { ScheduleView } from '../src/vendor/ScheduleView.js';
import { type Lane, laneKey } from '../src/vendor/schedule-layout.js';
import '../src/styles.css';

const TZ = 'Europe/Berlin';
const MONDAY = '2030-01-07';
const RESOURCES = 10;
const BOOKINGS = 1_000;
const uuid = (kind: number, n: number) =>
  `${String(kind).padStart(8, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;

const resources: Resource[] = Array.from({ length: RESOURCES }, (_, i) => ({
  id: uuid(2, i),
  vendorId: uuid(1, 0),
  name: `Chair ${i + 1}`,
  timezone: TZ,
  slotIntervalMinutes: 15,
  weeklyHours: Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start: '07:00', end: '22:00' }]]),
  ),
  exceptions: [],
}));
const services: Service[] = [
  {
    id: uuid(3, 0),
    vendorId: uuid(1, 0),
    name: 'Haircut',
    durationMinutes: 45,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 15,
    priceMinor: 3800,
    currency: 'EUR',
    resourceIds: resources.map((r) => r.id),
  },
];
const dates = Array.from({ length: 7 }, (_, i) => addDays(MONDAY, i));
const lanes: Lane[] = resources.flatMap((resource) =>
  dates.map((date) => ({ key: laneKey(resource.id, date), resource, date })),
);
const STATUSES: BookingStatus[] = ['requested', 'confirmed', 'checked_in', 'completed'];

function makeBooking(n: number): Booking {
  // Hourly from 07:00, lane by lane: 70 lanes × 15 hours covers 1,000 bookings without overlaps.
  const lane = lanes[Math.floor(n / 15) % lanes.length]!;
  const start = zonedInstant(lane.date, (7 + (n % 15)) * 60, TZ);
  return {
    id: uuid(6, n),
    vendorId: uuid(1, 0),
    resourceId: lane.resource.id,
    serviceId: services[0]!.id,
    customerId: uuid(4, n % 50),
    status: STATUSES[n % 2]!,
    startAt: new Date(start).toISOString(),
    endAt: new Date(start + 45 * 60_000).toISOString(),
    timezone: TZ,
    version: 1,
    note: null,
    priceMinor: 3800,
    currency: 'EUR',
    statusReason: null,
    updatedBy: { userId: null, role: 'customer' },
    createdAt: '2030-01-01T08:00:00.000Z',
    updatedAt: '2030-01-01T08:00:00.000Z',
  };
}

const store = new BookingStore();
store.merge(Array.from({ length: BOOKINGS }, (_, n) => makeBooking(n)));
const range = { from: zonedInstant(dates[0]!, 0, TZ), to: zonedInstant(addDays(dates[6]!, 1), 0, TZ) };

// Stable, as SchedulePage's state setter is: a new function per render would re-render every memoised block.
const noop = (_id: string) => {};

function BenchSchedule() {
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  // As useBookingRange does: the bookings in range, by start.
  const bookings = useMemo(() => {
    const out: Booking[] = [];
    for (const b of snapshot.byId.values()) {
      const t = Date.parse(b.startAt);
      if (t >= range.from && t < range.to) out.push(b);
    }
    return out.sort((a, b) => (a.startAt < b.startAt ? -1 : a.startAt > b.startAt ? 1 : 0));
  }, [snapshot.byId]);
  return (
    <ScheduleView
      lanes={lanes}
      bookings={bookings}
      fresh={snapshot.fresh}
      services={services}
      selectedId={null}
      onSelect={noop}
      showInactive={false}
      week
    />
  );
}

let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};

/** One live update as the SDK delivers it: a status change (3 in 4) or a move to another hour (1 in 4). */
function nextUpdate(i: number): Booking {
  const n = Math.floor(random() * BOOKINGS);
  const b = store.get(uuid(6, n))!;
  if (i % 4 === 3) {
    const shift = (random() < 0.5 ? -1 : 1) * 30 * 60_000;
    return {
      ...b,
      version: b.version + 1,
      startAt: new Date(Date.parse(b.startAt) + shift).toISOString(),
      endAt: new Date(Date.parse(b.endAt) + shift).toISOString(),
    };
  }
  return { ...b, version: b.version + 1, status: STATUSES[(STATUSES.indexOf(b.status) + 1) % STATUSES.length]! };
}

const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));

declare global {
  interface Window {
    slotcastBench: {
      blocks(): number;
      /** Applies `count` updates one at a time; per update: store → React commit → style and layout (ms), and to
       * the next frame. */
      run(count: number): Promise<{ commit: number[]; frame: number[] }>;
    };
  }
}

const root = createRoot(document.getElementById('root')!);
flushSync(() => root.render(<BenchSchedule />));

window.slotcastBench = {
  blocks: () => document.querySelectorAll('.block').length,

  async run(count) {
    const commit: number[] = [];
    const frame: number[] = [];
    for (let i = 0; i < count; i++) {
      const update = nextUpdate(i);
      await nextFrame();
      const t0 = performance.now();
      flushSync(() => store.apply(update));
      // Reading layout forces style recalculation and layout now, inside the measured span.
      void document.body.offsetHeight;
      const t1 = performance.now();
      await nextFrame();
      const t2 = performance.now();
      commit.push(t1 - t0);
      frame.push(t2 - t0);
    }
    return { commit, frame };
  },
};
