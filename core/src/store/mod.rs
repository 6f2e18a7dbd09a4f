//! The phone-side store.
pub struct Store;
