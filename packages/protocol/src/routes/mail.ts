import { UnsubscribeForm, UnsubscribeQuery } from '../mail.js';
import { defineRoute } from './define-route.js';

const tag = 'notifications';

/**
 * The link in every notification mail's `List-Unsubscribe` header and footer. A GET only shows what the link would
 * do (link scanners follow GETs); the POST, sent by the mail provider (RFC 8058) or the page's button, does it.
 */
export const showUnsubscribe = defineRoute({
  method: 'GET',
  path: '/mail/unsubscribe',
  summary: 'A page that asks to confirm stopping one category of notification mail (changes nothing)',
  tag,
  auth: 'public',
  query: UnsubscribeQuery,
  response: { status: 200, schema: null, html: true, description: 'The confirmation page' },
  errors: ['AUTH_LINK_INVALID', 'NOT_FOUND'],
});

export const unsubscribe = defineRoute({
  method: 'POST',
  path: '/mail/unsubscribe',
  summary: 'One-click unsubscribe (RFC 8058): turns the email channel of the link’s category off for its user',
  tag,
  auth: 'public',
  query: UnsubscribeQuery,
  body: UnsubscribeForm,
  form: true,
  safeToRetry: true,
  response: { status: 200, schema: null, html: true, description: 'Done (also when it was already off)' },
  errors: ['AUTH_LINK_INVALID', 'NOT_FOUND'],
});
