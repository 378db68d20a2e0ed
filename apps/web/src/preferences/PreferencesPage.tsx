import { useMemo } from 'react';
import { useSdk } from '../sdk/slotcast-context.js';
import { type PreferencesActions, PreferencesScreen } from './PreferencesScreen.js';

/** `/settings/notifications` for every role: the screen on the SDK's preference routes. */
export default function PreferencesPage() {
  const sdk = useSdk();
  const actions = useMemo<PreferencesActions>(
    () => ({
      load: () => sdk.api.notifications.preferences(),
      save: (patch) => sdk.api.notifications.updatePreferences(patch),
    }),
    [sdk],
  );
  return <PreferencesScreen actions={actions} />;
}
