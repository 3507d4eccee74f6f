import { condition, defineQuery, defineSignal, setHandler } from 'duraflow/workflow';

export const addItem = defineSignal('addItem');
export const checkout = defineSignal('checkout');
export const items = defineQuery('items');

/** A shopping cart: signals change it, a query reads it, checkout ends it. */
export async function cart() {
  const contents = [];
  let done = false;
  setHandler(addItem, (item) => void contents.push(item));
  setHandler(checkout, () => void (done = true));
  setHandler(items, () => contents);
  await condition(() => done);
  return { checkedOut: contents };
}
