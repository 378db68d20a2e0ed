/** The insights page's filters live in the URL, so a view can be reloaded and shared. */
export interface InsightsFilters {
  days: '7' | '30' | '90';
  metric: 'made' | 'held';
  /** Admins only: one vendor, or all when absent. */
  vendorId: string | null;
}

export function readFilters(search: string): InsightsFilters {
  const p = new URLSearchParams(search);
  const days = p.get('days');
  const metric = p.get('metric');
  return {
    days: days === '7' || days === '90' ? days : '30',
    metric: metric === 'held' ? 'held' : 'made',
    vendorId: p.get('vendor') || null,
  };
}

export function filtersToSearch(f: InsightsFilters): string {
  const p = new URLSearchParams({ days: f.days, metric: f.metric });
  if (f.vendorId) p.set('vendor', f.vendorId);
  return `?${p}`;
}

/** The local-day range of the last `days` days up to `today`, inclusive. */
export function rangeOf(days: InsightsFilters['days'], today: string): { from: string; to: string } {
  const from = new Date(Date.parse(`${today}T00:00:00Z`) - (Number(days) - 1) * 86_400_000).toISOString().slice(0, 10);
  return { from, to: today };
}
