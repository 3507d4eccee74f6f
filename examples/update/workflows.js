import { condition, defineSignal, defineUpdate, setHandler } from 'duraflow/workflow';

export const reserve = defineUpdate('reserve');
export const close = defineSignal('close');

/** Seats are reserved by updates: validated before they are accepted, answered with the seat number. */
export async function venue(capacity) {
  const seats = [];
  let closed = false;
  setHandler(
    reserve,
    (name) => {
      seats.push(name);
      return seats.length;
    },
    {
      validator: (name) => {
        if (typeof name !== 'string' || name.length === 0) throw new Error('a name is required');
        if (seats.length >= capacity) throw new Error('sold out');
      },
    },
  );
  setHandler(close, () => void (closed = true));
  await condition(() => closed);
  return seats;
}
