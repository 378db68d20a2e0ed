import type { Received } from '@slotcast/protocol';
import { useEffect, useState } from 'react';
import { useSdk } from '../../sdk/slotcast-context.js';

/**
 * The newest sample of every node, as the server pushes them to the admin room (nothing is polled), and the time,
 * which moves each second so a node that stops sending turns red without a new message.
 */
export function useOpsSamples(): { samples: ReadonlyMap<string, Received>; now: number } {
  const sdk = useSdk();
  const [samples, setSamples] = useState<ReadonlyMap<string, Received>>(new Map());
  const [now, setNow] = useState(() => Date.now());
  useEffect(
    () =>
      sdk.realtime.on('opsSample', (s) => {
        const at = Date.now();
        setSamples((prev) => new Map(prev).set(s.node, { sample: s, receivedAt: at }));
        setNow(at);
      }),
    [sdk],
  );
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return { samples, now };
}
