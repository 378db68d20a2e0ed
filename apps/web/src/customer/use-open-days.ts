import type { SlotcastClient } from '@slotcast/client';
import type { Resource, Service } from '@slotcast/protocol';
import { useMemo } from 'react';
import { zonedParts } from '../time/zoned.js';
import { useAsync } from '../ui/use-async.js';

/** The strip's days that have a free time; `null` while it is not known (loading, or the read failed). */
export type OpenDays = ReadonlySet<string> | null;

/**
 * Which of the booking form's days have any free time for the service, on the resource the customer picked or on
 * any: one availability read per resource for the whole strip, read again when a schedule changes (`tick`). The
 * form starts on the first open day and marks the full ones, instead of opening on a day with nothing to pick.
 */
export function useOpenDays(
  sdk: SlotcastClient,
  service: Service | undefined,
  resources: readonly Resource[],
  days: readonly string[],
  resourcePick: string | null,
  tick: number,
): { open: OpenDays; settled: boolean } {
  const key = `${service?.id}|${days[0]}`;
  const read = useAsync(
    async (signal) => {
      if (!service || resources.length === 0) return { key, byResource: new Map<string, Set<string>>() };
      const from = days[0]!;
      const to = days[days.length - 1]!;
      const lists = await Promise.all(
        resources.map((r) => sdk.api.resources.availability(r.id, { serviceId: service.id, from, to }, { signal })),
      );
      const byResource = new Map<string, Set<string>>();
      for (const a of lists)
        byResource.set(a.resourceId, new Set(a.slots.map((s) => zonedParts(s.startAt, a.timezone).date)));
      return { key, byResource };
    },
    [sdk, service, resources, days, tick],
  );
  const open = useMemo<OpenDays>(() => {
    const data = read.data;
    if (!data || data.key !== key) return null;
    if (resourcePick) return data.byResource.get(resourcePick) ?? new Set();
    return new Set([...data.byResource.values()].flatMap((s) => [...s]));
  }, [read.data, key, resourcePick]);
  // Settled: known, or not knowable (a failed read must not hold the form back).
  return { open, settled: open !== null || read.status === 'error' };
}
