import {
  batteryIsLow,
  type ConnectionConditions,
  ConnectionPolicy,
  networkKind,
  type RealtimeClient,
} from '@slotcast/client';

/** A shorter "hidden → close" threshold for this browser (ms); the default is the SDK's documented 60 s. */
export const CLOSE_HIDDEN_AFTER_KEY = 'slotcast:close-hidden-after-ms';

interface NetworkInformationLike extends EventTarget {
  type?: string;
  effectiveType?: string;
  saveData?: boolean;
}
interface BatteryLike extends EventTarget {
  charging: boolean;
  level: number;
}

function network(): ConnectionConditions['network'] {
  const c = (navigator as { connection?: NetworkInformationLike }).connection;
  return networkKind({ onLine: navigator.onLine, type: c?.type, effectiveType: c?.effectiveType });
}

/** Push reaches this device: permission granted and the service worker holds a subscription. */
async function pushEnabled(): Promise<boolean> {
  if (!('Notification' in window) || Notification.permission !== 'granted' || !('serviceWorker' in navigator)) {
    return false;
  }
  const registration = await navigator.serviceWorker.ready;
  return Boolean(await registration.pushManager?.getSubscription());
}

function closeHiddenAfterMs(): number | undefined {
  try {
    const v = Number(localStorage.getItem(CLOSE_HIDDEN_AFTER_KEY));
    return Number.isFinite(v) && v > 0 ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Feeds the SDK's battery-aware policy from the page (Page Visibility, online/offline, Network Information and
 * Battery APIs where they exist, the push subscription): hidden long enough with push on → the socket closes and
 * push tells the user; visible again → it reconnects with its cursor and replays what was missed. Returns a stop.
 */
export function watchPageConnection(
  realtime: Pick<RealtimeClient, 'start' | 'stop' | 'setHeartbeat' | 'setBackoff' | 'checkNow'>,
): () => void {
  const connection = (navigator as { connection?: NetworkInformationLike }).connection;
  const after = closeHiddenAfterMs();
  const policy = new ConnectionPolicy(
    realtime,
    {
      visible: document.visibilityState === 'visible',
      pushEnabled: false,
      network: network(),
      saveData: connection?.saveData === true,
      batteryLow: false,
    },
    after === undefined ? {} : { settings: { closeHiddenAfterMs: after } },
  );
  let stopped = false;
  const refreshPush = () =>
    void pushEnabled()
      .then((enabled) => {
        if (!stopped) policy.update({ pushEnabled: enabled });
      })
      .catch(() => {});
  const onVisibility = () => {
    const visible = document.visibilityState === 'visible';
    policy.update({ visible });
    // A socket kept open while hidden may have died with the radio asleep: find out now, not at the next beat.
    if (visible && !policy.sleeping) void realtime.checkNow();
    // Push may have been turned on or off meanwhile (in this tab's banner, or the browser's settings).
    refreshPush();
  };
  const onNetwork = () => policy.update({ network: network(), saveData: connection?.saveData === true });
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('online', onNetwork);
  window.addEventListener('offline', onNetwork);
  connection?.addEventListener('change', onNetwork);
  refreshPush();
  let battery: BatteryLike | null = null;
  const onBattery = () => {
    if (battery) policy.update({ batteryLow: batteryIsLow(battery) });
  };
  const getBattery = (navigator as { getBattery?: () => Promise<BatteryLike> }).getBattery;
  void getBattery
    ?.call(navigator)
    .then((b) => {
      if (stopped) return;
      battery = b;
      b.addEventListener('levelchange', onBattery);
      b.addEventListener('chargingchange', onBattery);
      onBattery();
    })
    .catch(() => {});
  return () => {
    stopped = true;
    policy.dispose();
    document.removeEventListener('visibilitychange', onVisibility);
    window.removeEventListener('online', onNetwork);
    window.removeEventListener('offline', onNetwork);
    connection?.removeEventListener('change', onNetwork);
    battery?.removeEventListener('levelchange', onBattery);
    battery?.removeEventListener('chargingchange', onBattery);
  };
}
