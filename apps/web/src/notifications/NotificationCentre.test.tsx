import type { Notification } from '@slotcast/protocol';
import { act, cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NotificationCentre } from './NotificationCentre.js';
import { NotificationStore } from './notification-store.js';

let seq = 0;
function note(partial: Partial<Notification> & Pick<Notification, 'title' | 'createdAt'>): Notification {
  seq++;
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    bookingId: null,
    sourceEventId: seq,
    category: 'confirmation',
    priority: 1,
    body: `${partial.title} body`,
    readAt: null,
    ...partial,
  };
}

const requestOld = note({ title: 'Old request', category: 'request', priority: 2, createdAt: '2030-01-01T08:00:00Z' });
const confirmed = note({ title: 'Booking confirmed', createdAt: '2030-01-01T10:00:00Z' });
const cancelledRead = note({
  title: 'Booking cancelled',
  category: 'cancellation',
  priority: 2,
  createdAt: '2030-01-01T09:00:00Z',
  readAt: '2030-01-01T09:30:00Z',
});

function setup(items: Notification[] = [requestOld, confirmed, cancelledRead], unreadCount = 2) {
  const store = new NotificationStore();
  store.load({ items, unreadCount, nextCursor: null });
  const actions = {
    markRead: vi.fn(async (id: string) => ({ ...items.find((n) => n.id === id)!, readAt: '2030-01-01T11:00:00Z' })),
    readAll: vi.fn(async () => ({ updated: unreadCount, unreadCount: 0 })),
  };
  render(<NotificationCentre store={store} actions={actions} />);
  return { store, actions, user: userEvent.setup() };
}

const bell = () => screen.getByTestId('notification-bell');
const titles = () =>
  within(screen.getByRole('list', { name: 'Notifications list' }))
    .getAllByRole('listitem')
    .map((li) => li.querySelector('.notif-title')!.textContent!.replace('●', '').trim());

afterEach(cleanup);

describe('NotificationCentre', () => {
  it('shows the unread count on the bell, in its name and in the panel', async () => {
    const { user } = setup();
    expect(bell().getAttribute('aria-label')).toBe('Notifications, 2 unread');
    expect(screen.getByTestId('unread-count').textContent).toBe('2');
    expect(bell().getAttribute('aria-expanded')).toBe('false');
    await user.click(bell());
    expect(bell().getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByTestId('unread-summary').textContent).toBe('2 unread');
  });

  it('lists newest first, or by priority (then newest)', async () => {
    const { user } = setup();
    await user.click(bell());
    expect(titles()).toEqual(['Booking confirmed', 'Booking cancelled', 'Old request']);
    await user.selectOptions(screen.getByLabelText('Sort'), 'priority');
    expect(titles()).toEqual(['Booking cancelled', 'Old request', 'Booking confirmed']);
  });

  it('filters by category and by unread only, and says when nothing matches', async () => {
    const { user } = setup();
    await user.click(bell());
    await user.selectOptions(screen.getByLabelText('Category'), 'cancellation');
    expect(titles()).toEqual(['Booking cancelled']);
    await user.click(screen.getByLabelText('Unread only'));
    expect(screen.getByText('No notifications match these filters.')).toBeTruthy();
    await user.selectOptions(screen.getByLabelText('Category'), '');
    expect(titles()).toEqual(['Booking confirmed', 'Old request']);
  });

  it('says read or unread in words, and marks priority 2 as important', async () => {
    const { user } = setup();
    await user.click(bell());
    const items = within(screen.getByRole('list', { name: 'Notifications list' })).getAllByRole('listitem');
    expect(items.map((li) => li.querySelector('.read-state')!.textContent)).toEqual(['Unread', 'Read', 'Unread']);
    expect(within(items[1]!).getByText('Important')).toBeTruthy();
    expect(within(items[0]!).queryByText('Important')).toBeNull();
  });

  it('marks one read through the API and lowers the count', async () => {
    const { user, actions } = setup();
    await user.click(bell());
    await user.click(screen.getByRole('button', { name: 'Mark read: Booking confirmed' }));
    expect(actions.markRead).toHaveBeenCalledWith(confirmed.id);
    expect(screen.getByTestId('unread-count').textContent).toBe('1');
    expect(bell().getAttribute('aria-label')).toBe('Notifications, 1 unread');
    expect(screen.queryByRole('button', { name: 'Mark read: Booking confirmed' })).toBeNull();
    await user.click(screen.getByLabelText('Unread only'));
    expect(titles()).toEqual(['Old request']);
  });

  it('marks all read and clears the badge', async () => {
    const { user, actions } = setup();
    await user.click(bell());
    await user.click(screen.getByRole('button', { name: 'Mark all read' }));
    expect(actions.readAll).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('unread-count')).toBeNull();
    expect(bell().getAttribute('aria-label')).toBe('Notifications, 0 unread');
    expect(screen.getByTestId('unread-summary').textContent).toBe('All read');
    expect(screen.getByRole('status').textContent).toBe('2 notifications marked read.');
    expect((screen.getByRole('button', { name: 'Mark all read' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('follows reads and new notifications from other tabs live', async () => {
    const { user, store } = setup();
    await user.click(bell());
    // Another tab marked the request read: the private notification.read event carries the server's count.
    act(() => store.read({ ids: [requestOld.id], all: false, readAt: '2030-01-01T12:00:00Z', unreadCount: 1 }));
    expect(screen.getByTestId('unread-count').textContent).toBe('1');
    expect(screen.queryByRole('button', { name: 'Mark read: Old request' })).toBeNull();
    const fresh = note({
      title: 'Booking declined',
      category: 'decline',
      priority: 2,
      createdAt: '2030-01-01T13:00:00Z',
    });
    act(() => store.created({ notification: fresh, unreadCount: 2 }));
    expect(titles()[0]).toBe('Booking declined');
    expect(screen.getByTestId('unread-count').textContent).toBe('2');
    act(() => store.read({ ids: [], all: true, readAt: '2030-01-01T14:00:00Z', unreadCount: 0 }));
    expect(screen.queryByTestId('unread-count')).toBeNull();
  });

  it('closes with Escape and gives focus back to the bell', async () => {
    const { user } = setup();
    await user.click(bell());
    await user.click(screen.getByLabelText('Unread only'));
    await user.keyboard('{Escape}');
    expect(bell().getAttribute('aria-expanded')).toBe('false');
    expect(screen.getByTestId('notification-panel').hidden).toBe(true);
    expect(document.activeElement).toBe(bell());
  });

  it('reports a failed mark-read without changing the count', async () => {
    const { user, actions } = setup();
    actions.markRead.mockRejectedValueOnce(new Error('offline'));
    await user.click(bell());
    await user.click(screen.getByRole('button', { name: 'Mark read: Booking confirmed' }));
    expect(screen.getByRole('alert').textContent).toContain('Could not mark it read');
    expect(screen.getByTestId('unread-count').textContent).toBe('2');
  });
});
