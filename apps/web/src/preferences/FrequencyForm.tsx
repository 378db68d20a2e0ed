import {
  DIGEST_FREQUENCIES,
  type DigestFrequency,
  NOTIFICATION_CATEGORIES,
  type NotificationCategory,
} from '@slotcast/protocol';
import { useId } from 'react';
import { CATEGORY_LABEL } from '../notifications/NotificationCentre.js';

export const FREQUENCY_LABEL: Record<DigestFrequency, string> = {
  immediate: 'Each one as it happens',
  hourly: 'One summary an hour',
  daily: 'One summary a day (8:00)',
};

/**
 * Staff only: per kind, whether push and email tell of each notification at once or in an hourly or daily summary.
 * Each select is labelled "<Kind>: how often by push and email" and saves as it changes; in the app every one shows.
 */
export function FrequencyForm({
  value,
  onChange,
}: {
  value: Record<NotificationCategory, DigestFrequency>;
  onChange: (category: NotificationCategory, frequency: DigestFrequency) => void;
}) {
  const id = useId();
  return (
    <section className="card prefs-section" aria-labelledby={`${id}-h`} aria-describedby={`${id}-d`}>
      <h2 id={`${id}-h`}>Summaries by push and email</h2>
      <p id={`${id}-d`} className="muted">
        Several notifications within a minute always arrive as one. For busy kinds you can also choose one summary an
        hour or a day; the app still lists each one.
      </p>
      <div className="prefs-frequencies">
        {NOTIFICATION_CATEGORIES.map((category) => (
          <label key={category} className="prefs-frequency">
            <span>{CATEGORY_LABEL[category]}</span>
            <select
              aria-label={`${CATEGORY_LABEL[category]}: how often by push and email`}
              value={value[category]}
              onChange={(e) => onChange(category, e.currentTarget.value as DigestFrequency)}
            >
              {DIGEST_FREQUENCIES.map((f) => (
                <option key={f} value={f}>
                  {FREQUENCY_LABEL[f]}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
    </section>
  );
}
