//! Search behaviour, one test per rule.
