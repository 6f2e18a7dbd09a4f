//! Enums that travel over the wire and through the FFI carry a stable string code.
//!
//! The code, not the Rust variant name, is the contract: renaming a variant must never change what is
//! stored in SQLite files on phones or sent to the server. `coded_enum!` writes the code table once
//! and derives `code`, `from_code`, `ALL`, `Display`, `FromStr` and serde from it.

/// A string that is not the code of any variant of the named enum.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} code {code:?}; expected one of: {expected}")]
pub struct UnknownCode {
    pub kind: &'static str,
    pub code: String,
    pub expected: String,
}

/// Declares an enum with stable string codes: `coded_enum! { pub enum Kind as "kind" { A => "a", ... } }`.
/// Exported so the server and the bindings declare their wire enums the same way.
#[macro_export]
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident as $kind:literal {
            $( $(#[$vmeta:meta])* $variant:ident => $code:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every variant, in declaration order (the order is stable: bit masks rely on it).
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored in databases and sent over the wire.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            pub fn from_code(code: &str) -> ::std::result::Result<Self, $crate::model::codes::UnknownCode> {
                match code {
                    $($code => Ok($name::$variant),)+
                    _ => Err($crate::model::codes::UnknownCode {
                        kind: $kind,
                        code: code.to_string(),
                        expected: [$($code),+].join(", "),
                    }),
                }
            }

            /// Position in `ALL`; used for compact bit sets.
            pub fn index(self) -> usize {
                Self::ALL.iter().position(|v| *v == self).unwrap_or(0)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::model::codes::UnknownCode;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                Self::from_code(s)
            }
        }

        impl $crate::__serde::Serialize for $name {
            fn serialize<S: $crate::__serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let code = <::std::borrow::Cow<'de, str> as $crate::__serde::Deserialize>::deserialize(d)?;
                Self::from_code(&code).map_err(<D::Error as $crate::__serde::de::Error>::custom)
            }
        }

        $crate::__coded_enum_schema!($name, $kind, [$($code),+]);
    };
}

/// The OpenAPI schema of a coded enum (a string, one of its codes), with teng-core's `utoipa`
/// feature. A macro of its own so the feature is read where teng-core is compiled, not in the crate
/// that expands `coded_enum!` (the server declares coded enums too).
#[cfg(feature = "utoipa")]
#[doc(hidden)]
#[macro_export]
macro_rules! __coded_enum_schema {
    ($name:ident, $kind:literal, [$($code:literal),+]) => {
        impl $crate::__utoipa::PartialSchema for $name {
            fn schema() -> $crate::__utoipa::openapi::RefOr<$crate::__utoipa::openapi::schema::Schema> {
                $crate::__utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type($crate::__utoipa::openapi::schema::Type::String)
                    .description(Some(concat!("One of the ", $kind, " codes.")))
                    .enum_values(Some([$($code),+]))
                    .into()
            }
        }

        impl $crate::__utoipa::ToSchema for $name {
            fn name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(stringify!($name))
            }
        }
    };
}

#[cfg(not(feature = "utoipa"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __coded_enum_schema {
    ($($ignored:tt)*) => {};
}

pub use crate::coded_enum;

/// A set of enum values kept as a bit mask, so "all of these" filters are one integer comparison in SQL.
pub trait BitSet: Sized + Copy + 'static {
    const VALUES: &'static [Self];
    fn position(self) -> usize;

    fn bit(self) -> i64 {
        1i64 << self.position()
    }

    fn mask_of(values: &[Self]) -> i64 {
        values.iter().fold(0, |mask, v| mask | v.bit())
    }

    fn from_mask(mask: i64) -> Vec<Self> {
        Self::VALUES
            .iter()
            .copied()
            .filter(|v| mask & v.bit() != 0)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Accommodation, EmploymentType, Region};

    #[test]
    fn codes_round_trip_for_every_variant() {
        for v in Region::ALL {
            assert_eq!(Region::from_code(v.code()), Ok(*v));
        }
        for v in Accommodation::ALL {
            assert_eq!(Accommodation::from_code(v.code()), Ok(*v));
        }
    }

    #[test]
    fn unknown_code_names_the_kind_and_the_choices() {
        let err = EmploymentType::from_code("gig").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("employment type"), "{msg}");
        assert!(msg.contains("\"gig\""), "{msg}");
        assert!(msg.contains("full_time"), "{msg}");
    }

    #[test]
    fn serde_uses_the_code() {
        let json = serde_json::to_string(&EmploymentType::PartTime).unwrap();
        assert_eq!(json, "\"part_time\"");
        let back: EmploymentType = serde_json::from_str(&json).unwrap();
        assert_eq!(back, EmploymentType::PartTime);
        assert!(serde_json::from_str::<EmploymentType>("\"PartTime\"").is_err());
    }
}
