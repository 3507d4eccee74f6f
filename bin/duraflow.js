#!/usr/bin/env node
import '../dist/bundled/cli.js';
