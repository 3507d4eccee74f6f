// Part of `npm run build` (after tsc): writes duraflow's workflow runtime script, prebuilt, into dist/
// so workers load it instead of running esbuild at start-up.
import { writePrebuiltWorkflowRuntime } from '../dist/worker/bundler/workflow-runtime.js';

const file = await writePrebuiltWorkflowRuntime();
console.log(`workflow runtime script written to ${file}`);
