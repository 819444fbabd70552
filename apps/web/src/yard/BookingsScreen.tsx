import { lazy } from 'react';
import { usePath } from '../router';

const BookingForm = lazy(() => import('./BookingForm'));
const MyBookings = lazy(() => import('./MyBookings'));

/** /buchungen: the own bookings; /buchungen/neu: the booking form. */
export default function BookingsScreen() {
  const path = usePath();
  return path.startsWith('/buchungen/neu') ? <BookingForm /> : <MyBookings />;
}
