//! Keyset page tokens: the sort key and rowid of the last hit shown, so the next page starts right
//! after it. Unlike offsets, pages neither repeat nor skip rows when listings arrive in between.
//!
//! A token is opaque to callers: `v1.<sort>.<query fingerprint>.<key>.<rowid>`. The fingerprint
//! rejects a token reused with different words or filters, which would otherwise give a silently
//! wrong page.

use crate::error::{Error, Result};

use super::query::{SearchQuery, SortOrder};

/// The position after which the next page starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Cursor {
    /// The sort key of the last row (score, time, distance or salary), stored exactly.
    pub key: SortKey,
    pub rowid: i64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum SortKey {
    Int(i64),
    Float(f64),
}

pub(crate) fn encode(query: &SearchQuery, cursor: Cursor) -> String {
    let key = match cursor.key {
        SortKey::Int(v) => format!("i{v}"),
        // The exact bits, so the next page compares against precisely the value SQLite computed.
        SortKey::Float(v) => format!("f{:x}", v.to_bits()),
    };
    format!(
        "v1.{}.{:x}.{}.{}",
        query.sort.code(),
        fingerprint(query),
        key,
        cursor.rowid
    )
}

pub(crate) fn decode(query: &SearchQuery, token: &str) -> Result<Cursor> {
    let bad = |reason: &str| Error::BadQuery {
        field: "page_token",
        reason: reason.to_string(),
    };
    let parts: Vec<&str> = token.split('.').collect();
    let [version, sort, fp, key, rowid] = parts.as_slice() else {
        return Err(bad("not a page token from this app"));
    };
    if *version != "v1" {
        return Err(bad("not a page token from this app"));
    }
    if SortOrder::from_code(sort).ok() != Some(query.sort)
        || *fp != format!("{:x}", fingerprint(query))
    {
        return Err(bad(
            "the token belongs to a different search; start again from the first page",
        ));
    }
    let key = if let Some(v) = key.strip_prefix('i') {
        SortKey::Int(v.parse().map_err(|_| bad("damaged token"))?)
    } else if let Some(v) = key.strip_prefix('f') {
        SortKey::Float(f64::from_bits(
            u64::from_str_radix(v, 16).map_err(|_| bad("damaged token"))?,
        ))
    } else {
        return Err(bad("damaged token"));
    };
    let rowid = rowid.parse().map_err(|_| bad("damaged token"))?;
    Ok(Cursor { key, rowid })
}

/// FNV-1a over the query without its token and page size: stable across runs and builds.
fn fingerprint(query: &SearchQuery) -> u64 {
    let mut shape = query.clone();
    shape.page_token = None;
    shape.page_size = 0;
    let bytes = serde_json::to_vec(&shape).unwrap_or_default();
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_exact_float_keys() {
        let q = SearchQuery::default();
        let c = Cursor {
            key: SortKey::Float(-1.234_567_890_123_456_7e-3),
            rowid: 42,
        };
        assert_eq!(decode(&q, &encode(&q, c)).unwrap(), c);
        let c = Cursor {
            key: SortKey::Int(-1),
            rowid: 7,
        };
        assert_eq!(decode(&q, &encode(&q, c)).unwrap(), c);
    }

    #[test]
    fn token_from_another_query_is_refused() {
        let q = SearchQuery {
            text: "бухгалтер".into(),
            ..Default::default()
        };
        let token = encode(
            &q,
            Cursor {
                key: SortKey::Int(5),
                rowid: 1,
            },
        );
        let other = SearchQuery {
            text: "мугалим".into(),
            ..Default::default()
        };
        assert!(matches!(
            decode(&other, &token),
            Err(Error::BadQuery {
                field: "page_token",
                ..
            })
        ));
    }

    #[test]
    fn garbage_tokens_are_refused_not_panicking() {
        let q = SearchQuery::default();
        for t in [
            "",
            "v1",
            "v2.relevance.0.i1.1",
            "v1.relevance.zz.i1.1",
            "v1.relevance.0.x1.1",
            "....",
            "v1.relevance.0.fzz.1",
        ] {
            assert!(decode(&q, t).is_err(), "{t}");
        }
    }
}
