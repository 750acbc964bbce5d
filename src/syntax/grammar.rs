//! The pest parser generated from `grammar/deal.pest`. Private to `syntax`.
//!
//! pest is used without its `std` feature: that feature probes the native
//! stack on every rule, sequence, repetition and look-ahead (a quarter of
//! the parse time), and our prescan already refuses nesting deeper than
//! `limits::MAX_NESTING` before pest runs, which bounds pest's recursion.
//! Without `std` the generated code names the `alloc` crate, which
//! `lib.rs` declares.

#[derive(pest_derive::Parser)]
#[grammar = "grammar/deal.pest"]
pub(super) struct DealParser;
