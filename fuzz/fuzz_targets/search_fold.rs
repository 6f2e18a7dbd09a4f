//! Search text folding (core/src/search/text.rs `fold`), the FTS5 expression made of a query
//! (`match_expression`), and `Store::search` with that text on a small generated catalogue.
//!
//! Input bytes are read as UTF-8 (invalid sequences become U+FFFD). Properties:
//! - `fold` gives what its doc says: words of [a-z0-9] separated by single spaces, with none of
//!   the rewritten letters and pairs left (`x`, `w`, `zh`, `dj`, `kh`);
//! - `fold` is idempotent, ignores ASCII case, and a space splits it: fold(a + " " + b) is
//!   fold(a) and fold(b) joined by a space;
//! - `match_expression` is `None` exactly when nothing folds to a word, and otherwise at most
//!   `MAX_QUERY_TERMS` distinct quoted prefix terms ("word"*) of at most 40 letters, each the
//!   start of a folded word: nothing of the user's text reaches FTS5 as syntax;
//! - `Store::search` accepts any text of at most `MAX_QUERY_CHARS` characters (no FTS5 syntax
//!   error) and refuses longer text; a text without words browses the same listings as an empty one.

#![no_main]

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use libfuzzer_sys::fuzz_target;
use teng_core::generator::{DataSize, Generator};
use teng_core::search::text::{fold, match_expression, MAX_QUERY_TERMS};
use teng_core::search::{SearchQuery, MAX_QUERY_CHARS};
use teng_core::Store;

const MAX_TERM_CHARS: usize = 40;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let folded = check_fold(&text);
    check_split(&text, data.first().copied().unwrap_or(0));
    check_expression(&text, &folded);
    check_search(&text, &folded);
});

fn check_fold(text: &str) -> String {
    let folded = fold(text);
    assert!(
        folded
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b' ')),
        "{folded:?}"
    );
    assert!(
        !folded.starts_with(' ') && !folded.ends_with(' ') && !folded.contains("  "),
        "{folded:?}"
    );
    for rewritten in ["x", "w", "zh", "dj", "kh"] {
        assert!(!folded.contains(rewritten), "{rewritten:?} in {folded:?}");
    }
    assert_eq!(fold(&folded), folded, "fold is not idempotent");
    assert_eq!(
        fold(&text.to_ascii_uppercase()),
        folded,
        "ASCII case matters"
    );
    folded
}

/// Splits `text` at a char boundary chosen by `at`.
fn check_split(text: &str, at: u8) {
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let cut = boundaries[at as usize % boundaries.len()];
    let (a, b) = text.split_at(cut);
    let joined: Vec<String> = [fold(a), fold(b)]
        .into_iter()
        .filter(|f| !f.is_empty())
        .collect();
    assert_eq!(fold(&format!("{a} {b}")), joined.join(" "), "cut at {cut}");
}

fn check_expression(text: &str, folded: &str) {
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let Some(expr) = match_expression(text) else {
        assert!(words.is_empty(), "no expression for {folded:?}");
        return;
    };
    assert!(!words.is_empty(), "an expression without words: {expr:?}");
    let terms: Vec<&str> = expr
        .split(' ')
        .map(|t| {
            t.strip_prefix('"')
                .and_then(|t| t.strip_suffix("\"*"))
                .unwrap_or_else(|| panic!("not a quoted prefix term: {t:?} in {expr:?}"))
        })
        .collect();
    let mut distinct: Vec<&str> = Vec::new();
    for w in &words {
        let t = &w[..w.len().min(MAX_TERM_CHARS)];
        if !distinct.contains(&t) {
            distinct.push(t);
        }
    }
    assert_eq!(terms.len(), distinct.len().min(MAX_QUERY_TERMS), "{expr:?}");
    for (i, term) in terms.iter().enumerate() {
        assert!(!term.is_empty() && term.len() <= MAX_TERM_CHARS, "{expr:?}");
        assert!(
            term.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
            "{expr:?}"
        );
        assert!(!terms[..i].contains(term), "repeated term in {expr:?}");
        assert!(
            words.iter().any(|w| w.starts_with(term)),
            "{term:?} of {folded:?}"
        );
    }
}

struct Catalogue {
    store: Store,
    now: DateTime<Utc>,
    /// Listings an empty query finds.
    browse_total: u64,
}

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        let now = DateTime::<Utc>::from_timestamp(1_795_000_000, 0).expect("a valid time");
        // Left behind at exit (statics are not dropped): scripts/test-fuzz.sh points TMPDIR at
        // its own temp dir and removes it.
        let dir = tempfile::tempdir().expect("temp dir").keep();
        let store = Store::open(dir.join("search.db")).expect("open");
        let g = Generator::new(7, DataSize::for_listings(60), now);
        store
            .upsert_organizations(&g.organizations())
            .expect("organizations");
        store.upsert_buildings(&g.buildings()).expect("buildings");
        store
            .upsert_listings(&g.listings().collect::<Vec<_>>())
            .expect("listings");
        let browse_total = store
            .search_at(&SearchQuery::default(), now)
            .expect("browse")
            .total;
        assert!(browse_total > 0);
        Catalogue {
            store,
            now,
            browse_total,
        }
    })
}

fn check_search(text: &str, folded: &str) {
    let c = catalogue();
    // One hit is enough to run the whole query (count, filters, order) at a fraction of the cost.
    let query = SearchQuery {
        text: text.to_string(),
        page_size: 1,
        ..SearchQuery::default()
    };
    let result = c.store.search_at(&query, c.now);
    if text.chars().count() > MAX_QUERY_CHARS {
        assert!(
            result.is_err(),
            "a text over {MAX_QUERY_CHARS} characters was searched"
        );
        return;
    }
    let page = result.unwrap_or_else(|e| panic!("search failed on {text:?}: {e}"));
    assert!(page.total <= c.browse_total);
    assert!(page.hits.len() as u64 <= page.total);
    if folded.is_empty() {
        assert_eq!(page.total, c.browse_total, "a text without words filtered");
    }
}
