import { z } from 'zod';
import type { NotificationCategory } from './notifications.js';

/**
 * The message catalogue: every email Slotcast sends, as plain text and HTML, built from the same fields. The mailer
 * (server) renders these; nothing else writes mail bodies.
 */
export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(lines: string[], link: { href: string; label: string }): string {
  const paragraphs = lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('');
  return (
    `<!doctype html><html><body style="font-family:sans-serif">${paragraphs}` +
    `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p></body></html>`
  );
}

export const MAILS = {
  verifyEmail: (p: { name: string; link: string; validHours: number }): MailContent => {
    const lines = [`Hello ${p.name},`, 'Please confirm this email address for your Slotcast account.'];
    const after = `The link works for ${p.validHours} hours. If you did not sign up, ignore this email.`;
    return {
      subject: 'Confirm your email address',
      text: `${lines.join('\n\n')}\n\n${p.link}\n\n${after}\n`,
      html: page([...lines, after], { href: p.link, label: 'Confirm my email address' }),
    };
  },
  resetPassword: (p: { name: string; link: string; validMinutes: number }): MailContent => {
    const lines = [`Hello ${p.name},`, 'Someone asked to reset the password of your Slotcast account.'];
    const after =
      `The link works once, for ${p.validMinutes} minutes. Choosing a new password signs out every device. ` +
      'If it was not you, ignore this email: your password stays as it is.';
    return {
      subject: 'Reset your password',
      text: `${lines.join('\n\n')}\n\n${p.link}\n\n${after}\n`,
      html: page([...lines, after], { href: p.link, label: 'Choose a new password' }),
    };
  },
} as const;

/** How a category is named in mails and on the unsubscribe page ("emails about booking confirmations"). */
export const MAIL_CATEGORY_LABEL: Record<NotificationCategory, string> = {
  request: 'new booking requests',
  confirmation: 'booking confirmations',
  decline: 'declined requests',
  cancellation: 'cancellations',
  change: 'booking changes',
  expiry: 'expired requests',
  reminder: 'booking reminders',
  attendance: 'check-ins and no-shows',
  system: 'account and service messages',
};

/** The one-click unsubscribe link's query: the signed token says who, which category and which channel. */
export const UnsubscribeQuery = z.strictObject({ token: z.string().min(16).max(2048) });
/** RFC 8058: the mail provider posts exactly this key and value (the confirmation page's button does too). */
export const UnsubscribeForm = z.looseObject({ 'List-Unsubscribe': z.literal('One-Click') });
export const UNSUBSCRIBE_FORM_VALUE = { 'List-Unsubscribe': 'One-Click' } as const;

export interface NotificationMailParams {
  name: string;
  title: string;
  body: string;
  /** "Tue 3 Dec 2026, 14:00–15:00 (Europe/Berlin)", in the recipient's zone; null without a booking. */
  when: string | null;
  where: string | null;
  /** The booking's page, or the bookings list for a digest. */
  link: { href: string; label: string } | null;
  preferencesLink: string;
  /** Only when the mail is about one category. */
  unsubscribe: { href: string; category: NotificationCategory } | null;
  /** An .ics file is attached (confirmed or moved: add it to a calendar; cancelled: remove it). */
  calendar: 'add' | 'update' | 'remove' | null;
}

const CALENDAR_LINE = {
  add: 'The attached calendar file adds this booking to your calendar.',
  update: 'The attached calendar file moves this booking in your calendar.',
  remove: 'The attached calendar file removes this booking from your calendar.',
} as const;

function notificationMail(p: NotificationMailParams): MailContent {
  const facts = [p.when && `When: ${p.when}`, p.where && `Where: ${p.where}`].filter((x): x is string => !!x);
  const calendar = p.calendar ? CALENDAR_LINE[p.calendar] : null;
  const why = p.unsubscribe
    ? `You get this email because emails about ${MAIL_CATEGORY_LABEL[p.unsubscribe.category]} are on.`
    : 'You get this email because some of your notifications are sent by email.';
  const text = [
    `Hello ${p.name},`,
    p.body,
    ...(facts.length ? [facts.join('\n')] : []),
    ...(p.link ? [`${p.link.label}: ${p.link.href}`] : []),
    ...(calendar ? [calendar] : []),
    '--',
    why,
    ...(p.unsubscribe ? [`Stop these emails: ${p.unsubscribe.href}`] : []),
    `Choose which notifications you get: ${p.preferencesLink}`,
  ].join('\n\n');
  const a = (href: string, label: string) => `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(p.title)}</title></head>` +
    '<body style="font-family:sans-serif;line-height:1.5;color:#1a1a1a;background:#ffffff">' +
    `<main><h1 style="font-size:1.25em">${escapeHtml(p.title)}</h1>` +
    `<p>${escapeHtml(`Hello ${p.name},`)}</p><p>${escapeHtml(p.body)}</p>` +
    (facts.length ? `<ul>${facts.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>` : '') +
    (p.link ? `<p>${a(p.link.href, p.link.label)}</p>` : '') +
    (calendar ? `<p>${escapeHtml(calendar)}</p>` : '') +
    '</main><footer style="font-size:0.9em;color:#444444">' +
    `<p>${escapeHtml(why)}</p><p>` +
    (p.unsubscribe ? `${a(p.unsubscribe.href, 'Stop these emails')} · ` : '') +
    `${a(p.preferencesLink, 'Choose which notifications you get')}</p></footer></body></html>`;
  return { subject: p.title, text: `${text}\n`, html };
}

/** Notification mails (one booking, or a digest of several) are built here, with their compliance footer. */
export const NOTIFICATION_MAILS = {
  single: notificationMail,
  digest: (p: Omit<NotificationMailParams, 'when' | 'where' | 'calendar'>) =>
    notificationMail({ ...p, when: null, where: null, calendar: null }),
} as const;

function smallPage(title: string, body: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(title)} · Slotcast</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main>` +
    '</body></html>'
  );
}

/** The pages the unsubscribe link shows (server-rendered: the link's token never reaches the web app's scripts). */
export const UNSUBSCRIBE_PAGES = {
  /** GET: changes nothing (link scanners follow GETs); the button posts the RFC 8058 form to the same link. */
  confirm: (p: { category: NotificationCategory; action: string; preferencesLink: string }) =>
    smallPage(
      'Stop these emails?',
      `<p>${escapeHtml(`You will no longer get emails about ${MAIL_CATEGORY_LABEL[p.category]}.`)} ` +
        'Other notifications stay as they are.</p>' +
        `<form method="post" action="${escapeHtml(p.action)}">` +
        '<input type="hidden" name="List-Unsubscribe" value="One-Click">' +
        '<button type="submit">Stop these emails</button></form>' +
        `<p><a href="${escapeHtml(p.preferencesLink)}">Choose which notifications you get</a></p>`,
    ),
  done: (p: { category: NotificationCategory; preferencesLink: string }) =>
    smallPage(
      'You are unsubscribed',
      `<p>${escapeHtml(`You will no longer get emails about ${MAIL_CATEGORY_LABEL[p.category]}.`)}</p>` +
        `<p><a href="${escapeHtml(p.preferencesLink)}">Choose which notifications you get</a></p>`,
    ),
} as const;
