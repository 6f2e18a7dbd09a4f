// The pages of the NGO and admin web, as steps that each leave one page loaded in a browser tab:
// a11y.test.mjs audits each, screenshots.mjs photographs some. Pages that only exist after a POST
// (a form with its errors, a stale-edit conflict, an import's problems, a password reset) are
// reached by submitting the real form. `f` is the fixtures (lib/fixtures.mjs).
import { check } from './runner.mjs';
import { visit, submit } from './site.mjs';

export function publicSteps(f) {
  return [
    ['home', (p) => visit(p, '/')],
    ['login', (p) => visit(p, '/login')],
    ['login with errors', async (p) => {
      await visit(p, '/login');
      await submit(p, 'main form[action="/login"] button[type=submit]');
    }],
    ['job search', (p) => visit(p, '/jobs')],
    ['job search with filters', (p) => visit(p, '/jobs?q=buhgalter&type=full_time&acc=flexible_hours&sort=newest')],
    ['job search, nothing found', (p) => visit(p, '/jobs?q=zzzzqqqq')],
    ['job search, second page', (p) => visit(p, f.secondJobsPage)],
    ['job search with a wrong value', (p) => visit(p, '/jobs?min_salary=abc', 422)],
    ['published job', (p) => visit(p, `/jobs/${f.publishedId}`)],
    ['closed job', (p) => visit(p, `/jobs/${f.closedId}`)],
    ['not found (404)', (p) => visit(p, '/no-such-page', 404)],
    ['job not found (404)', (p) => visit(p, '/jobs/00000000-0000-7000-8000-000000000000', 404)],
  ];
}

export function ngoSteps(f) {
  return [
    ['home, signed in', (p) => visit(p, '/')],
    ['listings', (p) => visit(p, '/manage/listings')],
    ['listings, drafts', (p) => visit(p, '/manage/listings?status=draft')],
    ['listings, search', (p) => visit(p, `/manage/listings?q=${encodeURIComponent(f.searchWord)}`)],
    ['listings, nothing found', (p) => visit(p, '/manage/listings?q=zzzzqqqq&status=closed')],
    ['new listing', (p) => visit(p, '/manage/listings/new')],
    ['new listing with errors', async (p) => {
      await visit(p, '/manage/listings/new');
      await p.fill('#apply_value_1', 'not a phone');
      await submit(p, 'form.listing-form button[type=submit]');
      check(await p.locator('#error-summary').count() === 1, 'no error summary');
    }],
    ['published listing', (p) => visit(p, `/manage/listings/${f.publishedId}`)],
    ['draft listing', (p) => visit(p, `/manage/listings/${f.draftId}`)],
    ['closed listing', (p) => visit(p, `/manage/listings/${f.closedId}`)],
    ['edit listing', (p) => visit(p, `/manage/listings/${f.draftId}/edit`)],
    ['stale edit (conflict)', async (p) => {
      // Open the form, let someone else save first, then save the stale form.
      await visit(p, `/manage/listings/${f.draftId}/edit`);
      const other = await p.context().newPage();
      await visit(other, `/manage/listings/${f.draftId}/edit`);
      await other.fill('#description', `Changed elsewhere ${Date.now()}`);
      await submit(other, 'form.listing-form button[type=submit]');
      await other.close();
      await p.fill('#description', `Changed here ${Date.now()}`);
      await submit(p, 'form.listing-form button[type=submit]');
      check(await p.locator('.compare-theirs').count() === 1, 'no conflict comparison shown');
    }],
    ['buildings', (p) => visit(p, '/manage/buildings')],
    ['new building', (p) => visit(p, '/manage/buildings/new')],
    ['new building with errors', async (p) => {
      await visit(p, '/manage/buildings/new');
      await p.fill('#lat', 'north');
      await submit(p, 'main form[method=post] button[type=submit]');
      check(await p.locator('#error-summary').count() === 1, 'no error summary');
    }],
    ['building', (p) => visit(p, `/manage/buildings/${f.buildingId}`)],
    ['edit building', (p) => visit(p, `/manage/buildings/${f.buildingId}/edit`)],
    ['survey form', (p) => visit(p, `/manage/buildings/${f.buildingId}/survey`)],
    ['survey with errors', async (p) => {
      await visit(p, `/manage/buildings/${f.buildingId}/survey`);
      const first = p.locator('main form input[type=text][inputmode]').first();
      await first.fill('lots');
      await submit(p, 'main form[method=post] button[type=submit]');
    }],
    ['import', (p) => visit(p, '/manage/import')],
    ['import with problems', async (p) => {
      await visit(p, '/manage/import');
      await p.setInputFiles('#file', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(f.badCsv) });
      await submit(p, 'form[enctype="multipart/form-data"] button[type=submit]');
      check(await p.locator('table.import-problems').count() === 1, 'no problems table');
    }],
    ['import without a file', async (p) => {
      await visit(p, '/manage/import');
      await submit(p, 'form[enctype="multipart/form-data"] button[type=submit]');
    }],
    ['change password', (p) => visit(p, '/account/password')],
    ['change password with errors', async (p) => {
      await visit(p, '/account/password');
      await submit(p, 'main form[method=post] button[type=submit]');
    }],
    ['not allowed (403)', (p) => visit(p, '/admin', 403)],
  ];
}

export function adminSteps(f) {
  return [
    ['admin overview', (p) => visit(p, '/admin')],
    ['organizations', (p) => visit(p, '/admin/organizations')],
    ['new organization', (p) => visit(p, '/admin/organizations/new')],
    ['new organization with errors', async (p) => {
      await visit(p, '/admin/organizations/new');
      await p.fill('#email', 'not an email');
      await submit(p, 'main form[method=post] button[type=submit]');
      check(await p.locator('#error-summary').count() === 1, 'no error summary');
    }],
    ['edit organization', (p) => visit(p, `/admin/organizations/${f.orgId}/edit`)],
    ['users', (p) => visit(p, '/admin/users')],
    ['new user', (p) => visit(p, '/admin/users/new')],
    ['new user with errors', async (p) => {
      await visit(p, '/admin/users/new');
      await submit(p, 'main form[method=post] button[type=submit]');
      check(await p.locator('#error-summary').count() === 1, 'no error summary');
    }],
    ['a user', (p) => visit(p, '/admin/users/ngo')],
    ['own user page', (p) => visit(p, '/admin/users/admin')],
    ['password reset', async (p) => {
      await visit(p, '/admin/users/city');
      await submit(p, `form[action$="/reset-password"] button[type=submit]`);
      check(await p.locator('#new-password').count() === 1, 'no new password shown');
    }],
    ['listings, all organizations', (p) => visit(p, '/manage/listings')],
    ['new listing: choose organization', (p) => visit(p, '/manage/listings/new')],
    ['buildings, all organizations', (p) => visit(p, '/manage/buildings')],
    ['a demo building', (p) => visit(p, f.demoBuildingPath)],
    ['import: choose organization', (p) => visit(p, '/manage/import')],
    ['import for an organization', (p) => visit(p, `/manage/import?organization=${f.orgId}`)],
  ];
}

/** The city office's pages, as the demo `city` user (Bishkek) sees them. */
export function citySteps(f) {
  return [
    ['inbox', (p) => visit(p, '/city')],
    ['inbox, filtered', (p) => visit(p, '/city/reports?status=waiting&steps=1')],
    ['inbox, a wrong date', (p) => visit(p, '/city/reports?from=yesterday')],
    ['map', (p) => visit(p, '/city/map')],
    ['a report', (p) => visit(p, f.cityReportPath)],
    ['an answer with errors', async (p) => {
      await visit(p, f.cityReportPath);
      await submit(p, 'main form[method=post] button[type=submit]');
      check(await p.locator('#error-summary').count() === 1, 'no error summary');
    }],
    ['a building', (p) => visit(p, f.cityBuildingPath)],
    ['digest', (p) => visit(p, '/city/digest')],
  ];
}
