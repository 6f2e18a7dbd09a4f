// Every page of the NGO, city office and admin web, in Kyrgyz, Russian and English, checked in a real browser:
// axe-core (WCAG 2.0/2.1/2.2 A and AA rules: 0 violations), one h1, a main landmark, a skip link,
// the document language, no sideways scroll at 320 CSS px (WCAG 1.4.10), page weight
// (HTML <= 60 KB, HTML+CSS+JS <= 150 KB) and no request to any host but the server's.
//
// Pages that only exist after a POST (a form with its errors, a stale-edit conflict, an import's
// problems, a password reset) are reached by submitting the real form, then audited in place.
import { test, check } from './lib/runner.mjs';
import { newContext, visit, audit, LANGS } from './lib/site.mjs';
import { publicSteps, ngoSteps, adminSteps, citySteps } from './lib/pages.mjs';
import { shared } from './lib/fixtures.mjs';

/** Runs each step (which leaves a page loaded), audits it, and fails with every problem found. */
async function crawl(page, lang, steps) {
  const problems = [];
  // The language comes from the switch (/lang/{code}), which sets a cookie for the next pages.
  await visit(page, `/lang/${lang}?next=/`);
  for (const [name, go] of steps) {
    try {
      await go(page);
    } catch (e) {
      problems.push(`could not reach "${name}": ${e.message.split('\n')[0]}`);
      continue;
    }
    problems.push(...(await audit(page, name, { lang })));
  }
  check(problems.length === 0, `${problems.length} problem(s) in ${lang}:\n  - ${problems.join('\n  - ')}`);
  return steps.length;
}

// City pages first: the admin pages' audit resets the demo city user's password.
for (const lang of LANGS) {
  test(`a11y ${lang}: city office pages`, async () => {
    const f = await shared();
    const context = await newContext(f.browser, { lang, storageState: f.cityState });
    try {
      await crawl(await context.newPage(), lang, citySteps(f));
    } finally {
      await context.close();
    }
  });
}

for (const lang of LANGS) {
  test(`a11y ${lang}: public pages`, async () => {
    const f = await shared();
    const context = await newContext(f.browser, { lang });
    try {
      await crawl(await context.newPage(), lang, publicSteps(f));
    } finally {
      await context.close();
    }
  });
  test(`a11y ${lang}: ngo pages`, async () => {
    const f = await shared();
    const context = await newContext(f.browser, { lang, storageState: f.ngoState });
    try {
      const page = await context.newPage();
      await crawl(page, lang, ngoSteps(f));
    } finally {
      await context.close();
    }
  });
  test(`a11y ${lang}: admin pages`, async () => {
    const f = await shared();
    const context = await newContext(f.browser, { lang, storageState: f.adminState });
    try {
      const page = await context.newPage();
      await crawl(page, lang, adminSteps(f));
    } finally {
      await context.close();
    }
  });
}
