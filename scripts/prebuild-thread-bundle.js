// Part of `npm run build` (after tsc): bundles the sandbox thread's entry into one CommonJS file, so
// threads start without Node's ES module loader (see src/worker/sandbox/thread-bundle.ts).
import { writeThreadBundle } from '../dist/worker/sandbox/thread-bundle.js';

const file = await writeThreadBundle();
console.log(`sandbox thread bundle written to ${file}`);
