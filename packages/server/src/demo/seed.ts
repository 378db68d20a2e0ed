import type { Role, WeeklyHours } from '@slotcast/protocol';
import type { Logger } from 'pino';
import { hashPassword } from '../auth/passwords.js';
import { insertResource, insertService, insertVendor } from '../store/catalog-repo.js';
import type { Db } from '../store/db.js';
import { countUsers, insertUser } from '../store/users-repo.js';

export const DEMO_PASSWORD = 'slotcast-demo';

const weekdays = (start: string, end: string): WeeklyHours => ({
  mon: [{ start, end }],
  tue: [{ start, end }],
  wed: [{ start, end }],
  thu: [{ start, end }],
  fri: [{ start, end }],
});

export interface DemoLogin {
  email: string;
  /** How the demo page labels the account ("staff (owner)"). */
  role: string;
  vendor?: string;
}

/** Creates two vendors with resources, services, staff and customers; only on an empty database. */
export async function seedDemoData(db: Db, logger: Logger): Promise<DemoLogin[] | null> {
  if ((await countUsers(db)) > 0) return null;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const logins: DemoLogin[] = [];
  await db.transaction(async (tx) => {
    const user = async (
      email: string,
      name: string,
      role: Role,
      vendorId: string | null = null,
      isOwner = false,
      vendor?: string,
    ) => {
      await insertUser(tx, { email, name, role, vendorId, isOwner, passwordHash });
      logins.push({ email, role: isOwner ? 'staff (owner)' : role, ...(vendor ? { vendor } : {}) });
    };
    await user('admin@slotcast.test', 'Ada Admin', 'admin');

    const salon = await insertVendor(tx, {
      name: 'Studio Mira Hair',
      slug: 'studio-mira',
      autoConfirm: false,
      cancellationCutoffMinutes: 120,
      requestTtlMinutes: 60,
    });
    const chairs = await Promise.all(
      ['Chair 1', 'Chair 2'].map((name) =>
        insertResource(tx, {
          vendorId: salon.id,
          name,
          timezone: 'Europe/Berlin',
          slotIntervalMinutes: 15,
          weeklyHours: { ...weekdays('09:00', '18:00'), sat: [{ start: '10:00', end: '14:00' }] },
          exceptions: [
            { date: '2026-12-24', hours: [] },
            { date: '2026-12-31', hours: [{ start: '09:00', end: '13:00' }] },
          ],
        }),
      ),
    );
    await insertService(tx, {
      vendorId: salon.id,
      name: 'Haircut',
      durationMinutes: 45,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 15,
      priceMinor: 3800,
      currency: 'EUR',
      resourceIds: chairs.map((c) => c.id),
    });
    await insertService(tx, {
      vendorId: salon.id,
      name: 'Colour',
      durationMinutes: 90,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 15,
      priceMinor: 7900,
      currency: 'EUR',
      resourceIds: [chairs[0]!.id],
    });
    await user('owner@studio-mira.test', 'Mira Owner', 'staff', salon.id, true, salon.name);
    await user('staff@studio-mira.test', 'Sam Stylist', 'staff', salon.id, false, salon.name);

    const club = await insertVendor(tx, {
      name: 'Riverside Tennis Club',
      slug: 'riverside-tennis',
      autoConfirm: true,
      cancellationCutoffMinutes: 240,
      requestTtlMinutes: 30,
    });
    const courts = await Promise.all(
      ['Court 1', 'Court 2'].map((name) =>
        insertResource(tx, {
          vendorId: club.id,
          name,
          timezone: 'America/New_York',
          slotIntervalMinutes: 60,
          weeklyHours: {
            ...weekdays('07:00', '22:00'),
            sat: [{ start: '08:00', end: '20:00' }],
            sun: [{ start: '08:00', end: '20:00' }],
          },
          exceptions: [],
        }),
      ),
    );
    await insertService(tx, {
      vendorId: club.id,
      name: 'Court hour',
      durationMinutes: 60,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      priceMinor: 2500,
      currency: 'USD',
      resourceIds: courts.map((c) => c.id),
    });
    await user('owner@riverside.test', 'Rita Owner', 'staff', club.id, true, club.name);
    await user('coach@riverside.test', 'Colin Coach', 'staff', club.id, false, club.name);

    await user('alice@example.test', 'Alice Customer', 'customer');
    await user('bob@example.test', 'Bob Customer', 'customer');
  });
  logger.info({ vendors: 2, users: logins.length }, 'created demo data');
  return logins;
}
