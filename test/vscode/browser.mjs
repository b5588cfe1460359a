// Launches Debian's chromium headless through playwright-core; the caller closes it.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { chromiumPath } from './paths.mjs';

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchChromium() {
  if (!existsSync(chromiumPath)) {
    throw new Error(`chromium not found at ${chromiumPath}: run 'npm run setup:vscode-test' (or set CHROMIUM=/path/to/chromium)`);
  }
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: ARGS, timeout: 60000 });
}
