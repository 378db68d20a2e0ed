import type { SlotcastClient } from '@slotcast/client';
import type { Resource, Service, Vendor } from '@slotcast/protocol';
import { useSdk } from '../sdk/slotcast-context.js';
import { type AsyncState, useAsync } from '../ui/use-async.js';

export interface VendorCatalog {
  vendor: Vendor;
  resources: Resource[];
  services: Service[];
}

// The catalogue is public and changes rarely: one read per vendor and page load is plenty.
const cache = new WeakMap<SlotcastClient, Map<string, Promise<VendorCatalog>>>();
const vendorLists = new WeakMap<SlotcastClient, Promise<Vendor[]>>();

export function loadVendors(sdk: SlotcastClient): Promise<Vendor[]> {
  let p = vendorLists.get(sdk);
  if (!p) {
    p = sdk.api.vendors.list();
    vendorLists.set(sdk, p);
    p.catch(() => vendorLists.delete(sdk));
  }
  return p;
}

export function loadCatalog(sdk: SlotcastClient, vendorId: string): Promise<VendorCatalog> {
  let byVendor = cache.get(sdk);
  if (!byVendor) cache.set(sdk, (byVendor = new Map()));
  let p = byVendor.get(vendorId);
  if (!p) {
    p = Promise.all([
      sdk.api.vendors.get(vendorId),
      sdk.api.vendors.resources(vendorId),
      sdk.api.vendors.services(vendorId),
    ]).then(([vendor, resources, services]) => ({ vendor, resources, services }));
    byVendor.set(vendorId, p);
    p.catch(() => byVendor.delete(vendorId));
  }
  return p;
}

export function useVendors(): AsyncState<Vendor[]> & { reload: () => Promise<void> } {
  const sdk = useSdk();
  return useAsync(() => loadVendors(sdk), [sdk]);
}

export function useCatalog(
  vendorId: string | null,
): AsyncState<VendorCatalog | null> & { reload: () => Promise<void> } {
  const sdk = useSdk();
  return useAsync(() => (vendorId ? loadCatalog(sdk, vendorId) : Promise.resolve(null)), [sdk, vendorId]);
}

/** Every vendor's catalogue (admins and customers see bookings across vendors). */
export function useAllCatalogs(): AsyncState<Map<string, VendorCatalog>> & { reload: () => Promise<void> } {
  const sdk = useSdk();
  return useAsync(async () => {
    const vendors = await loadVendors(sdk);
    const all = await Promise.all(vendors.map((v) => loadCatalog(sdk, v.id)));
    return new Map(all.map((c) => [c.vendor.id, c]));
  }, [sdk]);
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
