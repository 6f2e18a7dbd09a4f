// Launching the machine's Debian chromium through playwright-core, and the helpers every browser
// test shares. playwright-core and axe-core come from the cache that scripts/toolchain/browser.sh
// fills (TENG_BROWSER_NODE_MODULES); no browser is ever downloaded.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const modules = process.env.TENG_BROWSER_NODE_MODULES;
if (!modules) {
  throw new Error('TENG_BROWSER_NODE_MODULES is not set: run through scripts/test-browser.sh (or source scripts/toolchain/browser.sh)');
}
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
const require = createRequire(join(modules, 'noop.js'));
export const { chromium } = require('playwright-core');
/** axe-core's source, evaluated in each page (CDP evaluation is not subject to the page's CSP). */
export const axeSource = require('axe-core').source;

// Flags for a closed network: without them chromium waits on update, sync and first-run services.
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage', '--no-default-browser-check', '--disable-default-apps',
  '--disable-extensions', '--mute-audio', '--font-render-hinting=none',
];

/**
 * Starts chromium with a fresh, empty profile: playwright's launch() makes a new temporary
 * user-data-dir per launch (it refuses a --user-data-dir argument) and deletes it on close.
 */
export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.TENG_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    timeout: 60_000,
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
    },
  };
}
