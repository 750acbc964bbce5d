//! Exact decimals reaching well past 1e40 (compute thresholds are written in
//! FLOP), backed by `bigdecimal`. Never binary floating point.

use bigdecimal::BigDecimal;
use std::str::FromStr;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Decimal(BigDecimal);

impl Decimal {
    /// Parse a plain or exponent decimal (`42`, `0.5`, `1e27`); underscores
    /// must already be removed. None when it is not a number.
    pub fn parse(text: &str) -> Option<Decimal> {
        BigDecimal::from_str(text)
            .ok()
            .map(|d| Decimal(d.normalized()))
    }

    pub fn from_big(value: BigDecimal) -> Decimal {
        Decimal(value.normalized())
    }

    pub fn as_big(&self) -> &BigDecimal {
        &self.0
    }
}
