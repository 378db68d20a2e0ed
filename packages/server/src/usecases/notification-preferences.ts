import type {
  FrequencyReport,
  NotificationPreferences,
  QuietHours,
  UpdateNotificationPreferences,
  UpdateVendorNotificationDefaults,
  VendorNotificationDefaults,
} from '@slotcast/protocol';
import {
  DETAILS,
  type DigestFrequency,
  NOTIFICATION_CATEGORIES,
  type NotificationCategory,
  SlotcastError,
} from '@slotcast/protocol';
import type { z } from 'zod';
import { effectivePreferences } from '../domain/notification-preferences.js';
import type { DeliveryPrefs } from '../domain/quiet-hours.js';
import { getVendor } from '../store/catalog-repo.js';
import type { Db, Queryable } from '../store/db.js';
import { frequencyCounts } from '../store/frequency-report-repo.js';
import { recordOpen } from '../store/notification-opens-repo.js';
import {
  frequenciesOf,
  NO_QUIET_HOURS,
  ownCells,
  quietHoursOf,
  reminderOffsetsOf,
  rolesOf,
  setFrequencies,
  setOwnCells,
  setQuietHours,
  setReminderOffsets,
  setVendorCells,
  setVendorReminderOffsets,
  vendorCells,
  vendorReminderOffsets,
} from '../store/preferences-repo.js';
import { type Caller, requireRole, requireVendorManager } from './actor.js';

/** Who hears about what, on which channel and when: per user, with vendor and role defaults. */
export class PreferenceService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The caller's own preferences: only ever their own (the route has no user id to forge). */
  async get(caller: Caller, db: Queryable = this.db): Promise<NotificationPreferences> {
    const [own, vendor, quiet, offsets, frequencies] = await Promise.all([
      ownCells(db, [caller.userId]),
      caller.role === 'staff' && caller.vendorId ? vendorCells(db, [caller.vendorId]) : new Map(),
      quietHoursOf(db, [caller.userId]),
      reminderOffsetsOf(db, caller.userId),
      frequenciesOf(db, [caller.userId]),
    ]);
    const mine = own.get(caller.userId) ?? [];
    const chosen = frequencies.get(caller.userId);
    return {
      effective: effectivePreferences(caller.role, (caller.vendorId && vendor.get(caller.vendorId)) || [], mine),
      own: mine,
      quietHours: quiet.get(caller.userId) ?? NO_QUIET_HOURS,
      reminderOffsetsMinutes: offsets,
      frequencies: Object.fromEntries(NOTIFICATION_CATEGORIES.map((c) => [c, chosen?.get(c) ?? 'immediate'])) as Record<
        NotificationCategory,
        DigestFrequency
      >,
    };
  }

  async update(caller: Caller, body: z.output<typeof UpdateNotificationPreferences>): Promise<NotificationPreferences> {
    const at = this.now();
    if (body.frequencies?.some((f) => f.frequency !== 'immediate') && caller.role !== 'staff')
      throw new SlotcastError('FORBIDDEN', DETAILS.digestsForStaff());
    return this.db.transaction(async (tx) => {
      await setOwnCells(tx, caller.userId, body.settings, at);
      if (body.frequencies) await setFrequencies(tx, caller.userId, body.frequencies);
      if (body.quietHours) await setQuietHours(tx, caller.userId, body.quietHours, at);
      if (body.reminderOffsetsMinutes !== undefined)
        await setReminderOffsets(tx, caller.userId, body.reminderOffsetsMinutes, at);
      return this.get(caller, tx);
    });
  }

  /**
   * One-click unsubscribe: the email channel of one category off for one user, as their own choice (it counts as
   * turned off in the frequency report, once: a second use of the link changes and records nothing). The caller has
   * checked the link's signature; the user may since have been deleted.
   */
  async turnOffEmail(userId: string, category: NotificationCategory): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (!(await rolesOf(tx, [userId])).has(userId)) throw new SlotcastError('NOT_FOUND', DETAILS.noSuch('user'));
      const own = (await ownCells(tx, [userId])).get(userId) ?? [];
      if (own.some((c) => c.category === category && c.channel === 'email' && !c.enabled)) return;
      await setOwnCells(tx, userId, [{ category, channel: 'email', enabled: false }], this.now());
    });
  }

  /** A mail's booking link was followed: the message counts as opened in the frequency report (first time only). */
  async recordMailOpen(outboxId: number): Promise<void> {
    await recordOpen(this.db, outboxId, this.now());
  }

  async vendorDefaults(caller: Caller, vendorId: string, db: Queryable = this.db): Promise<VendorNotificationDefaults> {
    requireVendorManager(caller, vendorId);
    if (!(await getVendor(db, vendorId))) throw new SlotcastError('NOT_FOUND', DETAILS.noSuch('vendor'));
    const settings = (await vendorCells(db, [vendorId])).get(vendorId) ?? [];
    return {
      vendorId,
      settings,
      effective: effectivePreferences('staff', settings, []),
      reminderOffsetsMinutes: await vendorReminderOffsets(db, vendorId),
    };
  }

  async updateVendorDefaults(
    caller: Caller,
    vendorId: string,
    body: z.output<typeof UpdateVendorNotificationDefaults>,
  ): Promise<VendorNotificationDefaults> {
    requireVendorManager(caller, vendorId);
    return this.db.transaction(async (tx) => {
      if (!(await getVendor(tx, vendorId))) throw new SlotcastError('NOT_FOUND', DETAILS.noSuch('vendor'));
      await setVendorCells(tx, vendorId, body.settings);
      if (body.reminderOffsetsMinutes !== undefined)
        await setVendorReminderOffsets(tx, vendorId, body.reminderOffsetsMinutes);
      return this.vendorDefaults(caller, vendorId, tx);
    });
  }

  /**
   * What applies to each recipient of a batch: the matrix and quiet hours. One query per table for the whole batch;
   * unknown users get nothing (every cell off).
   */
  async deliveryPrefsOf(db: Queryable, userIds: string[]): Promise<Map<string, DeliveryPrefs>> {
    const roles = await rolesOf(db, userIds);
    const vendorIds = [...new Set([...roles.values()].flatMap((r) => (r.vendorId ? [r.vendorId] : [])))];
    const [own, vendor, quiet, frequencies] = await Promise.all([
      ownCells(db, userIds),
      vendorCells(db, vendorIds),
      quietHoursOf(db, userIds),
      frequenciesOf(db, userIds),
    ]);
    const out = new Map<string, DeliveryPrefs>();
    for (const [userId, r] of roles) {
      out.set(userId, {
        matrix: effectivePreferences(r.role, (r.vendorId && vendor.get(r.vendorId)) || [], own.get(userId) ?? []),
        quietHours: quiet.get(userId) ?? (NO_QUIET_HOURS satisfies QuietHours),
        // Digests are a staff choice; a customer's rows (if the role changed) do not apply.
        frequencies: r.role === 'staff' ? frequencies.get(userId) : undefined,
      });
    }
    return out;
  }

  /** UX-3 frequency report for admins: every category, in catalogue order, zeros included. */
  async frequencyReport(caller: Caller, from: Date, to: Date): Promise<FrequencyReport> {
    requireRole(caller, 'admin');
    const counts = new Map((await frequencyCounts(this.db, from, to)).map((c) => [c.category, c]));
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      categories: NOTIFICATION_CATEGORIES.map(
        (category) =>
          counts.get(category) ?? {
            category,
            sent: 0,
            pushSent: 0,
            emailSent: 0,
            emailOpened: 0,
            pushOpened: 0,
            opened: 0,
            medianSecondsToOpen: null,
            turnedOff: 0,
          },
      ),
    };
  }
}
