// Resolves the @allmende/* path aliases of tsconfig.json against the compiled tree in dist/.
const path = require('node:path');
const tsconfigPaths = require('tsconfig-paths');
const { compilerOptions } = require('./tsconfig.json');

tsconfigPaths.register({ baseUrl: path.join(__dirname, 'dist'), paths: compilerOptions.paths });
