#!/usr/bin/env node
'use strict';
// Thin launcher: the compiled CLI (npm ci/npm run build writes dist/); falls back to the TypeScript
// sources through tsx when dist/ is missing (development checkouts).
const path = require('path');
const fs = require('fs');
const compiled = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
if (fs.existsSync(compiled)) {
  require(compiled).runFromProcess();
} else {
  require('tsx/cjs');
  require(path.join(__dirname, '..', 'src', 'cli', 'main.ts')).runFromProcess();
}
