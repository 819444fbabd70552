// Builds dist/ only when a source file is newer than the last build, so `npm run cli` starts fast.
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const marker = path.join(root, 'dist/.tsbuildinfo.build');

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

const built = fs.existsSync(marker) ? fs.statSync(marker).mtimeMs : 0;
const sources = Math.max(
  ...['apps', 'libs', 'bench'].map((d) => newestSource(path.join(root, d))),
  ...['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map(
    (f) => fs.statSync(path.join(root, f)).mtimeMs,
  ),
);
if (sources > built) {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  // tsc leaves the build info untouched when nothing changed; mark this check as done.
  const now = new Date();
  if (fs.existsSync(marker)) fs.utimesSync(marker, now, now);
}
