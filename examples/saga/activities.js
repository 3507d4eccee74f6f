export const log = [];
const step = (name) => async () => void log.push(name);

export const bookFlight = step('book flight');
export const bookHotel = step('book hotel');
export const cancelFlight = step('cancel flight');
export const cancelHotel = step('cancel hotel');
export const cancelCar = step('cancel car');
export async function bookCar(trip) {
  if (trip.failCar) throw new Error('no cars left');
  log.push('book car');
}
