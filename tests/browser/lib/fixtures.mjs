// What the tests need to find on the demo server, looked up (or made) once per run: ids of a
// published, a draft and a closed listing of the demo ngo's organization, a building registered by
// that organization, CSV files for the import. The browser is launched once by run.mjs.
import { launch } from './browser.mjs';
import { newContext, login, visit, submit, hrefs } from './site.mjs';
import { check } from './runner.mjs';

let browserHandle = null;
let fixtures = null;

export async function startBrowser() {
  browserHandle = await launch();
  return browserHandle;
}

export async function stopBrowser() {
  if (browserHandle) await browserHandle.close();
  browserHandle = null;
}

function firstListing(links) {
  return links.map((h) => h.match(/^\/manage\/listings\/([0-9a-f-]{36})$/)).find(Boolean)?.[1];
}

/** Adds a row to a CSV text (the template's header line plus rows). */
export function csvWith(template, rows) {
  const text = template.replace(/^\uFEFF/, '').replace(/\s+$/, '');
  return `${text}\n${rows.join('\n')}\n`;
}

/** The template's header and a valid remote job row with `title`. */
export function csvRow(header, title, overrides = {}) {
  const cols = header.split(',');
  const values = {
    title,
    description: 'Made by the browser tests.',
    category: 'customer_service',
    employment_type: 'part_time',
    work_mode: 'remote',
    building: '',
    city: 'Бишкек',
    region: 'bishkek',
    salary_min: '18000',
    salary_max: '25000',
    salary_period: 'month',
    accommodations: 'flexible_hours',
    languages: 'ky;ru',
    apply_phone: '+996 555 123 456',
    apply_email: 'jobs@example.kg',
    valid_through: '',
    ...overrides,
  };
  return cols.map((c) => {
    const v = values[c] ?? '';
    return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  }).join(',');
}

/** The fixtures, made on first use; a failure to make them is kept, so each test reports it at once. */
export async function shared() {
  if (!fixtures) fixtures = make();
  return fixtures;
}

async function make() {
  check(browserHandle, 'startBrowser() first');
  const browser = browserHandle.browser;
  const f = { browser };
  const context = await newContext(browser, { lang: 'en' });
  const page = await context.newPage();
  try {
    await login(page, 'ngo');
    // Later contexts start with this session's cookies: logins are rate limited per account.
    f.ngoState = await context.storageState();
    await visit(page, '/manage/listings?status=published');
    f.publishedId = firstListing(await hrefs(page, 'main a'));
    f.publishedTitle = (await page.locator(`main a[href="/manage/listings/${f.publishedId}"]`).first().innerText()).trim();
    f.searchWord = f.publishedTitle.split(/\s+/)[0];
    await visit(page, '/manage/listings?status=closed');
    f.closedId = firstListing(await hrefs(page, 'main a'));
    await visit(page, '/manage/listings?status=draft');
    f.draftId = firstListing(await hrefs(page, 'main a'));
    check(f.publishedId && f.closedId && f.draftId, `demo ngo lacks a published, closed or draft listing: ${JSON.stringify(f)}`);

    // The demo's buildings belong to no organization: register one for the ngo.
    await visit(page, '/manage/buildings/new');
    await page.fill('#name', 'Browser test building');
    await page.fill('#street', 'Chui Avenue 100');
    await page.fill('#city', 'Bishkek');
    await page.fill('#district', 'Октябрьский');
    await page.selectOption('#region', 'bishkek');
    await page.fill('#lat', '42.8746');
    await page.fill('#lon', '74.5698');
    await submit(page, 'main form[method=post] button[type=submit]');
    const m = new URL(page.url()).pathname.match(/^\/manage\/buildings\/([0-9a-f-]{36})$/);
    check(m, `registering a building ended on ${page.url()}`);
    f.buildingId = m[1];

    const template = await (await context.request.get('/manage/import/template.csv')).text();
    f.csvHeader = template.replace(/^\uFEFF/, '').split('\n')[0].trim();
    f.badCsv = csvWith(f.csvHeader, [
      csvRow(f.csvHeader, 'Browser test good row'),
      csvRow(f.csvHeader, 'Browser test bad row', { employment_type: 'sometimes' }),
    ]);

    await visit(page, '/jobs');
    const next = (await hrefs(page, 'a[rel=next]'))[0];
    check(next, 'the public job search has no second page');
    f.secondJobsPage = next;
  } finally {
    await context.close();
  }
  // The city office before the admin: the admin pages' audit resets the demo city user's password, which
  // ends its sessions, so the city tests (which run before the admin's) keep this one.
  const city = await newContext(browser, { lang: 'en' });
  try {
    // A phone reports about the ngo's Bishkek building, so the inbox has a report to open.
    const device = await city.request.post('/v1/devices');
    check(device.ok(), `registering a device: ${device.status()}`);
    const { token } = await device.json();
    const report = await city.request.post(`/v1/buildings/${f.buildingId}/reports`, {
      headers: { authorization: `Bearer ${token}` },
      data: { facts: { toilet: { access: 'no' } }, method: 'photo_checked', note: { en: 'No accessible toilet' } },
    });
    check(report.ok(), `a phone's report: ${report.status()} ${await report.text()}`);
    const page = await city.newPage();
    await login(page, 'city');
    f.cityState = await city.storageState();
    await visit(page, '/city');
    const links = await hrefs(page, 'main a');
    f.cityReportPath = links.find((h) => /^\/city\/reports\/[0-9a-f-]{36}$/.test(h));
    f.cityBuildingPath = links.find((h) => /^\/city\/buildings\/[0-9a-f-]{36}$/.test(h));
    check(f.cityReportPath && f.cityBuildingPath, `the demo city inbox links no report or building: ${links.join(' ')}`);
  } finally {
    await city.close();
  }
  // The admin sees the demo's buildings.
  const admin = await newContext(browser, { lang: 'en' });
  try {
    const page = await admin.newPage();
    await login(page, 'admin');
    f.adminState = await admin.storageState();
    await visit(page, '/manage/buildings');
    const b = (await hrefs(page, 'main a')).find((h) => /^\/manage\/buildings\/[0-9a-f-]{36}$/.test(h) && !h.includes(f.buildingId));
    check(b, 'no demo building in the admin list');
    f.demoBuildingPath = b;
    await visit(page, '/admin/users/ngo');
    const org = (await hrefs(page, 'main dl a'))[0]?.match(/[0-9a-f-]{36}/);
    check(org, 'the ngo user page names no organization');
    f.orgId = org[0];
  } finally {
    await admin.close();
  }
  return f;
}
