import type { Plugin } from 'vite';

const ROUTE_FILE = /packages\/protocol\/src\/routes\/[^/]+\.ts$/;
// A route's `summary: '…'` and its response's `description: '…'` (one string literal each; line breaks kept).
const DOC_TEXT = /(\b(?:summary|description):\s*)('(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*")/g;

/**
 * Route summaries and response descriptions are the server's OpenAPI text: the SDK never reads them, yet every
 * route's would ride in the initial bundle with `ROUTES`. The web build empties them, so a new route costs the
 * browser its path and schemas only.
 */
export function stripRouteDocs(): Plugin {
  return {
    name: 'slotcast-strip-route-docs',
    enforce: 'pre',
    apply: 'build',
    transform(code, id) {
      if (!ROUTE_FILE.test(id.split('?')[0]!)) return null;
      return { code: code.replace(DOC_TEXT, "$1''"), map: null };
    },
  };
}
