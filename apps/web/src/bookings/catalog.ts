import type { OfflineCache, SlotcastClient } from '@slotcast/client';
import type { Resource, Service, Vendor } from '@slotcast/protocol';
import { useOptionalLive, useSdk } from '../sdk/slotcast-context.js';
import { type AsyncState, useAsync } from '../ui/use-async.js';

export interface VendorCatalog {
  vendor: Vendor;
  resources: Resource[];
  services: Service[];
}

// The catalogue is public and changes rarely: one read per vendor and page load is plenty.
const cache = new WeakMap<SlotcastClient, Map<string, Promise<VendorCatalog>>>();
const vendorLists = new WeakMap<SlotcastClient, Promise<Vendor[]>>();

/**
 * A catalogue read that falls back to the offline store's copy when the server cannot be reached, and refreshes that
 * copy when it can: the schedule opens offline with its resources' names and hours.
 */
async function withOfflineCopy<T>(offline: OfflineStore, key: string, read: () => Promise<T>): Promise<T> {
  // A device that knows it is offline reads the copy first: the network attempts (a token refresh, three reads)
  // would only fail, and the first screen waits for the catalogue.
  if (typeof navigator !== 'undefined' && navigator.onLine === false) {
    const copy = await Promise.resolve(offline)
      .then((o) => o?.cache.catalogue<T>(key) ?? null)
      .catch(() => null);
    if (copy) return copy;
  }
  try {
    const value = await read();
    void Promise.resolve(offline)
      .then((o) => o?.cache.putCatalogue(key, value))
      .catch(() => {});
    return value;
  } catch (err) {
    // The store may still be opening (its code loads after the first paint): the copy is worth the wait.
    const copy = await Promise.resolve(offline)
      .then((o) => o?.cache.catalogue<T>(key) ?? null)
      .catch(() => null);
    if (copy) return copy;
    throw err;
  }
}

/** The offline store, or the promise of it (LiveSession.offlineReady); none outside a signed-in session. */
type OfflineStore = Promise<{ cache: OfflineCache } | null> | undefined;

export function loadVendors(sdk: SlotcastClient, cache?: OfflineStore): Promise<Vendor[]> {
  let p = vendorLists.get(sdk);
  if (!p) {
    p = withOfflineCopy(cache, 'vendors', () => sdk.api.vendors.list());
    vendorLists.set(sdk, p);
    p.catch(() => vendorLists.delete(sdk));
  }
  return p;
}

export function loadCatalog(sdk: SlotcastClient, vendorId: string, offline?: OfflineStore): Promise<VendorCatalog> {
  let byVendor = cache.get(sdk);
  if (!byVendor) cache.set(sdk, (byVendor = new Map()));
  let p = byVendor.get(vendorId);
  if (!p) {
    p = withOfflineCopy(offline, `vendor:${vendorId}`, () =>
      Promise.all([
        sdk.api.vendors.get(vendorId),
        sdk.api.vendors.resources(vendorId),
        sdk.api.vendors.services(vendorId),
      ]).then(([vendor, resources, services]) => ({ vendor, resources, services })),
    );
    byVendor.set(vendorId, p);
    p.catch(() => byVendor.delete(vendorId));
  }
  return p;
}

export function useVendors(): AsyncState<Vendor[]> & { reload: () => Promise<void> } {
  const sdk = useSdk();
  const cache = useOptionalLive()?.offlineReady;
  return useAsync(() => loadVendors(sdk, cache), [sdk, cache]);
}

export function useCatalog(
  vendorId: string | null,
): AsyncState<VendorCatalog | null> & { reload: () => Promise<void> } {
  const sdk = useSdk();
  const cache = useOptionalLive()?.offlineReady;
  return useAsync(() => (vendorId ? loadCatalog(sdk, vendorId, cache) : Promise.resolve(null)), [sdk, vendorId, cache]);
}

/** Every vendor's catalogue (admins and customers see bookings across vendors). */
export function useAllCatalogs(): AsyncState<Map<string, VendorCatalog>> & { reload: () => Promise<void> } {
  const sdk = useSdk();
  const cache = useOptionalLive()?.offlineReady;
  return useAsync(async () => {
    const vendors = await loadVendors(sdk, cache);
    const all = await Promise.all(vendors.map((v) => loadCatalog(sdk, v.id, cache)));
    return new Map(all.map((c) => [c.vendor.id, c]));
  }, [sdk, cache]);
}

/** Names for a booking's ids, from whichever catalogues are loaded. */
export function namesFor(
  catalogs: ReadonlyMap<string, VendorCatalog> | undefined,
  b: { vendorId: string; resourceId: string; serviceId: string },
): { vendor: string; resource: string; service: string } {
  const c = catalogs?.get(b.vendorId);
  return {
    vendor: c?.vendor.name ?? 'Vendor',
    resource: c?.resources.find((r) => r.id === b.resourceId)?.name ?? 'Resource',
    service: c?.services.find((s) => s.id === b.serviceId)?.name ?? 'Booking',
  };
}
