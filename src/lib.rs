//! `deal`: a small language for the terms of business deals.
//!
//! The pipeline: `syntax` (text to AST with spans) → `check` (names, types,
//! lints) → `eval` (time, scenarios, queries). Front ends (`cli`, `repl`, …)
//! call these and never re-implement semantics. The library never prints.

pub mod ast;
pub mod cli;
pub mod decimal;
pub mod diagnostic;
pub mod fmt;
pub mod limits;
pub mod source;
pub mod symbols;
pub mod syntax;
pub mod types;
