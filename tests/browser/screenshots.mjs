// Screenshots of the web pages (scripts/screenshots.sh runs it against a demo server).
//
//   node screenshots.mjs OUT_DIR          # the curated set kept in docs/screenshots
//   node screenshots.mjs --all OUT_DIR    # every page of lib/pages.mjs in ky, ru, en, at 1280 px
//                                         # and 320 px, full length (for reviewing, not kept)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { startBrowser, stopBrowser, shared } from './lib/fixtures.mjs';
import { newContext, visit, submit, hrefs, LANGS } from './lib/site.mjs';
import { publicSteps, ngoSteps, adminSteps } from './lib/pages.mjs';

const args = process.argv.slice(2);
const all = args[0] === '--all';
const out = all ? args[1] : args[0];
if (!out) {
  console.error('usage: node screenshots.mjs [--all] OUT_DIR');
  process.exit(2);
}
mkdirSync(out, { recursive: true });

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 780 };

function slug(text) {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** A context for one role and language; the language chosen with the page's own switch. */
async function session(f, role, lang, viewport) {
  const storageState = role === 'ngo' ? f.ngoState : role === 'admin' ? f.adminState : undefined;
  const context = await newContext(f.browser, { lang, viewport, storageState });
  const page = await context.newPage();
  await visit(page, `/lang/${lang}?next=/`);
  return { context, page };
}

async function shoot(page, file, { fullPage = false } = {}) {
  await page.screenshot({ path: join(out, file), fullPage, animations: 'disabled', caret: 'hide' });
  console.log(`screenshot: ${join(out, file)}`);
}

async function everything(f) {
  let n = 0;
  for (const [role, steps] of [['public', publicSteps(f)], ['ngo', ngoSteps(f)], ['admin', adminSteps(f)]]) {
    for (const lang of LANGS) {
      for (const [name, viewport] of [['desktop', DESKTOP], ['narrow', { width: 320, height: 640 }]]) {
        const { context, page } = await session(f, role, lang, viewport);
        try {
          for (const [step, go] of steps) {
            await go(page);
            await shoot(page, `${role}-${slug(step)}-${lang}-${name}.png`, { fullPage: true });
            n += 1;
          }
        } finally {
          await context.close();
        }
      }
    }
  }
  return n;
}

/** A demo building whose page has an accessibility summary from reports (the admin sees all). */
async function surveyedBuilding(page) {
  await visit(page, '/manage/buildings');
  const rows = await page.$$eval('main table tbody tr', (trs) => trs.map((tr) => ({
    href: tr.querySelector('a')?.getAttribute('href'),
    text: tr.innerText,
  })));
  // The table's accessibility column says "not yet reported" for buildings nobody reported on:
  // take the row with the longest accessibility text.
  rows.sort((a, b) => b.text.length - a.text.length);
  return rows[0]?.href;
}

async function curated(f) {
  const shots = [
    // [file, role, lang, viewport, go]
    ['jobs-search-ky-desktop.png', 'public', 'ky', DESKTOP, (p) => visit(p, '/jobs')],
    ['jobs-search-ru-phone.png', 'public', 'ru', PHONE, (p) => visit(p, '/jobs?q=buhgalter')],
    ['job-en-desktop.png', 'public', 'en', DESKTOP, (p) => visit(p, `/jobs/${f.publishedId}`)],
    ['job-ky-phone.png', 'public', 'ky', PHONE, (p) => visit(p, `/jobs/${f.publishedId}`)],
    ['listings-ru-desktop.png', 'ngo', 'ru', DESKTOP, (p) => visit(p, '/manage/listings')],
    ['listing-form-errors-en-desktop.png', 'ngo', 'en', DESKTOP, async (p) => {
      await visit(p, '/manage/listings/new');
      await p.fill('#apply_value_1', 'call us');
      await submit(p, 'form.listing-form button[type=submit]');
    }],
    ['listing-form-errors-ky-phone.png', 'ngo', 'ky', PHONE, async (p) => {
      await visit(p, '/manage/listings/new');
      await submit(p, 'form.listing-form button[type=submit]');
    }],
    ['building-ru-desktop.png', 'admin', 'ru', DESKTOP, async (p) => visit(p, await surveyedBuilding(p))],
    ['building-en-phone.png', 'admin', 'en', PHONE, async (p) => visit(p, await surveyedBuilding(p))],
    ['admin-users-ky-desktop.png', 'admin', 'ky', DESKTOP, (p) => visit(p, '/admin/users')],
  ];
  for (const [file, role, lang, viewport, go] of shots) {
    const { context, page } = await session(f, role, lang, viewport);
    try {
      await go(page);
      await shoot(page, file);
    } finally {
      await context.close();
    }
  }
  return shots.length;
}

let status = 0;
try {
  await startBrowser();
  const f = await shared();
  const n = all ? await everything(f) : await curated(f);
  console.log(`screenshots: ${n} written to ${out}`);
} catch (e) {
  console.error(e);
  status = 1;
} finally {
  await stopBrowser();
}
process.exit(status);
export { hrefs };
