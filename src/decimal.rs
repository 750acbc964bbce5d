//! Exact decimals reaching well past 1e40 (compute thresholds are written in
//! FLOP), backed by `bigdecimal`. Never binary floating point.
//!
//! Arithmetic is exact; only a division whose quotient has no finite decimal
//! expansion is rounded, to [`SIGNIFICANT_DIGITS`] significant digits. Every
//! result is checked against [`MAX_EXPONENT`] and [`MAX_SCALE`], so a chain
//! of operations can never grow a number without bound.

use bigdecimal::BigDecimal;
use bigdecimal::num_bigint::{BigInt, BigUint, Sign};
use bigdecimal::{ToPrimitive, Zero};
use std::str::FromStr;

/// Largest decimal exponent of a result's magnitude: `9.99e100` is fine,
/// `1e101` is out of range. The same bound the parser puts on literals, so
/// every literal is a value.
pub const MAX_EXPONENT: i64 = crate::limits::MAX_DECIMAL_EXPONENT;

/// Most digits after the decimal point a result may carry (1e-300 is the
/// finest step). Exact products of fractions grow their digits; this stops
/// them before they cost real memory.
pub const MAX_SCALE: i64 = 300;

/// Precision of a quotient that has no finite decimal expansion.
pub const SIGNIFICANT_DIGITS: u64 = 28;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Decimal(BigDecimal);

/// Why an arithmetic operation has no result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecimalError {
    DivisionByZero,
    /// The result is `1e101` or more in magnitude, or needs more than
    /// `MAX_SCALE` digits after the point.
    OutOfRange,
}

impl std::fmt::Display for DecimalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecimalError::DivisionByZero => f.write_str("division by zero"),
            DecimalError::OutOfRange => write!(
                f,
                "the result is out of range (1e{} or more in magnitude, or finer than 1e-{MAX_SCALE})",
                MAX_EXPONENT + 1
            ),
        }
    }
}

impl std::error::Error for DecimalError {}

/// The money scales of spec section 1, largest first.
const MONEY_SCALES: [(char, i64); 4] = [('T', 12), ('B', 9), ('M', 6), ('K', 3)];

/// A scaled money amount is "short" with at most this many digits after the point.
const SHORT_FRACTION_DIGITS: i64 = 3;

/// Integers with at least this many trailing zeros display as `Me<k>`.
const EXPONENT_DISPLAY_ZEROS: i64 = 12;

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

    /// A value known to be in range, normalised; `OutOfRange` otherwise.
    pub fn checked(value: BigDecimal) -> Result<Decimal, DecimalError> {
        let value = Decimal(value.normalized());
        if value.in_range() {
            Ok(value)
        } else {
            Err(DecimalError::OutOfRange)
        }
    }

    /// Whether this value is one arithmetic may produce (see `MAX_EXPONENT`, `MAX_SCALE`).
    pub fn in_range(&self) -> bool {
        if self.0.is_zero() {
            return true;
        }
        let (_, scale) = self.0.as_bigint_and_exponent();
        scale <= MAX_SCALE && self.0.order_of_magnitude() <= MAX_EXPONENT
    }

    pub fn zero() -> Decimal {
        Decimal(BigDecimal::zero())
    }

    pub fn one() -> Decimal {
        Decimal::from(1)
    }

    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }

    pub fn is_negative(&self) -> bool {
        self.0.sign() == Sign::Minus
    }

    pub fn is_integer(&self) -> bool {
        self.0.is_integer()
    }

    /// The value as an `i64` when it is a whole number that fits.
    pub fn to_i64(&self) -> Option<i64> {
        if self.is_integer() {
            self.0.to_i64()
        } else {
            None
        }
    }

    pub fn neg(&self) -> Decimal {
        Decimal(-self.0.clone())
    }

    pub fn abs(&self) -> Decimal {
        Decimal(self.0.abs())
    }

    pub fn add(&self, other: &Decimal) -> Result<Decimal, DecimalError> {
        operands_in_range(self, other)?;
        Decimal::checked(&self.0 + &other.0)
    }

    pub fn sub(&self, other: &Decimal) -> Result<Decimal, DecimalError> {
        operands_in_range(self, other)?;
        Decimal::checked(&self.0 - &other.0)
    }

    pub fn mul(&self, other: &Decimal) -> Result<Decimal, DecimalError> {
        operands_in_range(self, other)?;
        Decimal::checked(&self.0 * &other.0)
    }

    /// `self / other`: exact when the quotient has a finite decimal expansion
    /// (the reduced denominator has no prime factor but 2 and 5), otherwise
    /// rounded half-up to 28 significant digits (a tie cannot occur then).
    pub fn div(&self, other: &Decimal) -> Result<Decimal, DecimalError> {
        if other.is_zero() {
            return Err(DecimalError::DivisionByZero);
        }
        operands_in_range(self, other)?;
        if self.is_zero() {
            return Ok(Decimal::zero());
        }
        let (a, a_scale) = self.0.as_bigint_and_exponent();
        let (b, b_scale) = other.0.as_bigint_and_exponent();
        let negative = a.sign() != b.sign();
        let (p, q) = reduce(a.magnitude().clone(), b.magnitude().clone());
        let (mantissa, scale) = match terminating_shift(&q) {
            // p/q = p * (10^k / q) / 10^k, and 10^k / q is a whole number.
            Some(k) => (
                p * (pow10(k) / &q),
                i64::try_from(k).map_err(|_| DecimalError::OutOfRange)?,
            ),
            None => rounded_quotient(&p, &q)?,
        };
        let scale = scale
            .checked_add(a_scale)
            .and_then(|s| s.checked_sub(b_scale))
            .ok_or(DecimalError::OutOfRange)?;
        let sign = if negative { Sign::Minus } else { Sign::Plus };
        Decimal::checked(BigDecimal::new(BigInt::from_biguint(sign, mantissa), scale))
    }

    /// Plain decimal notation: no exponent, no trailing zeros, no `+`
    /// (`500000000000`, `0.27`, `-1.5`). The form JSON output uses. A value
    /// outside the range arithmetic produces (only a literal can be) is
    /// written in scientific notation instead, so printing stays small.
    pub fn to_plain_string(&self) -> String {
        if self.0.is_zero() {
            return "0".to_string();
        }
        if !self.in_range() {
            return self.0.to_scientific_notation();
        }
        self.0.normalized().to_plain_string()
    }

    /// Money as a deal literal: the largest scale that leaves a short exact
    /// number (at most 3 digits after the point, and shorter than the plain
    /// form: `$500B`, `$1.5M`, `$250K`), else plain (`$42`, `$1500`). A
    /// negative amount is written `-$5M` (unary minus on a literal).
    pub fn money_display(&self) -> String {
        let sign = if self.is_negative() { "-" } else { "" };
        let magnitude = self.abs();
        let plain = magnitude.to_plain_string();
        for (letter, exponent) in MONEY_SCALES {
            let scaled = Decimal(magnitude.0.clone() / pow10_decimal(exponent)).normalize();
            let (_, scale) = scaled.0.as_bigint_and_exponent();
            let text = format!("{}{letter}", scaled.to_plain_string());
            if scaled.0.order_of_magnitude() >= 0
                && scale <= SHORT_FRACTION_DIGITS
                && text.len() < plain.len()
            {
                return format!("{sign}${text}");
            }
        }
        format!("{sign}${plain}")
    }

    /// Money for a reader, not for deal text: the literal when it is exact
    /// to the cent (`$5M`, `$1.5M`, `$42.50` reads `$42.5`), else rounded to
    /// the cent (half away from zero) with thousands separated:
    /// `$16,666,666.67`. JSON and deal text keep `money_display` and the
    /// exact value.
    pub fn money_reading(&self) -> String {
        let (_, scale) = self.0.normalized().as_bigint_and_exponent();
        if scale <= 2 || !self.in_range() {
            return self.money_display();
        }
        let sign = if self.is_negative() { "-" } else { "" };
        let cents = self
            .abs()
            .0
            .with_scale_round(2, bigdecimal::RoundingMode::HalfUp)
            .to_plain_string();
        let (whole, fraction) = cents.split_once('.').unwrap_or((&cents, "00"));
        format!("{sign}${}.{fraction}", group_thousands(whole))
    }

    /// A fraction as a percent literal: 0.27 is `27%`, 0.325 is `32.5%`.
    pub fn percent_display(&self) -> String {
        let hundred = Decimal(self.0.clone() * BigDecimal::from(100)).normalize();
        format!("{}%", hundred.to_plain_string())
    }

    /// A number as a deal literal: plain, except that a whole number with at
    /// least 12 trailing zeros is written `<digits>e<k>` (`5e26`, `15e26`),
    /// which the grammar reads back as the same value.
    pub fn number_display(&self) -> String {
        let (digits, scale) = self.0.as_bigint_and_exponent();
        if !self.is_zero() && -scale >= EXPONENT_DISPLAY_ZEROS {
            format!("{digits}e{}", -scale)
        } else {
            self.to_plain_string()
        }
    }

    fn normalize(self) -> Decimal {
        Decimal(self.0.normalized())
    }
}

impl From<i64> for Decimal {
    fn from(value: i64) -> Decimal {
        Decimal(BigDecimal::from(value).normalized())
    }
}

impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_plain_string())
    }
}

/// `16666666` as `16,666,666`.
fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Operands are checked before the operation: aligning `1` with a literal
/// like `1e-1000000000` would otherwise build a billion-digit number.
fn operands_in_range(a: &Decimal, b: &Decimal) -> Result<(), DecimalError> {
    if a.in_range() && b.in_range() {
        Ok(())
    } else {
        Err(DecimalError::OutOfRange)
    }
}

fn pow10(exponent: u64) -> BigUint {
    // Exponents here are bounded by the digit counts of in-range operands.
    let exponent = u32::try_from(exponent).unwrap_or(u32::MAX);
    BigUint::from(10u32).pow(exponent)
}

fn pow10_decimal(exponent: i64) -> BigDecimal {
    BigDecimal::new(BigInt::from(1), -exponent)
}

fn gcd(mut a: BigUint, mut b: BigUint) -> BigUint {
    while !b.is_zero() {
        let r = &a % &b;
        a = b;
        b = r;
    }
    a
}

/// The fraction p/q in lowest terms.
fn reduce(p: BigUint, q: BigUint) -> (BigUint, BigUint) {
    let g = gcd(p.clone(), q.clone());
    (p / &g, q / g)
}

/// For a denominator 2^i 5^j, the k = max(i, j) with 10^k / q whole; None
/// when q has another prime factor (the quotient does not terminate).
fn terminating_shift(q: &BigUint) -> Option<u64> {
    let twos = q.trailing_zeros().unwrap_or(0);
    let mut rest = q >> twos;
    let five = BigUint::from(5u32);
    let mut fives = 0u64;
    while !rest.is_zero() && (&rest % &five).is_zero() {
        rest /= &five;
        fives += 1;
    }
    (rest == BigUint::from(1u32)).then_some(twos.max(fives))
}

/// p/q rounded half-up to `SIGNIFICANT_DIGITS` digits, as (mantissa, scale)
/// with p/q ≈ mantissa × 10^-scale.
fn rounded_quotient(p: &BigUint, q: &BigUint) -> Result<(BigUint, i64), DecimalError> {
    let digits = |n: &BigUint| i64::try_from(n.to_string().len()).unwrap_or(i64::MAX);
    // p/q lies in (10^(e-1), 10^(e+1)); shifting by 10^s gives 29 or 30 digits.
    let e = digits(p) - digits(q);
    let s = i64::try_from(SIGNIFICANT_DIGITS).unwrap_or(28) + 1 - e;
    let (numerator, denominator) = if s >= 0 {
        (p * pow10(s.unsigned_abs()), q.clone())
    } else {
        (p.clone(), q * pow10(s.unsigned_abs()))
    };
    let quotient = numerator / denominator;
    let extra = (digits(&quotient) - i64::try_from(SIGNIFICANT_DIGITS).unwrap_or(28)).max(0);
    let unit = pow10(extra.unsigned_abs());
    let mut kept = &quotient / &unit;
    let dropped = &quotient % &unit;
    // The exact quotient never terminates, so the dropped tail (plus the
    // nonzero remainder) is never exactly half: half-up is correct rounding.
    if extra > 0 && dropped * 2u32 >= unit {
        kept += 1u32;
    }
    let scale = s.checked_sub(extra).ok_or(DecimalError::OutOfRange)?;
    Ok((kept, scale))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        Decimal::parse(text).unwrap()
    }

    #[test]
    fn money_reads_exactly_or_rounded_to_the_cent() {
        let third = d("50000000").div(&d("3")).unwrap();
        assert_eq!(third.money_reading(), "$16,666,666.67");
        assert_eq!(third.neg().money_reading(), "-$16,666,666.67");
        assert_eq!(d("0.005").money_reading(), "$0.01");
        assert_eq!(d("1234.567").money_reading(), "$1,234.57");
        assert_eq!(d("5000000").money_reading(), "$5M");
        assert_eq!(d("42.5").money_reading(), "$42.5");
        assert!(third.money_display().len() > 20, "the literal stays exact");
    }

    #[test]
    fn money_divided_by_percent_is_exact() {
        // $135B / 27%
        assert_eq!(d("135e9").div(&d("0.27")).unwrap(), d("500e9"));
        assert_eq!(
            d("135e9").div(&d("0.27")).unwrap().to_plain_string(),
            "500000000000"
        );
    }

    #[test]
    fn terminating_quotients_are_exact() {
        assert_eq!(d("1").div(&d("8")).unwrap().to_plain_string(), "0.125");
        assert_eq!(d("-3").div(&d("0.4")).unwrap().to_plain_string(), "-7.5");
        assert_eq!(
            d("1").div(&d("1024")).unwrap().to_plain_string(),
            "0.0009765625"
        );
        assert_eq!(d("6").div(&d("3")).unwrap().to_plain_string(), "2");
        assert_eq!(d("1e40").div(&d("1e-20")).unwrap(), d("1e60"));
    }

    #[test]
    fn non_terminating_quotients_round_to_28_significant_digits() {
        let third = d("1").div(&d("3")).unwrap();
        assert_eq!(third.to_plain_string(), "0.3333333333333333333333333333");
        let two_thirds = d("2").div(&d("3")).unwrap();
        assert_eq!(
            two_thirds.to_plain_string(),
            "0.6666666666666666666666666667"
        );
        let big = d("1e40").div(&d("7")).unwrap();
        assert_eq!(
            big.to_plain_string(),
            "1428571428571428571428571429000000000000"
        );
        let negative = d("-10").div(&d("3")).unwrap();
        assert_eq!(negative.to_plain_string(), "-3.333333333333333333333333333");
        let tiny = d("1e-20").div(&d("3")).unwrap();
        assert_eq!(
            tiny.to_plain_string(),
            format!("0.{}{}", "0".repeat(20), "3".repeat(28))
        );
    }

    #[test]
    fn division_by_zero_is_an_error() {
        assert_eq!(d("1").div(&d("0")), Err(DecimalError::DivisionByZero));
        assert_eq!(d("0").div(&d("0.000")), Err(DecimalError::DivisionByZero));
        assert_eq!(d("0").div(&d("5")).unwrap(), Decimal::zero());
    }

    #[test]
    fn magnitudes_past_1e40_work_and_past_1e100_fail() {
        let big = d("1e40");
        assert_eq!(big.mul(&big).unwrap(), d("1e80"));
        assert_eq!(
            big.add(&d("1")).unwrap().to_plain_string(),
            format!("1{}1", "0".repeat(39))
        );
        assert_eq!(d("1e60").mul(&d("1e60")), Err(DecimalError::OutOfRange));
        assert_eq!(d("9e100").add(&d("9e100")), Err(DecimalError::OutOfRange));
        assert_eq!(d("1e-200").mul(&d("1e-200")), Err(DecimalError::OutOfRange));
        assert_eq!(d("1").div(&d("1e-101")), Err(DecimalError::OutOfRange));
        let absurd = d("1e-1000000000");
        assert!(!absurd.in_range());
        assert_eq!(d("1").add(&absurd), Err(DecimalError::OutOfRange));
        assert_eq!(absurd.mul(&d("1")), Err(DecimalError::OutOfRange));
        assert_eq!(d("1").div(&absurd), Err(DecimalError::OutOfRange));
        assert!(absurd.to_plain_string().len() < 20);
        assert!(d("1e1000000000").money_display().len() < 40);
    }

    #[test]
    fn ring_operations() {
        assert_eq!(d("0.1").add(&d("0.2")).unwrap(), d("0.3"));
        assert_eq!(d("0.1").sub(&d("0.3")).unwrap().to_plain_string(), "-0.2");
        assert_eq!(d("0.27").mul(&d("500e9")).unwrap(), d("135e9"));
        assert_eq!(d("1.5").neg().to_plain_string(), "-1.5");
        assert!(d("2") > d("1.99"));
        assert!(d("-2") < d("0"));
        assert_eq!(d("1.50"), d("1.5"));
    }

    #[test]
    fn integer_conversions() {
        assert_eq!(Decimal::from(42i64).to_plain_string(), "42");
        assert_eq!(d("42.0").to_i64(), Some(42));
        assert_eq!(d("4.2").to_i64(), None);
        assert_eq!(d("1e30").to_i64(), None);
        assert_eq!(d("-7").to_i64(), Some(-7));
        assert!(d("1e3").is_integer());
    }

    #[test]
    fn plain_strings() {
        assert_eq!(d("5e11").to_plain_string(), "500000000000");
        assert_eq!(d("0.270").to_plain_string(), "0.27");
        assert_eq!(d("-1.50").to_plain_string(), "-1.5");
        assert_eq!(d("0").to_plain_string(), "0");
        assert_eq!(d("0e10").to_plain_string(), "0");
        assert_eq!(d("1e-3").to_plain_string(), "0.001");
    }

    #[test]
    fn money_display_picks_the_largest_short_scale() {
        assert_eq!(d("500e9").money_display(), "$500B");
        assert_eq!(d("1.5e6").money_display(), "$1.5M");
        assert_eq!(d("250000").money_display(), "$250K");
        assert_eq!(d("42").money_display(), "$42");
        assert_eq!(d("0.5").money_display(), "$0.5");
        assert_eq!(d("1234567").money_display(), "$1234567");
        assert_eq!(d("1234000").money_display(), "$1.234M");
        assert_eq!(d("1500").money_display(), "$1500");
        assert_eq!(d("10000").money_display(), "$10K");
        assert_eq!(d("2e15").money_display(), "$2000T");
        assert_eq!(d("-5e6").money_display(), "-$5M");
        assert_eq!(d("0").money_display(), "$0");
    }

    #[test]
    fn percent_and_number_display() {
        assert_eq!(d("0.27").percent_display(), "27%");
        assert_eq!(d("0.325").percent_display(), "32.5%");
        assert_eq!(d("1").percent_display(), "100%");
        assert_eq!(d("5e26").number_display(), "5e26");
        assert_eq!(d("15e26").number_display(), "15e26");
        assert_eq!(d("1000").number_display(), "1000");
        assert_eq!(d("0.5").number_display(), "0.5");
        assert_eq!(
            Decimal::parse(&d("15e26").number_display()),
            Some(d("1.5e27"))
        );
    }
}
