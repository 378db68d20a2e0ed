import { Link } from '../app/router.js';
import { PageHeading } from './PageHeading.js';

/** A page that is not there (or a booking the reader may not see: the server does not say which). */
export function NotFoundPage({ what = 'page' }: { what?: string }) {
  return (
    <section className="not-found" data-testid="not-found">
      <PageHeading>{what === 'page' ? 'Page not found' : `No such ${what}`}</PageHeading>
      <p>
        {what === 'page'
          ? 'There is nothing at this address. It may have moved, or the link may be mistyped.'
          : `This ${what} does not exist, or your account cannot see it.`}
      </p>
      <p>
        <Link to="/" className="button">
          Go to the start page
        </Link>
      </p>
    </section>
  );
}
