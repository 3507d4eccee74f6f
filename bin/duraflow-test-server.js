#!/usr/bin/env node
process.argv.splice(2, 0, 'test-server');
await import('../dist/bundled/cli.js');
