import {
  type EngagementDay,
  type EngagementQuery,
  type EngagementResponse,
  SlotcastError,
  type SocketHeatmapQuery,
  type SocketHeatmapResponse,
} from '@slotcast/protocol';
import { medianConfirmSeconds } from '../store/analytics-repo.js';
import type { Queryable } from '../store/db.js';
import { dailyActive, distinctActive, socketHeatmapCells } from '../store/engagement-repo.js';
import { type Caller, requireRole } from './actor.js';
import { addDays } from './analytics.js';

const DAY_MS = 86_400_000;
const MAX_HEATMAP_DAYS = 367;

/** Engagement across the system, from the socket activity rollups: admins only. */
export class EngagementService {
  constructor(
    private readonly db: Queryable,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async engagement(caller: Caller | null, q: EngagementQuery): Promise<EngagementResponse> {
    requireRole(caller, 'admin');
    const n = Number(q.days);
    const to = q.to ?? this.now().toISOString().slice(0, 10);
    const from = addDays(to, -(n - 1));
    const [rows, { weekly, monthly }, median] = await Promise.all([
      dailyActive(this.db, { from, to }),
      distinctActive(this.db, to),
      medianConfirmSeconds(this.db, { vendorId: null, from, to }),
    ]);
    const days = new Map<string, EngagementDay>();
    for (let i = 0; i < n; i++) {
      const day = addDays(from, i);
      days.set(day, { day, active: { customer: 0, staff: 0, admin: 0 }, sessions: 0, connects: 0 });
    }
    for (const r of rows) {
      const d = days.get(r.day);
      if (!d) continue;
      d.active[r.role] = r.users;
      d.sessions += r.sessions;
      d.connects += r.connects;
    }
    const all = [...days.values()];
    const userDays = all.reduce((s, d) => s + d.active.customer + d.active.staff + d.active.admin, 0);
    const sessions = all.reduce((s, d) => s + d.sessions, 0);
    return {
      from,
      to,
      days: all,
      weekly,
      monthly,
      sessionsPerUser: userDays ? sessions / userDays : null,
      medianConfirmSeconds: median,
    };
  }

  async socketHeatmap(caller: Caller | null, q: SocketHeatmapQuery): Promise<SocketHeatmapResponse> {
    requireRole(caller, 'admin');
    const span = Math.round((Date.parse(q.to) - Date.parse(q.from)) / DAY_MS) + 1;
    if (span < 1 || span > MAX_HEATMAP_DAYS) {
      throw new SlotcastError('VALIDATION_FAILED', `from..to must span 1 to ${MAX_HEATMAP_DAYS} days`);
    }
    const timeZone = q.timeZone ?? 'UTC';
    const found = await socketHeatmapCells(this.db, { from: q.from, to: q.to, timeZone });
    const byKey = new Map(found.map((c) => [`${c.weekday}:${c.hour}`, c]));
    // How many times each weekday occurs in the range: the mean over those hours, not over all of them.
    const occurrences = Array.from({ length: 8 }, () => 0);
    for (let i = 0; i < span; i++) occurrences[new Date(Date.parse(q.from) + i * DAY_MS).getUTCDay() || 7]!++;
    const cells = [];
    for (let weekday = 1; weekday <= 7; weekday++) {
      for (let hour = 0; hour < 24; hour++) {
        const c = byKey.get(`${weekday}:${hour}`);
        const hours = occurrences[weekday]!;
        cells.push({
          weekday,
          hour,
          connects: c?.connects ?? 0,
          meanOpenSockets: c && hours ? Math.round((c.socketSeconds / 3600 / hours) * 100) / 100 : 0,
        });
      }
    }
    return {
      from: q.from,
      to: q.to,
      timeZone,
      cells,
      totalConnects: found.reduce((s, c) => s + c.connects, 0),
    };
  }
}
