/**
 * The global names every workflow run's Compartment provides and the bundle wrapper binds lexically.
 *
 * Code evaluated by SES resolves free variables through a `with`-scope proxy, which makes every global
 * lookup about 30× slower than a local one. The bundle wrapper therefore passes these globals in as
 * parameters of a function around the bundle (`(function (Array, Date, …) { … })(Array, Date, …)`),
 * so reads of them are plain variable reads. Every name here must exist in every run's Compartment
 * (the sandbox thread checks this at start), and their values are fixed for the run: names the
 * runtime may want to replace (`setTimeout`, …) are deliberately not in the list.
 *
 * @module
 */

/** ECMAScript globals that SES provides in every Compartment. */
const STANDARD = [
  'Array', 'ArrayBuffer', 'AggregateError', 'BigInt', 'BigInt64Array', 'BigUint64Array', 'Boolean', 'DataView',
  'Error', 'EvalError', 'Int8Array', 'Int16Array', 'Int32Array', 'JSON', 'Map', 'Number', 'Object', 'Promise', 'Proxy',
  'RangeError', 'ReferenceError', 'Reflect', 'RegExp', 'Set', 'String', 'Symbol', 'SyntaxError', 'TypeError',
  'Uint8Array', 'Uint8ClampedArray', 'Uint16Array', 'Uint32Array', 'URIError', 'WeakMap', 'WeakSet',
  'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'unescape', 'isFinite', 'isNaN',
  'parseFloat', 'parseInt', 'TextEncoder', 'TextDecoder', 'globalThis',
] as const;

/** Per-run or per-thread endowments the sandbox adds (see `run-globals.ts`). */
const ENDOWED = ['Date', 'Math', 'console', 'Float32Array', 'Float64Array'] as const;

/** Names bound lexically around the bundle, in wrapper parameter order. */
export const LEXICAL_GLOBALS: readonly string[] = Object.freeze([...STANDARD, ...ENDOWED]);
