#!/usr/bin/env node
// The `data-mesh` CLI. Runs the compiled code when the package was built (npm run build), otherwise the
// TypeScript sources through tsx (a development dependency).
const fs = require('fs');
const path = require('path');
const compiled = path.join(__dirname, '..', 'dist', 'lib', 'cli', 'main.js');
if (fs.existsSync(compiled)) {
  require(compiled).main();
} else {
  require('tsx/cjs');
  require(path.join(__dirname, '..', 'lib', 'cli', 'main.ts')).main();
}
