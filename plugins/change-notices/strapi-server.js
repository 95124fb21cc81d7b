'use strict';
// Strapi's entry for this plugin. The TypeScript sources are compiled to dist/ by `npm run build`
// (the root `npm start`, `npm test` and `.ci/run` do it). Strapi skips a plugin it cannot load without
// a word, so a missing build is a hard, explained error here.
const fs = require('node:fs');
const path = require('node:path');

const entry = path.join(__dirname, 'dist', 'server', 'index.js');
if (!fs.existsSync(entry)) {
  throw new Error(
    `[change-notices] ${path.relative(process.cwd(), entry)} is missing: build the plugin first ` +
      '(`npm run build -w @candor/change-notices`, or `npm run build` at the repo root).'
  );
}
module.exports = require(entry).default;
