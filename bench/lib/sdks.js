// The two SDKs under comparison, loaded on demand (a worker process loads only its own).

/** Names used on the command line, in results and in worker processes. */
export const SDKS = ['duraflow', 'official'];

/** The adapter module of `sdk` ('duraflow' or 'official'). */
export async function loadSdk(sdk) {
  if (sdk === 'duraflow') return await import('./sdk-ours.js');
  if (sdk === 'official') return await import('./sdk-official.js');
  throw new Error(`unknown SDK ${JSON.stringify(sdk)}; expected one of ${SDKS.join(', ')}`);
}
