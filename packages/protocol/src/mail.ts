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
