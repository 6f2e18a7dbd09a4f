// The browser tests' entry point (scripts/test-browser.sh runs it): one chromium for every test,
// the tests in file order, one summary line "browser: N passed, N failed".
import { run, filter } from './lib/runner.mjs';
import { startBrowser, stopBrowser } from './lib/fixtures.mjs';

const files = process.argv.slice(2).length ? process.argv.slice(2) : ['a11y.test.mjs', 'journeys.test.mjs'];
for (const f of files) await import(new URL(f, import.meta.url));
filter(process.env.TENG_BROWSER_ONLY);

let ok = false;
try {
  await startBrowser();
  ok = await run('browser');
} finally {
  await stopBrowser();
}
process.exit(ok ? 0 : 1);
