// What the browser tests know about the server under test and the helpers they share: contexts
// that refuse other hosts, logging in, auditing a page (axe-core, 320 px reflow, page weight) and
// moving focus with the keyboard only.
import { axeSource } from './browser.mjs';
import { check } from './runner.mjs';

export const BASE = process.env.TENG_TEST_SERVER_URL || 'http://127.0.0.1:8080';
export const HOST = new URL(BASE).hostname;
export const LANGS = ['ky', 'ru', 'en'];
/** Demo accounts' passwords, parsed from the server's log by scripts/test-browser.sh. */
export const PASSWORDS = {
  admin: process.env.TENG_ADMIN_PASSWORD,
  ngo: process.env.TENG_NGO_PASSWORD,
  city: process.env.TENG_CITY_PASSWORD,
};

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
export const MAX_PAGE_BYTES = 150 * 1024;
export const MAX_HTML_BYTES = 60 * 1024;
export const NARROW = 320;
export const DESKTOP = { width: 1280, height: 900 };

/**
 * A new browser context speaking `lang` (Accept-Language; no language cookie, so the header
 * decides). Every request is watched: one to any host but the server's is recorded in
 * `context.foreign` (the closed network would not answer it anyway). Sizes of documents, stylesheets and scripts are recorded by URL
 * for the page-weight check. `storageState` (from context.storageState()) starts it signed in.
 */
export async function newContext(browser, { lang = 'en', javaScriptEnabled = true, viewport = DESKTOP, storageState } = {}) {
  const context = await browser.newContext({
    storageState,
    viewport,
    javaScriptEnabled,
    baseURL: BASE,
    locale: { ky: 'ky-KG', ru: 'ru-RU', en: 'en-GB' }[lang],
    extraHTTPHeaders: { 'Accept-Language': lang },
    acceptDownloads: true,
  });
  context.setDefaultTimeout(15_000);
  context.foreign = [];
  context.sizes = new Map();
  context.on('request', (request) => {
    const u = new URL(request.url());
    if (u.protocol === 'data:' || u.protocol === 'about:' || u.protocol === 'blob:') return;
    if (u.hostname !== HOST) context.foreign.push(request.url());
  });
  context.on('response', async (response) => {
    const type = response.request().resourceType();
    if (!['document', 'stylesheet', 'script'].includes(type)) return;
    try {
      const body = await response.body();
      context.sizes.set(response.url(), { type, bytes: body.length });
    } catch {
      // A redirect has no body; its target is recorded on its own.
    }
  });
  return context;
}

export function url(path) {
  return new URL(path, BASE).toString();
}

/** Goes to `path` and checks the status (200 unless told). */
export async function visit(page, path, status = 200) {
  const response = await page.goto(url(path), { waitUntil: 'load' });
  check(response, `no response for ${path}`);
  check(response.status() === status, `${path}: status ${response.status()}, expected ${status}`);
  return response;
}

/** Logs in through the form (not keyboard-only: the journeys do that themselves). */
export async function login(page, username, password = PASSWORDS[username]) {
  check(password, `no password for ${username} (TENG_${username.toUpperCase()}_PASSWORD)`);
  await visit(page, '/login');
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type=submit]')]);
  const signedIn = await page.locator('form[action="/logout"]').count();
  check(signedIn === 1, `login as ${username} failed: ${page.url()}`);
}

/** Submits the form containing `selector` with a click and waits for the next page. */
export async function submit(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

/** Hrefs of the links matching `selector` on the current page, as paths. */
export async function hrefs(page, selector) {
  return page.$$eval(selector, (as) => as.map((a) => new URL(a.href).pathname + new URL(a.href).search));
}

// ---------------------------------------------------------------- auditing one page

/**
 * Audits the page as it is now: axe-core with the WCAG 2.x A/AA tags, no horizontal scroll at
 * 320 CSS px, page weight, no request to another host, the document language. Returns a list of
 * problems (empty when all is well); the caller collects them across pages.
 */
export async function audit(page, label, { lang } = {}) {
  const problems = [];
  const where = `${label} [${page.url().replace(BASE, '')}]`;
  const context = page.context();

  // axe-core, evaluated through CDP (not subject to the page's CSP, which forbids scripts).
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined').catch(() => false);
  if (!hasAxe) await page.evaluate(axeSource);
  const result = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  }, AXE_TAGS);
  for (const v of result) {
    for (const n of v.nodes) {
      problems.push(`axe ${v.id} (${v.impact}): ${v.help}\n       at ${n.target}\n       ${(n.summary || '').replace(/\n/g, ' ')}\n       on ${where}`);
    }
  }

  // The frame every page should have.
  const frame = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    title: document.title,
    h1: document.querySelectorAll('h1').length,
    main: document.querySelectorAll('main').length,
    skip: !!document.querySelector('a.skip-link[href="#main"]'),
  }));
  if (lang && frame.lang !== lang) problems.push(`html lang="${frame.lang}", expected ${lang} on ${where}`);
  if (!frame.title.trim()) problems.push(`empty <title> on ${where}`);
  if (frame.h1 !== 1) problems.push(`${frame.h1} h1 elements on ${where}`);
  if (frame.main !== 1) problems.push(`${frame.main} main elements on ${where}`);
  if (!frame.skip) problems.push(`no skip link on ${where}`);

  // Reflow (WCAG 1.4.10): nothing scrolls sideways at 320 CSS px.
  const before = page.viewportSize();
  await page.setViewportSize({ width: NARROW, height: 640 });
  const wide = await page.evaluate(() => {
    const width = document.scrollingElement.scrollWidth;
    const inner = window.innerWidth;
    if (width <= inner) return null;
    // Name the offenders so a failure says where to look: elements reaching past the right edge
    // that are not clipped by a scrolling ancestor first (those are what a reader scrolls for).
    const describe = (el, r) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + String(el.className).trim().split(/\s+/).join('.') : ''} (right ${Math.round(r.right)})`;
    const outside = [];
    const clipped = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right <= inner + 1) continue;
      (el.closest('.table-wrap') ? clipped : outside).push(describe(el, r));
    }
    const out = outside.length ? outside : clipped;
    return { width, inner, offenders: out.slice(0, 5) };
  });
  await page.setViewportSize(before);
  if (wide) problems.push(`scrolls sideways at ${NARROW}px: scrollWidth ${wide.width} > ${wide.inner}: ${wide.offenders.join(', ')} on ${where}`);

  // Page weight: this document plus the stylesheets and scripts it loaded.
  const resources = await page.evaluate(() =>
    performance.getEntriesByType('resource')
      .filter((e) => ['link', 'script', 'css'].includes(e.initiatorType))
      .map((e) => e.name));
  const html = await page.evaluate(() => new XMLSerializer().serializeToString(document).length);
  const docBytes = context.sizes.get(page.url())?.bytes ?? html;
  let total = docBytes;
  for (const r of new Set(resources)) total += context.sizes.get(r)?.bytes ?? 0;
  if (docBytes > MAX_HTML_BYTES) problems.push(`HTML is ${docBytes} bytes (> ${MAX_HTML_BYTES}) on ${where}`);
  if (total > MAX_PAGE_BYTES) problems.push(`page weight ${total} bytes (> ${MAX_PAGE_BYTES}) on ${where}`);

  if (context.foreign.length) {
    problems.push(`requests to other hosts: ${context.foreign.join(', ')} (by ${where})`);
    context.foreign.length = 0;
  }
  return problems;
}

// ---------------------------------------------------------------- keyboard only

/** A description of document.activeElement, for messages and matching. */
export async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return null;
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      name: el.getAttribute('name') || '',
      type: el.getAttribute('type') || '',
      value: 'value' in el ? String(el.value) : '',
      checked: !!el.checked,
      href: el.getAttribute('href') || '',
      text: (el.innerText || el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 120),
      action: el.form ? el.form.getAttribute('action') || '' : '',
    };
  });
}

function matches(f, want) {
  if (!f) return false;
  return Object.entries(want).every(([k, v]) => (v instanceof RegExp ? v.test(f[k]) : f[k] === v));
}

/**
 * Presses Tab (or Shift+Tab) until the focused element matches `want` (fields of `focused()`;
 * values may be RegExps), at most `max` times. Fails naming where focus went.
 */
export async function tabTo(page, want, { max = 120, back = false } = {}) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (matches(f, want)) {
      if (process.env.TENG_BROWSER_TRACE) console.log(`     [${Date.now() % 100000}] ${i + 1}× ${back ? 'Shift+Tab' : 'Tab'} → ${f.tag}#${f.id} ${f.href || f.name}`);
      return f;
    }
    seen.push(f ? `${f.tag}#${f.id}[${f.name}] "${f.text.slice(0, 30)}"` : 'nothing');
  }
  throw new Error(`Tab never reached ${JSON.stringify(want, (k, v) => (v instanceof RegExp ? String(v) : v))}; focus went: ${seen.slice(-25).join(' → ')}`);
}

/** Asserts the focused element matches `want`. */
export async function expectFocus(page, want, what) {
  const f = await focused(page);
  check(matches(f, want), `${what}: focus is on ${JSON.stringify(f)}, expected ${JSON.stringify(want, (k, v) => (v instanceof RegExp ? String(v) : v))}`);
  return f;
}

/** Presses a key that navigates (Enter on a link or button) and waits for the new page. */
export async function pressAndWait(page, key = 'Enter') {
  const t0 = Date.now();
  await Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
  if (process.env.TENG_BROWSER_TRACE) console.log(`     [${Date.now() % 100000}] ${key} → ${page.url().replace(BASE, '')} (${Date.now() - t0} ms)`);
}

/** With a <select> focused, moves through its options with the arrow keys until `value` is chosen. */
export async function chooseOption(page, value) {
  const f = await focused(page);
  check(f && f.tag === 'select', `chooseOption: focus is on ${f && f.tag}, not a select`);
  if (f.value === value) return;
  const options = await page.evaluate(() => [...document.activeElement.options].map((o) => o.value));
  const from = options.indexOf(f.value);
  const to = options.indexOf(value);
  check(to >= 0, `no option ${value} in select #${f.id} (${options.join(', ')})`);
  const key = to > from ? 'ArrowDown' : 'ArrowUp';
  for (let i = 0; i < Math.abs(to - from); i++) await page.keyboard.press(key);
  const now = await focused(page);
  check(now.value === value, `select #${f.id}: arrows chose ${now.value}, not ${value}`);
}

/** Selects all text of the focused field and types `text` over it. */
export async function typeOver(page, text) {
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  if (text) await page.keyboard.type(text);
}
