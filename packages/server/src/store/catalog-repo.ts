import {
  DETAILS,
  type HoursException,
  type Resource,
  type Service,
  SlotcastError,
  type Vendor,
  type WeeklyHours,
} from '@slotcast/protocol';
import { PG, pgErrorCode, type Queryable } from './db.js';

interface VendorRow {
  id: string;
  name: string;
  slug: string;
  auto_confirm: boolean;
  cancellation_cutoff_minutes: number;
  request_ttl_minutes: number;
  reschedule_cutoff_minutes: number;
  reschedule_needs_confirmation: boolean;
}
const toVendor = (r: VendorRow): Vendor => ({
  id: r.id,
  name: r.name,
  slug: r.slug,
  autoConfirm: r.auto_confirm,
  cancellationCutoffMinutes: r.cancellation_cutoff_minutes,
  requestTtlMinutes: r.request_ttl_minutes,
  rescheduleCutoffMinutes: r.reschedule_cutoff_minutes,
  rescheduleNeedsConfirmation: r.reschedule_needs_confirmation,
});

interface ResourceRow {
  id: string;
  vendor_id: string;
  name: string;
  timezone: string;
  slot_interval_minutes: number;
  weekly_hours: WeeklyHours;
  exceptions: HoursException[];
}
const toResource = (r: ResourceRow): Resource => ({
  id: r.id,
  vendorId: r.vendor_id,
  name: r.name,
  timezone: r.timezone,
  slotIntervalMinutes: r.slot_interval_minutes,
  weeklyHours: r.weekly_hours,
  exceptions: r.exceptions,
});

interface ServiceRow {
  id: string;
  vendor_id: string;
  name: string;
  duration_minutes: number;
  buffer_before_minutes: number;
  buffer_after_minutes: number;
  price_minor: number;
  currency: string;
  resource_ids: string[] | null;
}
const toService = (r: ServiceRow): Service => ({
  id: r.id,
  vendorId: r.vendor_id,
  name: r.name,
  durationMinutes: r.duration_minutes,
  bufferBeforeMinutes: r.buffer_before_minutes,
  bufferAfterMinutes: r.buffer_after_minutes,
  priceMinor: Number(r.price_minor),
  currency: r.currency,
  resourceIds: r.resource_ids ?? [],
});

const SERVICE_SELECT = `SELECT s.*, (SELECT array_agg(sr.resource_id ORDER BY sr.resource_id) FROM service_resources sr WHERE sr.service_id = s.id) AS resource_ids FROM services s`;

export async function listVendors(db: Queryable): Promise<Vendor[]> {
  return (await db.query<VendorRow>('SELECT * FROM vendors ORDER BY name, id')).map(toVendor);
}
export async function getVendor(db: Queryable, id: string): Promise<Vendor | null> {
  const [row] = await db.query<VendorRow>('SELECT * FROM vendors WHERE id = $1', [id]);
  return row ? toVendor(row) : null;
}
/** Throws VALIDATION_FAILED on body.slug when another vendor has the slug. */
type NewVendor = Omit<Vendor, 'id' | 'rescheduleCutoffMinutes' | 'rescheduleNeedsConfirmation'> &
  Partial<Pick<Vendor, 'rescheduleCutoffMinutes' | 'rescheduleNeedsConfirmation'>>;

export async function insertVendor(db: Queryable, v: NewVendor): Promise<Vendor> {
  try {
    const [row] = await db.query<VendorRow>(
      `INSERT INTO vendors (name, slug, auto_confirm, cancellation_cutoff_minutes, request_ttl_minutes,
                            reschedule_cutoff_minutes, reschedule_needs_confirmation)
       VALUES ($1, $2, $3, $4, $5, coalesce($6, 120), coalesce($7, false)) RETURNING *`,
      [
        v.name,
        v.slug,
        v.autoConfirm,
        v.cancellationCutoffMinutes,
        v.requestTtlMinutes,
        v.rescheduleCutoffMinutes ?? null,
        v.rescheduleNeedsConfirmation ?? null,
      ],
    );
    return toVendor(row!);
  } catch (err) {
    if (pgErrorCode(err) === PG.UNIQUE_VIOLATION) {
      throw new SlotcastError('VALIDATION_FAILED', DETAILS.slugTaken(), {
        errors: [{ path: 'body.slug', message: 'already taken' }],
      });
    }
    throw err;
  }
}
export async function updateVendor(db: Queryable, id: string, patch: Partial<Omit<Vendor, 'id' | 'slug'>>) {
  const [row] = await db.query<VendorRow>(
    `UPDATE vendors SET name = coalesce($2, name), auto_confirm = coalesce($3, auto_confirm),
       cancellation_cutoff_minutes = coalesce($4, cancellation_cutoff_minutes),
       request_ttl_minutes = coalesce($5, request_ttl_minutes),
       reschedule_cutoff_minutes = coalesce($6, reschedule_cutoff_minutes),
       reschedule_needs_confirmation = coalesce($7, reschedule_needs_confirmation)
     WHERE id = $1 RETURNING *`,
    [
      id,
      patch.name ?? null,
      patch.autoConfirm ?? null,
      patch.cancellationCutoffMinutes ?? null,
      patch.requestTtlMinutes ?? null,
      patch.rescheduleCutoffMinutes ?? null,
      patch.rescheduleNeedsConfirmation ?? null,
    ],
  );
  return row ? toVendor(row) : null;
}

export async function listResources(db: Queryable, vendorId: string): Promise<Resource[]> {
  return (
    await db.query<ResourceRow>('SELECT * FROM resources WHERE vendor_id = $1 ORDER BY name, id', [vendorId])
  ).map(toResource);
}
export async function getResource(db: Queryable, id: string): Promise<Resource | null> {
  const [row] = await db.query<ResourceRow>('SELECT * FROM resources WHERE id = $1', [id]);
  return row ? toResource(row) : null;
}
export async function insertResource(db: Queryable, r: Omit<Resource, 'id'>): Promise<Resource> {
  const [row] = await db.query<ResourceRow>(
    `INSERT INTO resources (vendor_id, name, timezone, slot_interval_minutes, weekly_hours, exceptions)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
    [
      r.vendorId,
      r.name,
      r.timezone,
      r.slotIntervalMinutes,
      JSON.stringify(r.weeklyHours),
      JSON.stringify(r.exceptions),
    ],
  );
  return toResource(row!);
}
export async function updateResourceHours(
  db: Queryable,
  id: string,
  weeklyHours: WeeklyHours | undefined,
  exceptions: HoursException[] | undefined,
): Promise<Resource | null> {
  const [row] = await db.query<ResourceRow>(
    `UPDATE resources SET weekly_hours = coalesce($2::jsonb, weekly_hours), exceptions = coalesce($3::jsonb, exceptions)
     WHERE id = $1 RETURNING *`,
    [id, weeklyHours ? JSON.stringify(weeklyHours) : null, exceptions ? JSON.stringify(exceptions) : null],
  );
  return row ? toResource(row) : null;
}

export async function listServices(db: Queryable, vendorId: string): Promise<Service[]> {
  return (await db.query<ServiceRow>(`${SERVICE_SELECT} WHERE s.vendor_id = $1 ORDER BY s.name, s.id`, [vendorId])).map(
    toService,
  );
}
export async function getService(db: Queryable, id: string): Promise<Service | null> {
  const [row] = await db.query<ServiceRow>(`${SERVICE_SELECT} WHERE s.id = $1`, [id]);
  return row ? toService(row) : null;
}
export async function insertService(db: Queryable, s: Omit<Service, 'id'>): Promise<Service> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO services (vendor_id, name, duration_minutes, buffer_before_minutes, buffer_after_minutes, price_minor, currency)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [s.vendorId, s.name, s.durationMinutes, s.bufferBeforeMinutes, s.bufferAfterMinutes, s.priceMinor, s.currency],
  );
  await db.query('INSERT INTO service_resources (service_id, resource_id) SELECT $1, unnest($2::uuid[])', [
    row!.id,
    s.resourceIds,
  ]);
  return (await getService(db, row!.id))!;
}
