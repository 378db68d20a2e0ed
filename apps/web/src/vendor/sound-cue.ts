import { useCallback, useEffect, useRef, useState } from 'react';

const KEY = 'slotcast:sound-cue';

type AudioContextCtor = typeof AudioContext;

/**
 * A short two-tone chime for new booking requests, through Web Audio (no file to load). Off by default and only
 * ever an extra: a new request is always highlighted and listed, and the notification centre counts it too.
 */
export function useSoundCue(): { enabled: boolean; toggle: () => void; play: () => void; supported: boolean } {
  const Ctor: AudioContextCtor | undefined =
    typeof window === 'undefined'
      ? undefined
      : (window.AudioContext ?? (window as unknown as { webkitAudioContext?: AudioContextCtor }).webkitAudioContext);
  const [enabled, setEnabled] = useState(() => {
    try {
      return localStorage.getItem(KEY) === 'on';
    } catch {
      return false;
    }
  });
  const ctx = useRef<AudioContext | null>(null);

  useEffect(() => {
    try {
      localStorage.setItem(KEY, enabled ? 'on' : 'off');
    } catch {
      // Not remembered across reloads; it still works in this page.
    }
  }, [enabled]);

  useEffect(() => () => void ctx.current?.close().catch(() => {}), []);

  const toggle = useCallback(() => {
    setEnabled((on) => {
      // Browsers let audio start only from a user gesture: this click is the one.
      if (!on && Ctor && !ctx.current) ctx.current = new Ctor();
      void ctx.current?.resume().catch(() => {});
      return !on;
    });
  }, [Ctor]);

  const play = useCallback(() => {
    if (!enabled || !Ctor) return;
    ctx.current ??= new Ctor();
    const ac = ctx.current;
    const t = ac.currentTime;
    for (const [i, freq] of [660, 880].entries()) {
      const osc = ac.createOscillator();
      const gain = ac.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      const start = t + i * 0.16;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.2, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.3);
      osc.connect(gain).connect(ac.destination);
      osc.start(start);
      osc.stop(start + 0.32);
    }
  }, [enabled, Ctor]);

  return { enabled, toggle, play, supported: Ctor !== undefined };
}
