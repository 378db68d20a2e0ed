import type { NotificationPreferences } from '@slotcast/protocol';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { focusHeadingOnNextPage } from '../ui/PageHeading.js';
import { type PreferencesPatch, PreferencesScreen } from './PreferencesScreen.js';

const row = (on: boolean, push = on, email = on) => ({ in_app: on, push, email });
const PREFS: NotificationPreferences = {
  effective: {
    request: row(true, false, false),
    confirmation: row(true),
    decline: row(true),
    cancellation: row(true),
    change: row(true),
    expiry: row(true),
    reminder: row(true),
    attendance: row(true, false, false),
    system: row(true, false, false),
  },
  own: [],
  quietHours: {
    timeZone: 'America/New_York',
    windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '07:00' }],
    urgentWithinHours: null,
  },
  reminderOffsetsMinutes: null,
};

function setup(initial: NotificationPreferences = PREFS) {
  let current = structuredClone(initial);
  const actions = {
    load: vi.fn(async () => current),
    save: vi.fn(async (patch: PreferencesPatch) => {
      current = structuredClone(current);
      for (const s of patch.settings ?? []) current.effective[s.category][s.channel] = s.enabled ?? false;
      if (patch.quietHours) current.quietHours = patch.quietHours;
      if (patch.reminderOffsetsMinutes !== undefined) current.reminderOffsetsMinutes = patch.reminderOffsetsMinutes;
      for (const f of patch.frequencies ?? []) current.frequencies![f.category] = f.frequency;
      return current;
    }),
  };
  // 2030-11-02 14:00 in New York, the day before the fall DST change.
  const view = render(<PreferencesScreen actions={actions} now={() => Date.parse('2030-11-02T18:00:00Z')} />);
  return { actions, view, user: userEvent.setup() };
}

/**
 * The loaded screen, its heading focused. The heading takes focus in an effect that may run after the matrix is in
 * the DOM; a test that focuses or types before it would lose its keys to the heading, as no user could.
 */
async function loaded(): Promise<void> {
  const heading = await screen.findByRole('heading', { level: 1, name: 'Notifications' });
  await vi.waitFor(() => expect(document.activeElement).toBe(heading));
}

afterEach(cleanup);
// The app's first page keeps focus where the browser put it; every later one focuses its heading. Here the screen is
// always a later page, whichever test runs first or alone.
beforeAll(focusHeadingOnNextPage);

describe('PreferencesScreen', () => {
  it('labels every cell of the matrix for screen readers and shows what applies', async () => {
    setup();
    await screen.findByRole('table', { name: 'How each kind of notification reaches you' });
    expect(screen.getAllByRole('checkbox', { name: / by (In the app|Push|Email)$/ })).toHaveLength(27);
    expect((screen.getByRole('checkbox', { name: 'Confirmation by Email' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('checkbox', { name: 'Request by Push' }) as HTMLInputElement).checked).toBe(false);
  });

  it('toggles a cell from the keyboard and saves that one cell', async () => {
    const { actions, user } = setup();
    await loaded();
    const cell = screen.getByRole('checkbox', { name: 'Reminder by Email' });
    cell.focus();
    expect(document.activeElement).toBe(cell);
    await user.keyboard(' ');
    expect(actions.save).toHaveBeenCalledWith({
      settings: [{ category: 'reminder', channel: 'email', enabled: false }],
    });
    await vi.waitFor(() =>
      expect((screen.getByRole('checkbox', { name: 'Reminder by Email' }) as HTMLInputElement).checked).toBe(false),
    );
    expect(screen.getByRole('status').textContent).toBe('Reminder: Email off');
  });

  it('previews the next quiet period in the chosen zone, across the DST change', async () => {
    setup();
    // 22:00 EDT on Saturday until 07:00 EST on Sunday: nine wall-clock hours, ten real ones.
    expect((await screen.findByText(/^Next quiet period:/)).textContent).toBe(
      'Next quiet period: Sat 2 Nov, 22:00 – Sun 3 Nov, 07:00 (America/New_York)',
    );
  });

  it('saves quiet hours and reminder times', async () => {
    const { actions, user } = setup();
    await loaded();
    await user.click(screen.getByRole('checkbox', { name: 'Saturday' }));
    await user.click(screen.getByRole('checkbox', { name: 'Sunday' }));
    await user.type(screen.getByLabelText(/Let urgent changes through/), '3');
    await user.click(screen.getByRole('button', { name: 'Save quiet hours' }));
    expect(actions.save).toHaveBeenLastCalledWith({
      quietHours: {
        timeZone: 'America/New_York',
        windows: [{ days: [1, 2, 3, 4, 5], start: '22:00', end: '07:00' }],
        urgentWithinHours: 3,
      },
    });
    await user.click(screen.getByRole('checkbox', { name: 'Use the times the business suggests' }));
    await user.click(screen.getByRole('checkbox', { name: '2 hours before' }));
    await user.click(screen.getByRole('button', { name: 'Save reminder times' }));
    expect(actions.save).toHaveBeenLastCalledWith({ reminderOffsetsMinutes: [1440] });
  });

  it('offers staff an hourly or daily summary per kind, saved as it changes, and shows customers none', async () => {
    const immediate = Object.fromEntries(Object.keys(PREFS.effective).map((c) => [c, 'immediate'])) as NonNullable<
      NotificationPreferences['frequencies']
    >;
    const { actions, user } = setup({ ...PREFS, frequencies: immediate });
    const select = await screen.findByRole('combobox', { name: 'Request: how often by push and email' });
    await user.selectOptions(select, 'One summary an hour');
    expect(actions.save).toHaveBeenLastCalledWith({ frequencies: [{ category: 'request', frequency: 'hourly' }] });
    await vi.waitFor(() => expect((select as HTMLSelectElement).value).toBe('hourly'));
    expect(screen.getByRole('status').textContent).toBe('Request: One summary an hour');
    cleanup();
    setup();
    await screen.findByRole('table');
    expect(screen.queryByRole('combobox', { name: /how often by push and email/ })).toBeNull();
  });

  it('has no accessibility violations axe can find in the DOM', async () => {
    const immediate = Object.fromEntries(Object.keys(PREFS.effective).map((c) => [c, 'immediate'])) as NonNullable<
      NotificationPreferences['frequencies']
    >;
    const { view } = setup({ ...PREFS, frequencies: immediate });
    await screen.findByRole('table');
    // Colour contrast needs layout, which the simulated DOM has not; the browser suite checks it.
    const result = await axe.run(view.container, { rules: { 'color-contrast': { enabled: false } } });
    expect(result.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });
});
