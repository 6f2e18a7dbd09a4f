//! Web page figures (issue 12), printed for BENCHMARKS.md:
//!
//! - an NGO's listings table (`/manage/listings`: first page, a status filter, a word search) for an
//!   organization holding 2,000 listings, and the public job search (`/jobs`: no words, a city word,
//!   every filter at once, the second page) and a job's page (`/jobs/{id}`) over 100k listings;
//! - for each: `wrk --latency` on loopback, once with one connection (nothing queues, so the latency
//!   is the server's time per request) and once with 16 (throughput, and latency under load);
//! - each page's HTML size in the three languages, the stylesheet's size, the total page weight
//!   (HTML + every stylesheet and script it loads), and a check that nothing on a page is loaded from
//!   another host (links to other sites, such as WhatsApp or schema.org in JSON-LD, are not loads).
//!
//! A real teng-server (`TestServer`: own tokio runtime, 2 workers) on a temp SQLite file, filled with
//! the demo generator's data (seed 2026); the demo `ngo` organization (the generator's first) is
//! given 2,000 of the listings. The ngo user's web session is written straight to storage.
//!
//! ```sh
//! cargo bench -p teng-tests --bench web                  # 100k listings, 5 s per run
//! TENG_BENCH_SECONDS=2 TENG_BENCH_LISTINGS=20000 cargo bench -p teng-tests --bench web
//! cargo bench -p teng-tests --bench web -- 2             # seconds per run as an argument
//! ```
//!
//! Needs `wrk` on the PATH: `bash scripts/toolchain/wrk.sh` installs Debian's.

use std::collections::HashMap;
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::Utc;
use reqwest::blocking::Client;
use uuid::Uuid;

use teng_core::model::{ListingStatus, WorkMode};
use teng_server::auth::Role;
use teng_server::storage::User;
use teng_tests::server::{report_body, TestServer};

/// Listings of the demo ngo user's organization.
const ORG_LISTINGS: usize = 2_000;
/// Issue 12's budgets.
const HTML_BUDGET: usize = 60 * 1024;
const WEIGHT_BUDGET: usize = 150 * 1024;
const P50_BUDGET_MS: f64 = 5.0;
const P99_BUDGET_MS: f64 = 20.0;
const LANGS: [&str; 3] = ["ky", "ru", "en"];

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this binary without it, and
    // then only the quick checks of the output readers run.
    if !std::env::args().any(|a| a == "--bench") {
        self_check();
        println!("web bench: checks passed; run it with `cargo bench -p teng-tests --bench web`");
        return;
    }
    let listings = env_number("TENG_BENCH_LISTINGS").unwrap_or(100_000);
    let seconds = std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<u64>().ok())
        .or_else(|| env_number("TENG_BENCH_SECONDS").map(|s| s as u64))
        .unwrap_or(5)
        .max(1);
    if Command::new("wrk").arg("--version").output().is_err() {
        eprintln!("wrk is not installed (bash scripts/toolchain/wrk.sh installs it)");
        std::process::exit(1);
    }

    let started = Instant::now();
    let server = TestServer::start();
    let setup = fill(&server, listings);
    println!(
        "server: {} listings ({} published), {} in the ngo organization; filled in {:.1} s",
        setup.listings,
        setup.published,
        setup.org_listings,
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let state = server.state();
    let received = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime for the catch-up")
        .block_on(state.search.catch_up_now())
        .expect("search index catch-up");
    println!(
        "search index: up to date {:.1} s after the import ({received} changes applied by this call, \
         the rest by the server's background catch-up)",
        started.elapsed().as_secs_f64()
    );

    let http = Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("reqwest client");
    let cookie = format!("teng_session={}", setup.session);
    let page2 = second_jobs_page(&server, &http);
    let kinds: Vec<Kind> = vec![
        Kind::manage("listings table, first page", "/manage/listings"),
        Kind::manage(
            "listings table, status=published",
            "/manage/listings?status=published",
        ),
        Kind::manage(
            &format!("listings table, q={}", setup.word),
            &format!("/manage/listings?q={}", encode(&setup.word)),
        ),
        Kind::public("/jobs (no words)", "/jobs"),
        Kind::public("/jobs?q=bishkek", "/jobs?q=bishkek"),
        // The same words newest first: the core skips bm25 ranking (what relevance costs).
        Kind::public("/jobs?q=bishkek&sort=newest", "/jobs?q=bishkek&sort=newest"),
        Kind::public(
            "/jobs, every filter",
            "/jobs?city=Bishkek&type=full_time&acc=flexible_hours&step_free=1&min_salary=20000",
        ),
        Kind::public("/jobs, second page", &page2),
        Kind::public("/jobs/{id}", &format!("/jobs/{}", setup.job)),
    ];

    println!();
    println!("pages (uncompressed HTML bytes by language; total = HTML + stylesheets + scripts):");
    let mut resources: HashMap<String, usize> = HashMap::new();
    let mut problems: Vec<String> = Vec::new();
    let mut html_default: Vec<usize> = Vec::new();
    for kind in &kinds {
        let mut sizes = Vec::new();
        let mut total = 0;
        let mut links = 0;
        for lang in LANGS {
            let page = fetch(&server, &http, &kind.path, kind.cookie(&cookie), lang);
            if page.status != 200 {
                problems.push(format!("{} ({lang}): status {}", kind.name, page.status));
            }
            if !page.csp_self {
                problems.push(format!("{} ({lang}): no default-src 'self' CSP", kind.name));
            }
            let check = check_html(&page.body);
            for load in &check.foreign_loads {
                problems.push(format!(
                    "{} ({lang}): loads from another host: {load}",
                    kind.name
                ));
            }
            links = links.max(check.foreign_links.len());
            let mut weight = page.body.len();
            for r in &check.resources {
                let size = *resources.entry(r.clone()).or_insert_with(|| {
                    let res = fetch(&server, &http, r, None, lang);
                    assert_eq!(res.status, 200, "{r}");
                    for load in css_foreign_loads(&res.body) {
                        problems.push(format!("{r}: loads from another host: {load}"));
                    }
                    res.body.len()
                });
                weight += size;
            }
            if page.body.len() > HTML_BUDGET {
                problems.push(format!(
                    "{} ({lang}): HTML {} bytes > {HTML_BUDGET}",
                    kind.name,
                    page.body.len()
                ));
            }
            if weight > WEIGHT_BUDGET {
                problems.push(format!(
                    "{} ({lang}): page weight {weight} bytes > {WEIGHT_BUDGET}",
                    kind.name
                ));
            }
            sizes.push(page.body.len());
            total = total.max(weight);
        }
        html_default.push(sizes[0]);
        println!(
            "  {:<40} ky {:>6}  ru {:>6}  en {:>6}  total (largest) {:>6}  links to other sites {}",
            kind.name, sizes[0], sizes[1], sizes[2], total, links
        );
    }
    for (path, size) in &resources {
        println!("  {path}: {size} bytes");
    }
    println!(
        "  third-party loads: {}",
        if problems.iter().any(|p| p.contains("another host")) {
            "FOUND (below)"
        } else {
            "none (no src/href/srcset/url() to another host; CSP default-src 'self')"
        }
    );

    println!();
    println!(
        "wrk on loopback, {seconds} s per run; 1 connection (-t1 -c1): server time; 16 (-t2 -c16): load"
    );
    let mut rows = Vec::new();
    for kind in &kinds {
        let one = wrk(&server, kind, &cookie, 1, 1, seconds);
        let many = wrk(&server, kind, &cookie, 2, 16, seconds);
        for (run, label) in [(&one, "c1"), (&many, "c16")] {
            if run.non_2xx > 0 || run.socket_errors.is_some() {
                problems.push(format!(
                    "{} ({label}): {} non-2xx answers, socket errors {:?}",
                    kind.name, run.non_2xx, run.socket_errors
                ));
            }
        }
        if one.p50_ms > P50_BUDGET_MS || one.p99_ms > P99_BUDGET_MS {
            problems.push(format!(
                "{}: server time p50 {:.2} ms / p99 {:.2} ms over {P50_BUDGET_MS} / {P99_BUDGET_MS} ms",
                kind.name, one.p50_ms, one.p99_ms
            ));
        }
        println!(
            "  {:<40} c1 {:>7.0} req/s p50 {:>6.2} p99 {:>6.2} ms | c16 {:>7.0} req/s p50 {:>6.2} p99 {:>6.2} ms",
            kind.name, one.rps, one.p50_ms, one.p99_ms, many.rps, many.p50_ms, many.p99_ms
        );
        rows.push((one, many));
    }

    println!();
    println!("| request | HTML bytes (ky) | c1 req/s | c1 p50 | c1 p99 | c16 req/s | c16 p50 | c16 p99 |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for ((kind, (one, many)), html) in kinds.iter().zip(&rows).zip(&html_default) {
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            kind.name.replace('|', "\\|"),
            html,
            rate(one.rps),
            ms(one.p50_ms),
            ms(one.p99_ms),
            rate(many.rps),
            ms(many.p50_ms),
            ms(many.p99_ms)
        );
    }
    println!();
    if problems.is_empty() {
        println!("all budgets met (HTML <= 60 KB, weight <= 150 KB, server time p50 <= 5 ms, p99 <= 20 ms, no third-party loads)");
    } else {
        println!("over budget or failing:");
        for p in &problems {
            println!("  - {p}");
        }
    }
}

fn env_number(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// What [`fill`] made.
struct Setup {
    listings: usize,
    published: usize,
    org_listings: usize,
    /// The ngo user's web session (the cookie value).
    session: String,
    /// A word of the organization's listing titles (for `/manage/listings?q=`).
    word: String,
    /// A published, open on-site listing whose building has an accessibility report.
    job: Uuid,
}

/// Demo data with `listings` listings, 2,000 of them the first organization's; the ngo user of that
/// organization with a live web session; one accessibility report for the job page's building.
fn fill(server: &TestServer, listings: usize) -> Setup {
    let storage = server.storage();
    let now = Utc::now();
    let (orgs, buildings, mut list) = teng_server::demo::generate(2026, listings, now);
    let org = orgs[0].id;
    let have = list.iter().filter(|l| l.organization_id == org).count();
    let need = ORG_LISTINGS.saturating_sub(have);
    // Spread over the whole catalogue, so the organization's listings have every age.
    if let Some(stride) = (list.len() - have).checked_div(need) {
        let stride = stride.max(1);
        let mut moved = 0;
        for (i, l) in list
            .iter_mut()
            .filter(|l| l.organization_id != org)
            .enumerate()
        {
            if moved == need {
                break;
            }
            if i % stride == 0 {
                l.organization_id = org;
                moved += 1;
            }
        }
    }
    let org_listings: Vec<_> = list.iter().filter(|l| l.organization_id == org).collect();
    let word = common_title_word(org_listings.iter().map(|l| l.title.as_str()));
    let job = list
        .iter()
        .filter(|l| {
            l.status == ListingStatus::Published
                && l.work_mode == WorkMode::OnSite
                && l.building_id.is_some()
                && l.is_open_at(now)
                && !l.apply_via.is_empty()
        })
        .max_by_key(|l| l.description.len())
        .expect("an open on-site listing");
    let (job, building) = (job.id, job.building_id.expect("on site"));
    let org_count = org_listings.len();
    let published = list
        .iter()
        .filter(|l| l.status == ListingStatus::Published)
        .count();
    // Oldest first, in chunks each stored at its newest posting time: the rows' `updated_at` then
    // spread as a real catalogue's do (one import would give every row the same one).
    storage
        .import(&orgs, &buildings, &[], now)
        .expect("import the organizations and buildings");
    list.sort_by_key(|l| (l.posted_at, l.id));
    for chunk in list.chunks(1_000) {
        let at = chunk
            .iter()
            .map(|l| l.posted_at)
            .max()
            .unwrap_or(now)
            .min(now);
        storage
            .import(&[], &[], chunk, at)
            .expect("import the demo listings");
    }

    let user = User {
        id: Uuid::now_v7(),
        username: "ngo".into(),
        role: Role::Ngo,
        organization_id: Some(org),
        city: None,
        created_at: now,
    };
    let session = server.web_session(&user);
    let (_, device) = server.register_device();
    server.submit_report(&device, building, &report_body());
    Setup {
        listings: list.len(),
        published,
        org_listings: org_count,
        session,
        word,
        job,
    }
}

/// The most frequent title word (5 letters or more) among `titles`.
fn common_title_word<'a>(titles: impl Iterator<Item = &'a str>) -> String {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for t in titles {
        for w in t.split(|c: char| !c.is_alphanumeric()) {
            if w.chars().count() >= 5 {
                *counts.entry(w.to_lowercase()).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(w, _)| w)
        .unwrap_or_else(|| "bishkek".into())
}

/// The "next page" link of `/jobs`.
fn second_jobs_page(server: &TestServer, http: &Client) -> String {
    let page = fetch(server, http, "/jobs", None, "ky");
    let at = page.body.find("page=").expect("/jobs has a next page link");
    let start = page.body[..at].rfind('"').expect("href start") + 1;
    let end = at + page.body[at..].find('"').expect("href end");
    page.body[start..end].replace("&amp;", "&")
}

/// One request kind: a name, a path, and whether it needs the ngo session.
struct Kind {
    name: String,
    path: String,
    signed_in: bool,
}

impl Kind {
    fn manage(name: &str, path: &str) -> Kind {
        Kind {
            name: name.into(),
            path: path.into(),
            signed_in: true,
        }
    }

    fn public(name: &str, path: &str) -> Kind {
        Kind {
            name: name.into(),
            path: path.into(),
            signed_in: false,
        }
    }

    fn cookie<'a>(&self, cookie: &'a str) -> Option<&'a str> {
        self.signed_in.then_some(cookie)
    }
}

struct Fetched {
    status: u16,
    body: String,
    csp_self: bool,
}

fn fetch(
    server: &TestServer,
    http: &Client,
    path: &str,
    cookie: Option<&str>,
    lang: &str,
) -> Fetched {
    let cookies = match cookie {
        Some(c) => format!("{c}; teng_lang={lang}"),
        None => format!("teng_lang={lang}"),
    };
    let response = http
        .get(server.endpoint(path))
        .header("Cookie", cookies)
        .header("Accept-Encoding", "identity")
        .send()
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let status = response.status().as_u16();
    let csp_self = response
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("default-src 'self'"));
    let body = response.text().expect("body");
    Fetched {
        status,
        body,
        csp_self,
    }
}

/// What a page refers to.
#[derive(Default)]
struct HtmlCheck {
    /// Same-origin stylesheets and scripts the page loads.
    resources: Vec<String>,
    /// Absolute URLs to another host in an attribute that makes the browser load something.
    foreign_loads: Vec<String>,
    /// Absolute URLs to another host in links and forms (navigation, not loads).
    foreign_links: Vec<String>,
}

/// Scans every tag's `src`, `href`, `srcset`, `poster`, `data`, `action` and `formaction`, and
/// `url(...)` in inline styles. `<a href>` and form targets are navigation; the rest are loads.
fn check_html(html: &str) -> HtmlCheck {
    let mut out = HtmlCheck::default();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        rest = &rest[end..];
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        if name == "script" || name == "style" {
            // Skip the element's text (JSON-LD names schema.org; it is data, not a load).
            let close = format!("</{name}");
            let text_end = rest.find(&close).unwrap_or(rest.len());
            if name == "style" {
                out.foreign_loads
                    .extend(css_foreign_loads(&rest[..text_end]));
            }
            rest = &rest[text_end..];
        }
        for attr in [
            "src",
            "href",
            "srcset",
            "poster",
            "data",
            "action",
            "formaction",
        ] {
            let Some(value) = attribute(tag, attr) else {
                continue;
            };
            let navigation = (name == "a" && attr == "href") || attr.ends_with("action");
            for url in value
                .split(',')
                .map(|u| u.split_whitespace().next().unwrap_or(""))
            {
                let foreign = is_foreign(url);
                if foreign && navigation {
                    out.foreign_links.push(url.to_string());
                } else if foreign {
                    out.foreign_loads.push(format!("<{name} {attr}=\"{url}\">"));
                } else if !navigation
                    && ((name == "link" && tag.contains("stylesheet")) || name == "script")
                    && url.starts_with('/')
                    && !out.resources.iter().any(|r| r == url)
                {
                    out.resources.push(url.to_string());
                }
            }
        }
        if let Some(style) = attribute(tag, "style") {
            out.foreign_loads.extend(css_foreign_loads(&style));
        }
    }
    out
}

/// `name="value"` (or single quotes) in a tag's text, entity `&amp;` undone.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find(name) {
        let at = from + at;
        from = at + name.len();
        let before = lower[..at].chars().last();
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let after = lower[from..].trim_start();
        let Some(after) = after.strip_prefix('=') else {
            continue;
        };
        let after = after.trim_start();
        let offset = tag.len() - after.len();
        let quote = after.chars().next()?;
        let value = if quote == '"' || quote == '\'' {
            let body = &tag[offset + 1..];
            &body[..body.find(quote).unwrap_or(body.len())]
        } else {
            let body = &tag[offset..];
            &body[..body.find(char::is_whitespace).unwrap_or(body.len())]
        };
        return Some(value.replace("&amp;", "&"));
    }
    None
}

/// An absolute URL (or a protocol-relative one) that names a host.
fn is_foreign(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    u.starts_with("http://") || u.starts_with("https://") || u.starts_with("//")
}

/// `url(...)` and `@import` targets in CSS that name another host.
fn css_foreign_loads(css: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = css.to_ascii_lowercase();
    for marker in ["url(", "@import"] {
        let mut from = 0;
        while let Some(at) = lower[from..].find(marker) {
            let start = from + at + marker.len();
            let target: String = lower[start..]
                .trim_start()
                .trim_start_matches(['"', '\'', '('])
                .chars()
                .take_while(|c| !matches!(c, ')' | '"' | '\'' | ';' | ' '))
                .collect();
            if is_foreign(&target) {
                out.push(format!("{marker} {target}"));
            }
            from = start;
        }
    }
    out
}

/// `bishkek` stays; anything else is percent-encoded byte by byte.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// One wrk run's figures.
struct Run {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    non_2xx: u64,
    socket_errors: Option<String>,
}

fn wrk(
    server: &TestServer,
    kind: &Kind,
    cookie: &str,
    threads: u32,
    connections: u32,
    seconds: u64,
) -> Run {
    let mut cmd = Command::new("wrk");
    cmd.arg(format!("-t{threads}"))
        .arg(format!("-c{connections}"))
        .arg(format!("-d{seconds}s"))
        .arg("--latency");
    if let Some(c) = kind.cookie(cookie) {
        cmd.arg("-H").arg(format!("Cookie: {c}"));
    }
    cmd.arg(server.endpoint(&kind.path));
    let output = cmd.output().expect("run wrk");
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "wrk failed: {text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    parse_wrk(&text).unwrap_or_else(|| panic!("cannot read wrk's output:\n{text}"))
}

/// Reads `Requests/sec:`, the `50%` and `99%` lines of `--latency`, `Non-2xx or 3xx responses:` and
/// `Socket errors:`.
fn parse_wrk(text: &str) -> Option<Run> {
    let mut rps = None;
    let mut p50 = None;
    let mut p99 = None;
    let mut non_2xx = 0;
    let mut socket_errors = None;
    for line in text.lines() {
        let line = line.trim();
        if let Some(v) = line.strip_prefix("Requests/sec:") {
            rps = v.trim().parse::<f64>().ok();
        } else if let Some(v) = line.strip_prefix("50%") {
            p50 = duration_ms(v.trim());
        } else if let Some(v) = line.strip_prefix("99%") {
            p99 = duration_ms(v.trim());
        } else if let Some(v) = line.strip_prefix("Non-2xx or 3xx responses:") {
            non_2xx = v.trim().parse().unwrap_or(u64::MAX);
        } else if let Some(v) = line.strip_prefix("Socket errors:") {
            socket_errors = Some(v.trim().to_string());
        }
    }
    Some(Run {
        rps: rps?,
        p50_ms: p50?,
        p99_ms: p99?,
        non_2xx,
        socket_errors,
    })
}

/// wrk's `812.00us`, `3.21ms`, `1.02s`, `2.00m` in milliseconds.
fn duration_ms(v: &str) -> Option<f64> {
    let split = v.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = v.split_at(split);
    let n: f64 = number.trim().parse().ok()?;
    Some(match unit.trim() {
        "us" => n / 1000.0,
        "ms" => n,
        "s" => n * 1000.0,
        "m" => n * 60_000.0,
        "h" => n * 3_600_000.0,
        _ => return None,
    })
}

fn ms(v: f64) -> String {
    if v < 10.0 {
        format!("{v:.2} ms")
    } else {
        format!("{v:.1} ms")
    }
}

fn rate(v: f64) -> String {
    if v >= 1000.0 {
        format!("{:.2}k", v / 1000.0)
    } else {
        format!("{v:.0}")
    }
}

/// The readers of wrk's output and of pages, checked on fixed text (no server, no wrk).
fn self_check() {
    {
        let text = "Running 1s test @ http://127.0.0.1:1/jobs
  1 threads and 1 connections
  Latency Distribution
     50%  812.00us
     75%    1.00ms
     90%    2.00ms
     99%    3.21ms
  1000 requests in 1.00s, 10.00MB read
  Non-2xx or 3xx responses: 3
Requests/sec:   1000.50
Transfer/sec:     10.00MB
";
        let run = parse_wrk(text).unwrap();
        assert_eq!(run.rps, 1000.5);
        assert!((run.p50_ms - 0.812).abs() < 1e-9);
        assert_eq!(run.p99_ms, 3.21);
        assert_eq!(run.non_2xx, 3);
        assert!(run.socket_errors.is_none());
    }
    {
        let html = r#"<link rel="stylesheet" href="/static/teng.css">
<a href="https://wa.me/996555">WhatsApp</a>
<script type="application/ld+json">{"@context":"https://schema.org/"}</script>
<img src="https://cdn.example/x.png" alt="">
<div style="background:url('//fonts.example/f.woff')"></div>"#;
        let c = check_html(html);
        assert_eq!(c.resources, ["/static/teng.css"]);
        assert_eq!(c.foreign_links, ["https://wa.me/996555"]);
        assert_eq!(c.foreign_loads.len(), 2, "{:?}", c.foreign_loads);
    }
}
