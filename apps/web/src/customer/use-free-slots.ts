import type { SlotcastClient } from '@slotcast/client';
import type { Resource, Service, Slot } from '@slotcast/protocol';
import { zonedParts } from '../time/zoned.js';
import { useAsync } from '../ui/use-async.js';

/** A free time on one resource, with its local date at the resource. */
export interface SlotChoice {
  slot: Slot;
  resource: Resource;
  date: string;
}

/**
 * The service's free times over the booking form's days on each resource that offers it, by start: one availability
 * read per resource for the whole strip, read again when a schedule changes (`tick`). The form takes a day's times
 * and which days have any from it, so picking another day reads nothing. `list` is undefined until the read for this
 * service has come (a list read for another service would book the wrong thing).
 */
export function useFreeSlots(
  sdk: SlotcastClient,
  service: Service | undefined,
  resources: readonly Resource[],
  days: readonly string[],
  tick: number,
) {
  const key = `${service?.id}|${days[0]}`;
  const read = useAsync(
    async (signal) => {
      if (!service) return { key, list: [] as SlotChoice[] };
      const from = days[0]!;
      const to = days[days.length - 1]!;
      const lists = await Promise.all(
        resources.map((r) =>
          sdk.api.resources
            .availability(r.id, { serviceId: service.id, from, to }, { signal })
            .then((a) =>
              a.slots.map((slot) => ({ slot, resource: r, date: zonedParts(slot.startAt, a.timezone).date })),
            ),
        ),
      );
      return { key, list: lists.flat().sort((a, b) => a.slot.startAt.localeCompare(b.slot.startAt)) };
    },
    [sdk, service, resources, days, tick],
  );
  return {
    list: read.data?.key === key ? read.data.list : undefined,
    status: read.status,
    error: read.error,
    reload: read.reload,
  };
}
