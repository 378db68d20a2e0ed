import {
  type DigestFrequency,
  NOTIFICATION_CATEGORIES,
  NOTIFICATION_CHANNELS,
  type NotificationCategory,
  type NotificationChannel,
  type NotificationPreferences,
  type QuietHours,
} from '@slotcast/protocol';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { CATEGORY_LABEL } from '../notifications/NotificationCentre.js';
import { describeError } from '../ui/describe-error.js';
import { PageHeading } from '../ui/PageHeading.js';
import { FREQUENCY_LABEL, FrequencyForm } from './FrequencyForm.js';
import { nextQuietPeriod } from './quiet-preview.js';
import './preferences-screen.css';

export interface PreferencesPatch {
  settings?: { category: NotificationCategory; channel: NotificationChannel; enabled: boolean | null }[];
  quietHours?: QuietHours;
  reminderOffsetsMinutes?: number[] | null;
  frequencies?: { category: NotificationCategory; frequency: DigestFrequency }[];
}

export interface PreferencesActions {
  load(): Promise<NotificationPreferences>;
  save(patch: PreferencesPatch): Promise<NotificationPreferences>;
}

export const CHANNEL_LABEL: Record<NotificationChannel, string> = {
  in_app: 'In the app',
  push: 'Push',
  email: 'Email',
};
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const REMINDER_CHOICES = [
  { minutes: 2880, label: '2 days before' },
  { minutes: 1440, label: '1 day before' },
  { minutes: 120, label: '2 hours before' },
  { minutes: 30, label: '30 minutes before' },
];
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * Notification preferences: a matrix of kinds × channels (each cell a labelled checkbox, saved as it changes), quiet
 * hours with a preview of the next quiet period in the chosen zone, reminder times, and (staff) hourly/daily summaries.
 */
export function PreferencesScreen({ actions, now = Date.now }: { actions: PreferencesActions; now?: () => number }) {
  const [prefs, setPrefs] = useState<NotificationPreferences | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    actions.load().then(setPrefs, (e) => setError(describeError(e)));
  }, [actions]);

  const save = async (patch: PreferencesPatch, done: string) => {
    setError(null);
    try {
      setPrefs(await actions.save(patch));
      setStatus(done);
    } catch (e) {
      setError(describeError(e));
    }
  };

  if (!prefs) {
    return error ? (
      <p role="alert">{error}</p>
    ) : (
      <p className="muted" role="status">
        Loading…
      </p>
    );
  }
  return (
    <div className="prefs">
      <PageHeading>Notifications</PageHeading>
      <p className="prefs-status" role="status">
        {status}
      </p>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      <ChannelMatrix
        prefs={prefs}
        onToggle={(category, channel, enabled) =>
          save(
            { settings: [{ category, channel, enabled }] },
            `${CATEGORY_LABEL[category]}: ${CHANNEL_LABEL[channel]} ${enabled ? 'on' : 'off'}`,
          )
        }
      />
      {prefs.frequencies && (
        <FrequencyForm
          value={prefs.frequencies}
          onChange={(category, frequency) =>
            save(
              { frequencies: [{ category, frequency }] },
              `${CATEGORY_LABEL[category]}: ${FREQUENCY_LABEL[frequency]}`,
            )
          }
        />
      )}
      <QuietHoursForm
        key={JSON.stringify(prefs.quietHours)}
        value={prefs.quietHours}
        now={now}
        onSave={(quietHours) => save({ quietHours }, 'Quiet hours saved')}
      />
      <ReminderForm
        key={JSON.stringify(prefs.reminderOffsetsMinutes)}
        value={prefs.reminderOffsetsMinutes}
        onSave={(offsets) => save({ reminderOffsetsMinutes: offsets }, 'Reminder times saved')}
      />
    </div>
  );
}

function ChannelMatrix({
  prefs,
  onToggle,
}: {
  prefs: NotificationPreferences;
  onToggle: (category: NotificationCategory, channel: NotificationChannel, enabled: boolean) => void;
}) {
  return (
    <section className="card prefs-section">
      <table className="prefs-matrix">
        <caption>How each kind of notification reaches you</caption>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            {NOTIFICATION_CHANNELS.map((c) => (
              <th scope="col" key={c}>
                {CHANNEL_LABEL[c]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {NOTIFICATION_CATEGORIES.map((category) => (
            <tr key={category}>
              <th scope="row">{CATEGORY_LABEL[category]}</th>
              {NOTIFICATION_CHANNELS.map((channel) => (
                <td key={channel}>
                  <input
                    type="checkbox"
                    aria-label={`${CATEGORY_LABEL[category]} by ${CHANNEL_LABEL[channel]}`}
                    checked={prefs.effective[category][channel]}
                    onChange={(e) => onToggle(category, channel, e.currentTarget.checked)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function QuietHoursForm({
  value,
  now,
  onSave,
}: {
  value: QuietHours;
  now: () => number;
  onSave: (q: QuietHours) => void;
}) {
  const id = useId();
  const first = value.windows[0];
  const [timeZone, setTimeZone] = useState(value.windows.length ? value.timeZone : browserZone());
  const [days, setDays] = useState<number[]>(first?.days ?? []);
  const [start, setStart] = useState(first?.start ?? '22:00');
  const [end, setEnd] = useState(first?.end ?? '07:00');
  const [urgent, setUrgent] = useState(value.urgentWithinHours?.toString() ?? '');

  const zoneValid = (() => {
    try {
      new Intl.DateTimeFormat('en', { timeZone });
      return true;
    } catch {
      return false;
    }
  })();
  const draft: QuietHours = {
    timeZone,
    windows: days.length ? [{ days: [...days].sort(), start, end }] : [],
    urgentWithinHours: urgent ? Number(urgent) : null,
  };
  const next = zoneValid ? nextQuietPeriod(draft, now()) : null;
  const fmt = (ms: number) =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(ms);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSave(draft);
  };
  return (
    <section className="card prefs-section" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Quiet hours</h2>
      <p className="muted">
        Push and email wait until quiet hours end and arrive as one summary. The app list still fills.
      </p>
      <form onSubmit={submit}>
        <fieldset className="prefs-days">
          <legend>Quiet on</legend>
          {WEEKDAYS.map((name, i) => (
            <label key={name} className="checkbox">
              <input
                type="checkbox"
                checked={days.includes(i + 1)}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  setDays((d) => (on ? [...d, i + 1] : d.filter((x) => x !== i + 1)));
                }}
              />
              {name}
            </label>
          ))}
        </fieldset>
        <div className="form-row">
          <label htmlFor={`${id}-start`}>From</label>
          <input
            id={`${id}-start`}
            type="time"
            required
            value={start}
            onChange={(e) => setStart(e.currentTarget.value)}
          />
          <label htmlFor={`${id}-end`}>Until</label>
          <input id={`${id}-end`} type="time" required value={end} onChange={(e) => setEnd(e.currentTarget.value)} />
        </div>
        <div className="form-row">
          <label htmlFor={`${id}-zone`}>Time zone</label>
          <input
            id={`${id}-zone`}
            value={timeZone}
            aria-invalid={!zoneValid}
            aria-describedby={`${id}-preview`}
            onChange={(e) => setTimeZone(e.currentTarget.value)}
          />
        </div>
        <div className="form-row">
          <label htmlFor={`${id}-urgent`}>
            Let urgent changes through (booking starts within, hours; empty: never)
          </label>
          <input
            id={`${id}-urgent`}
            type="number"
            min={1}
            max={168}
            value={urgent}
            onChange={(e) => setUrgent(e.currentTarget.value)}
          />
        </div>
        <p id={`${id}-preview`} className="prefs-preview" aria-live="polite">
          {!zoneValid
            ? 'Not a time zone this browser knows.'
            : next
              ? `Next quiet period: ${fmt(next.start)} – ${fmt(next.end)} (${timeZone})`
              : 'No quiet hours.'}
        </p>
        <button type="submit" className="button button-primary" disabled={!zoneValid}>
          Save quiet hours
        </button>
      </form>
    </section>
  );
}

function ReminderForm({ value, onSave }: { value: number[] | null; onSave: (offsets: number[] | null) => void }) {
  const id = useId();
  const [vendorDefault, setVendorDefault] = useState(value === null);
  const [chosen, setChosen] = useState<number[]>(value ?? [1440, 120]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSave(vendorDefault ? null : chosen);
  };
  return (
    <section className="card prefs-section" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Reminders before a booking</h2>
      <form onSubmit={submit}>
        <label className="checkbox">
          <input type="checkbox" checked={vendorDefault} onChange={(e) => setVendorDefault(e.currentTarget.checked)} />
          Use the times the business suggests
        </label>
        <fieldset disabled={vendorDefault} className="prefs-days">
          <legend>Remind me</legend>
          {REMINDER_CHOICES.map((c) => (
            <label key={c.minutes} className="checkbox">
              <input
                type="checkbox"
                checked={chosen.includes(c.minutes)}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  setChosen((s) => (on ? [...s, c.minutes] : s.filter((m) => m !== c.minutes)));
                }}
              />
              {c.label}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="button button-primary">
          Save reminder times
        </button>
      </form>
    </section>
  );
}
