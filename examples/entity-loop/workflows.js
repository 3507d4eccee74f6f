import { condition, continueAsNew, defineQuery, defineSignal, setHandler, workflowInfo } from 'duraflow/workflow';

export const deposit = defineSignal('deposit');
export const close = defineSignal('close');
export const balance = defineQuery('balance');

/**
 * An account as a long-lived entity: it handles signals forever and continues as new every
 * `maxEvents` deposits (or when the server suggests it) so its history stays short.
 */
export async function account(state = { balance: 0, generation: 0 }, maxEvents = 5) {
  let handled = 0;
  let closed = false;
  setHandler(deposit, (amount) => {
    state.balance += amount;
    handled++;
  });
  setHandler(close, () => void (closed = true));
  setHandler(balance, () => state.balance);
  await condition(() => closed || handled >= maxEvents || workflowInfo().continueAsNewSuggested);
  if (closed) return { ...state, closed: true };
  return await continueAsNew({ ...state, generation: state.generation + 1 }, maxEvents);
}
