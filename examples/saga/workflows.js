import { ApplicationFailure, proxyActivities } from 'duraflow/workflow';

const acts = proxyActivities({ startToCloseTimeout: '10 seconds', retry: { maximumAttempts: 2, initialInterval: '100ms' } });

/** A trip booking: every step that succeeded is compensated, in reverse order, if a later one fails. */
export async function bookTrip(trip) {
  const compensations = [];
  try {
    await acts.bookFlight(trip);
    compensations.unshift(() => acts.cancelFlight(trip));
    await acts.bookHotel(trip);
    compensations.unshift(() => acts.cancelHotel(trip));
    await acts.bookCar(trip); // fails when trip.failCar is set
    compensations.unshift(() => acts.cancelCar(trip));
    return 'booked';
  } catch (err) {
    for (const compensate of compensations) await compensate();
    throw ApplicationFailure.nonRetryable(`trip not booked: ${err.cause?.message ?? err.message}`, 'TripFailed');
  }
}
