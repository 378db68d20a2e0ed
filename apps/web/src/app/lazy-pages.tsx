import { lazy } from 'react';

// Pages most visits never open load on demand, so the first screen of each role stays small (see bundle-size.ts).
export const BookingPage = lazy(() => import('../bookings/BookingPage.js').then((m) => ({ default: m.BookingPage })));
export const ProfilePage = lazy(() => import('../customer/ProfilePage.js').then((m) => ({ default: m.ProfilePage })));
