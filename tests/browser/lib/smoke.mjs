// Proves playwright-core drives the Debian chromium here (scripts/toolchain/browser.sh runs it
// once before trusting its cache).
import { launch } from './browser.mjs';

const b = await launch();
try {
  const page = await b.browser.newPage();
  await page.setContent('<!doctype html><title>ok</title><p>ok</p>');
  const text = await page.textContent('p');
  if (text !== 'ok') throw new Error(`unexpected page text ${text}`);
  console.log(`chromium ${b.browser.version()} ok`);
} finally {
  await b.close();
}
