import { formatDate, formatTime, userTimeZone, zoneCity } from '../time/zoned.js';

/** A time in the resource's zone, and in the customer's own when that differs (never a guess which is which). */
export function SlotTime({ startAt, zone, long = false }: { startAt: string; zone: string; long?: boolean }) {
  const mine = userTimeZone();
  const there = `${long ? `${formatDate(startAt, zone)}, ` : ''}${formatTime(startAt, zone)}`;
  if (mine === zone) return <span className="slot-time">{there}</span>;
  const here = `${long || formatDate(startAt, mine) !== formatDate(startAt, zone) ? `${formatDate(startAt, mine)}, ` : ''}${formatTime(startAt, mine)}`;
  return (
    <span className="slot-time">
      <span>
        {there} <span className="zone">{zoneCity(zone)}</span>
      </span>
      <span className="slot-time-mine">
        {here} <span className="zone">your time</span>
      </span>
    </span>
  );
}
