// Keyboard-only journeys through the NGO, admin and city office web, in a real browser. The keyboard is the
// only input (Tab, Shift+Tab, Enter, Space, arrows, typing); where focus is, is read from
// document.activeElement, never assumed, and nothing is clicked. The one exception is a file
// input's file, which no keyboard can type: it is set with setInputFiles while the input has focus.
//
// 1. An ngo logs in, creates a listing with a missing title, is taken to the error summary,
//    follows its link to the field, fixes it, publishes, opens the public page, and a phone (the
//    `teng` CLI) syncs and finds the listing offline. The form part also runs without JavaScript.
// 2. A CSV import with one bad row writes nothing and names the row and the field; a good file
//    then imports.
// 3. An admin creates an ngo user and logs out; the new user logs in.
// 4. A city office filters its inbox to a district, marks a phone's report resolved with a note;
//    the phone (the `teng` CLI) hears back and says "still not fixed"; the inbox shows it reopened.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { test, check, equal } from './lib/runner.mjs';
import {
  BASE, PASSWORDS, newContext, visit, tabTo, expectFocus, focused, pressAndWait, chooseOption,
  typeOver, audit,
} from './lib/site.mjs';
import { shared, csvWith, csvRow } from './lib/fixtures.mjs';

const stamp = Date.now().toString(36);

/** Logs in from the home page with the keyboard; checks the skip link on the way. */
async function keyboardLogin(page, username, password) {
  await visit(page, '/');
  // The first Tab stop is the skip link, and it moves focus to the main content.
  await page.keyboard.press('Tab');
  await expectFocus(page, { tag: 'a', href: '#main' }, 'first Tab stop');
  const visible = await page.evaluate(() => {
    const r = document.activeElement.getBoundingClientRect();
    return r.left >= 0 && r.top >= 0 && r.width > 0 && r.height > 0;
  });
  check(visible, 'the focused skip link is not visible on screen');
  await page.keyboard.press('Enter');
  await expectFocus(page, { tag: 'main' }, 'after the skip link');
  // The "Log in" entry is in the header, before main: go back to it.
  await tabTo(page, { tag: 'a', href: '/login' }, { back: true });
  await pressAndWait(page);
  await tabTo(page, { id: 'username' });
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await expectFocus(page, { id: 'password' }, 'after the username');
  await page.keyboard.type(password);
  await pressAndWait(page, 'Enter');
  const who = (await page.locator('.signed-in strong').count()) ? await page.locator('.signed-in strong').innerText() : '';
  equal(who, username, `signed in as (page ${page.url()})`);
}

async function keyboardLogout(page) {
  await tabTo(page, { tag: 'button', action: '/logout' });
  await pressAndWait(page, 'Enter');
  check(await page.locator('form[action="/logout"]').count() === 0, 'still signed in after logging out');
}

/** Fills the new-listing form with the keyboard, all but the title; submits; returns the error page. */
async function listingWithoutTitle(page) {
  await tabTo(page, { tag: 'a', href: '/manage/listings/new' });
  await pressAndWait(page);
  await tabTo(page, { id: 'description' });
  await page.keyboard.type('Answering calls from home. A headset and training are provided.');
  await page.keyboard.press('Tab');
  await expectFocus(page, { id: 'category' }, 'after the description');
  await chooseOption(page, 'customer_service');
  // A radio group is one Tab stop; with nothing chosen Space chooses the focused (first) one.
  await page.keyboard.press('Tab');
  await expectFocus(page, { name: 'employment_type', value: 'full_time' }, 'employment type');
  await page.keyboard.press('Space');
  await expectFocus(page, { name: 'employment_type', checked: true }, 'employment type chosen');
  await page.keyboard.press('Tab');
  await expectFocus(page, { name: 'work_mode', value: 'on_site' }, 'work mode');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expectFocus(page, { name: 'work_mode', value: 'remote', checked: true }, 'remote work chosen');
  await tabTo(page, { id: 'city' });
  await page.keyboard.type('Бишкек');
  await page.keyboard.press('Tab');
  await expectFocus(page, { id: 'region' }, 'after the city');
  await chooseOption(page, 'bishkek');
  await page.keyboard.press('Tab');
  await expectFocus(page, { id: 'salary_min' }, 'after the region');
  await page.keyboard.type('20000');
  await tabTo(page, { name: 'accommodations', value: 'flexible_hours' });
  await page.keyboard.press('Space');
  await tabTo(page, { name: 'languages', value: 'ru' });
  await page.keyboard.press('Space');
  await tabTo(page, { id: 'apply_value_1' });
  await page.keyboard.type('+996 555 000 111');
  await tabTo(page, { tag: 'button', type: 'submit', action: '/manage/listings/new' });
  await pressAndWait(page, 'Enter');
}

/** On the form with errors: the summary is at the top and focused, its link leads to the field. */
async function followErrorToTitle(page, title) {
  const t = await page.title();
  check(/^(Error|Ошибка|Ката): /.test(t), `the page title does not say there is an error: ${t}`);
  const first = await page.evaluate(() => {
    const main = document.querySelector('main');
    const summary = document.getElementById('error-summary');
    const h1 = main.querySelector('h1');
    return summary && (summary.compareDocumentPosition(h1) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
  });
  check(first, 'the error summary is not above the heading');
  await expectFocus(page, { id: 'error-summary' }, 'the form came back with errors');
  const links = await page.$$eval('#error-summary a', (as) => as.map((a) => a.getAttribute('href')));
  equal(links.join(' '), '#title', 'links in the error summary');
  // Kept what was typed.
  equal(await page.inputValue('#description'), 'Answering calls from home. A headset and training are provided.', 'description kept');
  equal(await page.inputValue('#apply_value_1'), '+996 555 000 111', 'apply value kept');
  await page.keyboard.press('Tab');
  await expectFocus(page, { tag: 'a', href: '#title' }, 'first link of the summary');
  await page.keyboard.press('Enter');
  await expectFocus(page, { id: 'title' }, 'after following the summary link');
  const described = await page.getAttribute('#title', 'aria-describedby');
  check(described && described.includes('title-error'), `the title field is not described by its error: ${described}`);
  await page.keyboard.type(title);
  await tabTo(page, { tag: 'button', type: 'submit', action: '/manage/listings/new' });
  await pressAndWait(page, 'Enter');
  const m = new URL(page.url()).pathname.match(/^\/manage\/listings\/([0-9a-f-]{36})$/);
  check(m, `after saving the listing: ${page.url()}`);
  equal((await page.locator('h1').innerText()).trim(), title, 'the new listing page heading');
  return m[1];
}

function phoneFinds(title, word) {
  const dir = mkdtempSync(join(process.env.TENG_BROWSER_WORK_DIR || tmpdir(), 'phone-'));
  try {
    const cli = process.env.TENG_CLI;
    check(cli, 'TENG_CLI is not set (scripts/test-browser.sh sets it)');
    const db = join(dir, 'phone.db');
    const sync = spawnSync(cli, ['--db', db, '--lang', 'en', 'sync', '--server', BASE], { encoding: 'utf8', timeout: 120_000 });
    check(sync.status === 0, `teng sync exited ${sync.status}: ${sync.stdout}\n${sync.stderr}`);
    const search = spawnSync(cli, ['--db', db, '--lang', 'en', 'search', word], { encoding: 'utf8', timeout: 60_000 });
    check(search.status === 0, `teng search exited ${search.status}: ${search.stderr}`);
    check(search.stdout.includes(title), `teng search ${word} did not list "${title}":\n${search.stdout}`);
    return search.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('journey 1 (keyboard): ngo creates, fixes, publishes a listing; a phone finds it', async () => {
  const f = await shared();
  const context = await newContext(f.browser, { lang: 'en' });
  try {
    const page = await context.newPage();
    await keyboardLogin(page, 'ngo', PASSWORDS.ngo);
    await listingWithoutTitle(page);
    const title = `Operator keyboard ${stamp}`;
    const id = await followErrorToTitle(page, title);
    // Publish: the draft page's publish button.
    await tabTo(page, { tag: 'button', action: `/manage/listings/${id}/publish` });
    await pressAndWait(page, 'Enter');
    check(await page.locator('.status-published').count() === 1, 'the listing is not shown as published');
    const problems = await audit(page, 'published notice', { lang: 'en' });
    check(problems.length === 0, problems.join('\n'));
    await tabTo(page, { tag: 'a', href: `/jobs/${id}` });
    await pressAndWait(page);
    equal((await page.locator('h1').innerText()).trim(), title, 'the public job page heading');
    phoneFinds(title, `keyboard ${stamp}`);
  } finally {
    await context.close();
  }
});

test('journey 1 without JavaScript: the listing form, its errors and the fix', async () => {
  const f = await shared();
  const context = await newContext(f.browser, { lang: 'ru', javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await keyboardLogin(page, 'ngo', PASSWORDS.ngo);
    await listingWithoutTitle(page);
    const id = await followErrorToTitle(page, `Оператор без скриптов ${stamp}`);
    await tabTo(page, { tag: 'button', action: `/manage/listings/${id}/publish` });
    await pressAndWait(page, 'Enter');
    check(await page.locator('.status-published').count() === 1, 'the listing is not shown as published');
  } finally {
    await context.close();
  }
});

test('journey 2 (keyboard): a CSV with a bad row writes nothing; a good one imports', async () => {
  const f = await shared();
  // Signed in already (journey 1 logs in with the keyboard; logins are rate limited per account).
  const context = await newContext(f.browser, { lang: 'en', storageState: f.ngoState });
  try {
    const page = await context.newPage();
    await visit(page, '/');
    await tabTo(page, { tag: 'a', href: '/manage/import' });
    await pressAndWait(page);
    const good = `Imported good ${stamp}`;
    const bad = csvWith(f.csvHeader, [
      csvRow(f.csvHeader, good),
      csvRow(f.csvHeader, `Imported bad ${stamp}`, { employment_type: 'sometimes' }),
    ]);
    await tabTo(page, { id: 'file' });
    await page.setInputFiles('#file', { name: 'listings.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.keyboard.press('Tab');
    await expectFocus(page, { tag: 'button', type: 'submit', action: '/manage/import' }, 'after the file');
    await pressAndWait(page, 'Enter');
    await expectFocus(page, { id: 'error-summary' }, 'the import came back with problems');
    const rows = await page.$$eval('table.import-problems tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.innerText.trim())));
    equal(rows.length, 1, `problem rows (${JSON.stringify(rows)})`);
    equal(rows[0][0], '3', 'the bad row (the header is row 1)');
    equal(rows[0][1], 'employment_type', 'the bad field');
    const problems = await audit(page, 'import problems (journey)', { lang: 'en' });
    check(problems.length === 0, problems.join('\n'));
    // Nothing was written, not even the good row.
    const none = await context.request.get(`/manage/listings?q=${encodeURIComponent(`good ${stamp}`)}`);
    check(!(await none.text()).includes(good), 'the good row of a refused file was written');

    const fixed = csvWith(f.csvHeader, [csvRow(f.csvHeader, good), csvRow(f.csvHeader, `Imported second ${stamp}`)]);
    await tabTo(page, { id: 'file' });
    await page.setInputFiles('#file', { name: 'listings.csv', mimeType: 'text/csv', buffer: Buffer.from(fixed) });
    await page.keyboard.press('Tab');
    await expectFocus(page, { tag: 'button', type: 'submit', action: '/manage/import' }, 'after the fixed file');
    await pressAndWait(page, 'Enter');
    check(await page.locator('.notice.success').count() === 1, `no success notice after importing (${page.url()})`);
    await tabTo(page, { tag: 'a', href: '/manage/listings' });
    await pressAndWait(page);
    await tabTo(page, { id: 'q' });
    await page.keyboard.type(stamp);
    await pressAndWait(page, 'Enter');
    const titles = await page.$$eval('table.listings-table tbody th a', (as) => as.map((a) => a.innerText.trim()));
    check(titles.includes(good) && titles.includes(`Imported second ${stamp}`), `imported rows not listed: ${titles.join(', ')}`);
  } finally {
    await context.close();
  }
});

test('journey 3 (keyboard): admin creates an ngo user; the new user logs in', async () => {
  const f = await shared();
  const context = await newContext(f.browser, { lang: 'ky' });
  const username = `kb${stamp}`;
  const password = `Keyboard-only-${stamp}-pass`;
  try {
    const page = await context.newPage();
    await keyboardLogin(page, 'admin', PASSWORDS.admin);
    await tabTo(page, { tag: 'a', href: '/admin' });
    await pressAndWait(page);
    await tabTo(page, { tag: 'a', href: '/admin/users' });
    await pressAndWait(page);
    await tabTo(page, { tag: 'a', href: '/admin/users/new' });
    await pressAndWait(page);
    await tabTo(page, { id: 'username' });
    await page.keyboard.type(username);
    await page.keyboard.press('Tab');
    const role = await focused(page);
    check(role.name === 'role', `after the username focus is on ${JSON.stringify(role)}, not the role`);
    // Arrows move through the group and choose; go to "ngo".
    for (let i = 0; i < 4 && (await focused(page)).value !== 'ngo'; i++) await page.keyboard.press('ArrowDown');
    if (!(await focused(page)).checked) await page.keyboard.press('Space');
    await expectFocus(page, { name: 'role', value: 'ngo', checked: true }, 'role ngo chosen');
    await page.keyboard.press('Tab');
    await expectFocus(page, { id: 'organization' }, 'after the role');
    await chooseOption(page, f.orgId);
    await tabTo(page, { id: 'password' });
    await page.keyboard.type(password);
    await tabTo(page, { tag: 'button', type: 'submit', action: '/admin/users/new' });
    await pressAndWait(page, 'Enter');
    if (await page.locator('#error-summary').count()) {
      throw new Error(`creating the user failed: ${await page.locator('#error-summary').innerText()}`);
    }
    check((await page.locator('h1').innerText()).includes(username), `no page for the new user: ${page.url()}`);
    await keyboardLogout(page);
    await keyboardLogin(page, username, password);
    // An ngo user sees the organization's listings.
    await tabTo(page, { tag: 'a', href: '/manage/listings' });
    await pressAndWait(page);
    check(await page.locator('table.listings-table').count() === 1, 'the new ngo user sees no listings table');
  } finally {
    await context.close();
  }
});

export { typeOver };

/** `teng --db <db> --lang en <args>`: the phone of journey 4; fails on a non-zero exit. */
function phone(db, args) {
  const cli = process.env.TENG_CLI;
  check(cli, 'TENG_CLI is not set (scripts/test-browser.sh sets it)');
  const run = spawnSync(cli, ['--db', db, '--lang', 'en', ...args], { encoding: 'utf8', timeout: 120_000 });
  check(run.status === 0, `teng ${args.join(' ')} exited ${run.status}: ${run.stdout}\n${run.stderr}`);
  return run.stdout;
}

// 4. A phone reports a barrier; a city office user, keyboard only, filters the inbox to the
//    building's district, opens the report and marks it resolved with a note; the phone syncs and
//    shows that answer; it says "still not fixed"; the inbox shows the report reopened.
test('journey 4 (keyboard): the city answers a report, the phone hears back and reopens it', async () => {
  const f = await shared();
  const dir = mkdtempSync(join(tmpdir(), 'teng-city-journey-'));
  const db = join(dir, 'phone.db');
  const context = await newContext(f.browser, { lang: 'en' });
  try {
    phone(db, ['sync', '--server', BASE]);
    const note = `Journey ${stamp}: two steps, no ramp`;
    phone(db, ['report', f.buildingId, '--steps', '2', '--ramp', 'none', '--method', 'measured', '--note', note]);
    phone(db, ['sync', '--server', BASE]);
    const mine = phone(db, ['reports']);
    const reportId = mine.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/)?.[0];
    check(reportId, `teng reports names no report id:\n${mine}`);

    // A city office user of its own (the admin pages' audit resets the demo city user's password).
    const api = context.request;
    const login = await api.post('/v1/auth/login', { data: { username: 'admin', password: PASSWORDS.admin } });
    check(login.ok(), `admin API login: ${login.status()}`);
    const { token } = await login.json();
    const username = `city-${stamp}`;
    const password = `Answers reach ${stamp} phones`;
    const created = await api.post('/v1/users', {
      headers: { authorization: `Bearer ${token}` },
      data: { username, password, role: 'city', city: 'Bishkek' },
    });
    check(created.ok(), `creating the city user: ${created.status()} ${await created.text()}`);

    const page = await context.newPage();
    await keyboardLogin(page, username, password);
    await tabTo(page, { tag: 'a', href: '/city' });
    await pressAndWait(page);
    await tabTo(page, { id: 'f-district' });
    await chooseOption(page, 'Октябрьский');
    await tabTo(page, { tag: 'button', action: /\/city/ });
    await pressAndWait(page, 'Enter');
    check(new URL(page.url()).searchParams.get('district') === 'Октябрьский', `filtered to ${page.url()}`);
    const rows = await page.locator('main tbody tr').count();
    check(rows >= 1, 'the district shows no report');
    await tabTo(page, { tag: 'a', href: `/city/reports/${reportId}` });
    await pressAndWait(page);
    // A radio group is one Tab stop; the arrow keys move through it and choose.
    await tabTo(page, { name: 'status' });
    for (let i = 0; i < 8 && (await focused(page)).value !== 'resolved'; i++) await page.keyboard.press('ArrowDown');
    await expectFocus(page, { name: 'status', value: 'resolved', checked: true }, 'resolved chosen');
    await tabTo(page, { id: 'note' });
    await page.keyboard.type('A ramp was installed');
    await tabTo(page, { tag: 'button', type: 'submit', action: `/city/reports/${reportId}` });
    await pressAndWait(page, 'Enter');
    check((await page.locator('main').innerText()).includes('A ramp was installed'), 'the answer is not in the history');

    phone(db, ['sync', '--server', BASE]);
    const heard = phone(db, ['reports']);
    check(/resolved/i.test(heard) && heard.includes('A ramp was installed'), `the phone did not hear back:\n${heard}`);
    phone(db, ['reopen', reportId, '--note', 'still two steps']);
    phone(db, ['sync', '--server', BASE]);

    await visit(page, `/city/reports/${reportId}`);
    const text = await page.locator('main').innerText();
    check(text.includes('still two steps'), `the reopen note is not on the report page:\n${text.slice(0, 2000)}`);
    await visit(page, '/city?district=Октябрьский');
    check(await page.locator(`main a[href="/city/reports/${reportId}"]`).count() >= 1, 'the reopened report is not in the inbox');
    check(await page.locator('main .flag-icon').count() >= 1, 'no report is marked reopened in the inbox');
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
