import type {
  ChannelMatrix,
  ChannelSetting,
  NotificationCategory,
  NotificationChannel,
  Role,
} from '@slotcast/protocol';
import { NOTIFICATION_CATEGORIES, NOTIFICATION_CHANNELS } from '@slotcast/protocol';

type Row = Readonly<Record<NotificationChannel, boolean>>;
const off: Row = { in_app: false, push: false, email: false };
const inApp: Row = { in_app: true, push: false, email: false };
const inAppPush: Row = { in_app: true, push: true, email: false };
const all: Row = { in_app: true, push: true, email: true };

/**
 * Defaults per role, category × channel: what a user gets before anyone chose anything. Staff hear about requests
 * at once (push and in-app) and see the rest in the list; customers get confirmations, changes and reminders by push
 * and email. Vendors override the staff column for their own staff; a user's own choice overrides both.
 */
export const ROLE_DEFAULTS: Readonly<Record<Role, Readonly<Record<NotificationCategory, Row>>>> = {
  staff: {
    request: inAppPush,
    confirmation: inApp,
    decline: inApp,
    cancellation: inAppPush,
    change: inAppPush,
    expiry: inApp,
    reminder: inApp,
    attendance: inApp,
    system: inApp,
  },
  customer: {
    request: inApp,
    confirmation: all,
    decline: all,
    cancellation: all,
    change: all,
    expiry: all,
    reminder: all,
    attendance: inApp,
    system: inApp,
  },
  admin: {
    request: off,
    confirmation: off,
    decline: off,
    cancellation: off,
    change: off,
    expiry: off,
    reminder: off,
    attendance: off,
    system: all,
  },
};

export type SetCell = ChannelSetting & { enabled: boolean };

/**
 * The matrix that applies to a user: own choice, else the vendor's default (staff of that vendor only), else the
 * role's default. Pure; `vendorDefaults` is empty for anyone who is not staff.
 */
export function effectivePreferences(role: Role, vendorDefaults: readonly SetCell[], own: readonly SetCell[]) {
  const matrix = {} as ChannelMatrix;
  for (const category of NOTIFICATION_CATEGORIES) matrix[category] = { ...ROLE_DEFAULTS[role][category] };
  const apply = (cells: readonly SetCell[]) => {
    for (const c of cells) matrix[c.category][c.channel] = c.enabled;
  };
  if (role === 'staff') apply(vendorDefaults);
  apply(own);
  return matrix;
}

/** Every cell of a matrix, for storing or listing. */
export const cellsOf = (m: ChannelMatrix): SetCell[] =>
  NOTIFICATION_CATEGORIES.flatMap((category) =>
    NOTIFICATION_CHANNELS.map((channel) => ({ category, channel, enabled: m[category][channel] })),
  );
