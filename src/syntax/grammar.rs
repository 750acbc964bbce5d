//! The pest parser generated from `grammar/deal.pest`. Private to `syntax`.

#[derive(pest_derive::Parser)]
#[grammar = "grammar/deal.pest"]
pub(super) struct DealParser;
