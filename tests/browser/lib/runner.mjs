// A tiny sequential test runner: `test(name, fn)` registers, `run()` runs them in order, prints
// one line per test and closes with "browser: N passed, N failed" (the form scripts/test.sh sums).
// Tests share one browser and one server, and later ones may rely on what earlier ones did, so
// they run one after another, never in parallel.

const tests = [];
let only = null;

export function test(name, fn) {
  tests.push({ name, fn });
}

/** TENG_BROWSER_ONLY=word runs only the tests whose name contains the word (for development). */
export function filter(word) {
  only = word || null;
}

export async function run(label = 'browser') {
  let passed = 0;
  let failed = 0;
  const started = Date.now();
  for (const t of tests) {
    if (only && !t.name.includes(only)) continue;
    const t0 = Date.now();
    try {
      await t.fn();
      passed += 1;
      console.log(`ok   ${t.name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
    } catch (e) {
      failed += 1;
      console.log(`FAIL ${t.name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
      const text = (e && e.stack) || String(e);
      for (const line of text.split('\n')) console.log(`     ${line}`);
    }
  }
  console.log(`${label}: ${((Date.now() - started) / 1000).toFixed(1)}s`);
  console.log(`${label}: ${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0;
}

/** Throws with `message` unless `cond`. */
export function check(cond, message) {
  if (!cond) throw new Error(message);
}

export function equal(actual, expected, what) {
  if (actual !== expected) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}
