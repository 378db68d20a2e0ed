/**
 * Loopback source addresses for the load generator's connections: 127.0.0.11, 127.0.0.12, … then 127.0.1.1, … (all
 * of 127.0.0.0/8 reaches the loopback interface on Linux). Each address has its own ephemeral port range (~28,000
 * ports), so many sockets, and those a reconnect storm leaves in TIME_WAIT, do not run out of ports.
 */
export function loopbackAddresses(count: number, first = 11): string[] {
  if (!(Number.isInteger(count) && count >= 1 && count <= 60_000)) throw new RangeError('count must be 1..60000');
  if (!(Number.isInteger(first) && first >= 1 && first <= 250)) throw new RangeError('first must be 1..250');
  return Array.from({ length: count }, (_, i) => {
    const n = first - 1 + i;
    return `127.0.${Math.floor(n / 250)}.${(n % 250) + 1}`;
  });
}
