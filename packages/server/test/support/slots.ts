/**
 * Hands out distinct hour-long slots on the world's 24/7, 30-minute grid, from `firstDay` days ahead on, so the many
 * bookings of one suite never collide unless a test means them to.
 */
export function slotAllocator(firstDay = 2): () => string {
  const base = new Date();
  base.setUTCHours(0, 0, 0, 0);
  let n = 0;
  return () => {
    const day = firstDay + Math.floor(n / 24);
    const hour = n % 24;
    n++;
    return new Date(base.getTime() + (day * 24 + hour) * 3_600_000).toISOString();
  };
}
