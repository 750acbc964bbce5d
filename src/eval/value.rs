//! Runtime values and the arithmetic of spec section 5. Which combinations
//! are allowed, and what type they give, comes from `types::binary_result`
//! alone; this module only computes. Quantities (money, percent, number,
//! unit) are one exact decimal each, so once the result type is known the
//! arithmetic is plain decimal arithmetic on their amounts.

use crate::ast::{BinaryOp, Literal};
use crate::decimal::{Decimal, DecimalError};
use crate::eval::time::{DateOutOfRange, shift_date};
use crate::types::{Type, binary_result};
use chrono::NaiveDate;
use std::cmp::Ordering;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Money(Decimal),
    /// The fraction: 27% is 0.27.
    Percent(Decimal),
    Number(Decimal),
    Quantity {
        value: Decimal,
        unit: String,
    },
    Bool(bool),
    Date(NaiveDate),
    /// A (months, days) pair: a year is 12 months, a week 7 days.
    Duration {
        months: i64,
        days: i64,
    },
    Text(String),
}

/// Why an operation on values has no result. The evaluator turns each into
/// a `deal::eval` (or, for a type mismatch the checker should have caught, a
/// `deal::type-mismatch`) labelled on the expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValueError {
    TypeMismatch {
        op: &'static str,
        lhs: Type,
        rhs: Type,
    },
    Decimal(DecimalError),
    /// A duration scaled by a number that is not whole.
    NotWhole(Decimal),
    /// Two durations whose order depends on the calendar (`1 month` vs `30 days`).
    Incomparable {
        lhs: String,
        rhs: String,
    },
    DateOutOfRange,
    /// A duration's months or days overflowed.
    DurationOutOfRange,
}

impl std::fmt::Display for ValueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ValueError::TypeMismatch { op, lhs, rhs } => {
                write!(f, "`{op}` cannot combine {lhs} with {rhs}")
            }
            ValueError::Decimal(e) => write!(f, "{e}"),
            ValueError::NotWhole(n) => {
                write!(
                    f,
                    "a duration can only be scaled by a whole number, not {n}"
                )
            }
            ValueError::Incomparable { lhs, rhs } => write!(
                f,
                "cannot compare {lhs} with {rhs}: their order depends on the calendar"
            ),
            ValueError::DateOutOfRange => write!(f, "{DateOutOfRange}"),
            ValueError::DurationOutOfRange => f.write_str("the duration is out of range"),
        }
    }
}

impl From<DecimalError> for ValueError {
    fn from(e: DecimalError) -> Self {
        ValueError::Decimal(e)
    }
}

impl From<DateOutOfRange> for ValueError {
    fn from(_: DateOutOfRange) -> Self {
        ValueError::DateOutOfRange
    }
}

impl Value {
    pub fn from_literal(literal: &Literal) -> Value {
        match literal {
            Literal::Number { value, .. } => Value::Number(value.clone()),
            Literal::Money { value, .. } => Value::Money(value.clone()),
            Literal::Percent { value, .. } => Value::Percent(value.clone()),
            Literal::Quantity { value, unit, .. } => Value::Quantity {
                value: value.clone(),
                unit: unit.text.clone(),
            },
            Literal::Bool(b) => Value::Bool(*b),
            Literal::Date(d) => Value::Date(*d),
            Literal::Duration(d) => {
                let (months, days) = d.months_days();
                Value::Duration { months, days }
            }
            Literal::String(s) => Value::Text(s.clone()),
        }
    }

    pub fn ty(&self) -> Type {
        match self {
            Value::Money(_) => Type::Money,
            Value::Percent(_) => Type::Percent,
            Value::Number(_) => Type::Number,
            Value::Quantity { unit, .. } => Type::Unit(unit.clone()),
            Value::Bool(_) => Type::Bool,
            Value::Date(_) => Type::Date,
            Value::Duration { .. } => Type::Duration,
            Value::Text(_) => Type::Text,
        }
    }

    /// The decimal inside a quantity (a percent's fraction); None otherwise.
    pub fn amount(&self) -> Option<&Decimal> {
        match self {
            Value::Money(d) | Value::Percent(d) | Value::Number(d) => Some(d),
            Value::Quantity { value, .. } => Some(value),
            _ => None,
        }
    }

    /// A quantity of type `ty` with the given amount; None when `ty` is not a quantity type.
    pub fn of_type(ty: &Type, amount: Decimal) -> Option<Value> {
        match ty {
            Type::Money => Some(Value::Money(amount)),
            Type::Percent => Some(Value::Percent(amount)),
            Type::Number => Some(Value::Number(amount)),
            Type::Unit(unit) => Some(Value::Quantity {
                value: amount,
                unit: unit.clone(),
            }),
            _ => None,
        }
    }

    /// The value written as a deal literal: `$500B`, `27%`, `5e26 flop`,
    /// `2028-01-01`, `3 months`, `true`, `"text"`. Large whole numbers use
    /// the `<digits>e<k>` form (see `Decimal::number_display`). A duration
    /// with both parts is written as a sum (`1 month + 10 days`).
    pub fn display(&self) -> String {
        match self {
            Value::Money(d) => d.money_display(),
            Value::Percent(d) => d.percent_display(),
            Value::Number(d) => d.number_display(),
            Value::Quantity { value, unit } => format!("{} {unit}", value.number_display()),
            Value::Bool(b) => b.to_string(),
            Value::Date(d) => d.to_string(),
            Value::Duration { months, days } => duration_display(*months, *days),
            Value::Text(s) => format!("{s:?}"),
        }
    }

    /// The `value` string of JSON output (spec section 9): exact plain
    /// decimals (a percent as its fraction), ISO dates, ISO 8601 durations,
    /// `true`/`false`; a string as itself.
    pub fn json_value(&self) -> String {
        match self {
            Value::Money(d) | Value::Percent(d) | Value::Number(d) => d.to_plain_string(),
            Value::Quantity { value, .. } => value.to_plain_string(),
            Value::Bool(b) => b.to_string(),
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
            Value::Duration { months, days } => iso_duration(*months, *days),
            Value::Text(s) => s.clone(),
        }
    }

    /// Unary minus, on quantities and durations.
    pub fn negate(&self) -> Result<Value, ValueError> {
        match self {
            Value::Duration { months, days } => Ok(Value::Duration {
                months: months.checked_neg().ok_or(ValueError::DurationOutOfRange)?,
                days: days.checked_neg().ok_or(ValueError::DurationOutOfRange)?,
            }),
            other => match other.amount() {
                Some(amount) => Ok(Value::of_type(&other.ty(), amount.neg())
                    .unwrap_or(Value::Number(amount.neg()))),
                None => Err(ValueError::TypeMismatch {
                    op: "-",
                    lhs: other.ty(),
                    rhs: other.ty(),
                }),
            },
        }
    }

    /// `lhs OP rhs` for every operator of section 5 (`and`/`or` included,
    /// without short-circuit: the evaluator short-circuits before calling this).
    pub fn binary(op: BinaryOp, lhs: &Value, rhs: &Value) -> Result<Value, ValueError> {
        let (lhs_ty, rhs_ty) = (lhs.ty(), rhs.ty());
        let mismatch = || ValueError::TypeMismatch {
            op: op.symbol(),
            lhs: lhs_ty.clone(),
            rhs: rhs_ty.clone(),
        };
        let result_ty = binary_result(op, &lhs_ty, &rhs_ty).ok_or_else(mismatch)?;
        match op {
            BinaryOp::Or | BinaryOp::And => match (lhs, rhs) {
                (Value::Bool(a), Value::Bool(b)) => Ok(Value::Bool(if op == BinaryOp::Or {
                    *a || *b
                } else {
                    *a && *b
                })),
                _ => Err(mismatch()),
            },
            BinaryOp::Eq => Ok(Value::Bool(lhs.equals(rhs)?)),
            BinaryOp::Ne => Ok(Value::Bool(!lhs.equals(rhs)?)),
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                let order = lhs.compare(rhs)?;
                Ok(Value::Bool(match op {
                    BinaryOp::Lt => order == Ordering::Less,
                    BinaryOp::Le => order != Ordering::Greater,
                    BinaryOp::Gt => order == Ordering::Greater,
                    _ => order != Ordering::Less,
                }))
            }
            BinaryOp::Add | BinaryOp::Sub => {
                let sign = if op == BinaryOp::Add { 1 } else { -1 };
                match (lhs, rhs) {
                    (Value::Date(date), Value::Duration { months, days })
                    | (Value::Duration { months, days }, Value::Date(date)) => {
                        let months = months
                            .checked_mul(sign)
                            .ok_or(ValueError::DurationOutOfRange)?;
                        let days = days
                            .checked_mul(sign)
                            .ok_or(ValueError::DurationOutOfRange)?;
                        Ok(Value::Date(shift_date(*date, months, days)?))
                    }
                    (Value::Date(a), Value::Date(b)) => Ok(Value::Duration {
                        months: 0,
                        days: a.signed_duration_since(*b).num_days(),
                    }),
                    (
                        Value::Duration {
                            months: m1,
                            days: d1,
                        },
                        Value::Duration {
                            months: m2,
                            days: d2,
                        },
                    ) => {
                        let combine = |a: i64, b: i64| {
                            if sign > 0 {
                                a.checked_add(b)
                            } else {
                                a.checked_sub(b)
                            }
                            .ok_or(ValueError::DurationOutOfRange)
                        };
                        Ok(Value::Duration {
                            months: combine(*m1, *m2)?,
                            days: combine(*d1, *d2)?,
                        })
                    }
                    _ => {
                        let (a, b) = amounts(lhs, rhs).ok_or_else(mismatch)?;
                        let sum = if sign > 0 { a.add(b)? } else { a.sub(b)? };
                        Value::of_type(&result_ty, sum).ok_or_else(mismatch)
                    }
                }
            }
            BinaryOp::Mul => match (lhs, rhs) {
                (Value::Duration { months, days }, Value::Number(n))
                | (Value::Number(n), Value::Duration { months, days }) => {
                    let factor = whole(n)?;
                    Ok(Value::Duration {
                        months: months
                            .checked_mul(factor)
                            .ok_or(ValueError::DurationOutOfRange)?,
                        days: days
                            .checked_mul(factor)
                            .ok_or(ValueError::DurationOutOfRange)?,
                    })
                }
                _ => {
                    let (a, b) = amounts(lhs, rhs).ok_or_else(mismatch)?;
                    Value::of_type(&result_ty, a.mul(b)?).ok_or_else(mismatch)
                }
            },
            BinaryOp::Div => {
                let (a, b) = amounts(lhs, rhs).ok_or_else(mismatch)?;
                Value::of_type(&result_ty, a.div(b)?).ok_or_else(mismatch)
            }
        }
    }

    /// `==` between values of one type. Durations are equal when both parts
    /// are; when their order depends on the calendar, comparing is an error.
    pub fn equals(&self, other: &Value) -> Result<bool, ValueError> {
        match (self, other) {
            (Value::Duration { .. }, Value::Duration { .. }) => {
                Ok(self.compare(other)? == Ordering::Equal)
            }
            _ => match amounts(self, other) {
                Some((a, b)) => Ok(a == b),
                None => Ok(self == other),
            },
        }
    }

    /// The order of two values of one ordered type. Durations are ordered
    /// only when one dominates the other in both parts (months and days):
    /// `1 year > 3 months`, `1 month + 10 days > 1 month`, `0 days < 5 days`;
    /// `1 month` against `30 days` is `ValueError::Incomparable`.
    pub fn compare(&self, other: &Value) -> Result<Ordering, ValueError> {
        match (self, other) {
            (Value::Date(a), Value::Date(b)) => Ok(a.cmp(b)),
            (
                Value::Duration {
                    months: m1,
                    days: d1,
                },
                Value::Duration {
                    months: m2,
                    days: d2,
                },
            ) => match (m1.cmp(m2), d1.cmp(d2)) {
                (Ordering::Less, Ordering::Greater) | (Ordering::Greater, Ordering::Less) => {
                    Err(ValueError::Incomparable {
                        lhs: self.display(),
                        rhs: other.display(),
                    })
                }
                (Ordering::Equal, order) | (order, _) => Ok(order),
            },
            _ => match amounts(self, other) {
                Some((a, b)) if self.ty() == other.ty() => Ok(a.cmp(b)),
                _ => Err(ValueError::TypeMismatch {
                    op: "<",
                    lhs: self.ty(),
                    rhs: other.ty(),
                }),
            },
        }
    }
}

fn amounts<'a>(lhs: &'a Value, rhs: &'a Value) -> Option<(&'a Decimal, &'a Decimal)> {
    Some((lhs.amount()?, rhs.amount()?))
}

fn whole(n: &Decimal) -> Result<i64, ValueError> {
    if !n.is_integer() {
        return Err(ValueError::NotWhole(n.clone()));
    }
    n.to_i64().ok_or(ValueError::DurationOutOfRange)
}

/// A duration as deal text: `3 months`, `1 year`, `45 days`, `1 month + 10
/// days`, `0 days`; negative parts as `-3 months`.
pub fn duration_display(months: i64, days: i64) -> String {
    fn part(amount: i64, singular: &str, plural: &str) -> String {
        let word = if amount.unsigned_abs() == 1 {
            singular
        } else {
            plural
        };
        format!("{amount} {word}")
    }
    let mut parts = Vec::new();
    if months != 0 {
        if months % 12 == 0 {
            parts.push(part(months / 12, "year", "years"));
        } else {
            parts.push(part(months, "month", "months"));
        }
    }
    if days != 0 || months == 0 {
        parts.push(part(days, "day", "days"));
    }
    parts.join(" + ")
}

/// ISO 8601: `P1Y`, `P3M`, `P45D`, `P1M10D`, `P1Y2M`, `P0D`. A wholly
/// negative duration is `-P45D`; mixed signs put the sign on the part
/// (`P1M-5D`).
pub fn iso_duration(months: i64, days: i64) -> String {
    if months == 0 && days == 0 {
        return "P0D".to_string();
    }
    let (prefix, months, days) = if months <= 0 && days <= 0 {
        ("-", -i128::from(months), -i128::from(days))
    } else {
        ("", i128::from(months), i128::from(days))
    };
    let mut out = format!("{prefix}P");
    let (years, rest) = (months / 12, months % 12);
    if years != 0 {
        out.push_str(&format!("{years}Y"));
    }
    if rest != 0 {
        out.push_str(&format!("{rest}M"));
    }
    if days != 0 {
        out.push_str(&format!("{days}D"));
    }
    out
}

/// Read an ISO 8601 date-only duration (`P1Y2M10D`, `P3W`, `-P45D`) as
/// (months, days). Time parts (`T...`) are not durations in deal.
pub fn parse_iso_duration(text: &str) -> Option<(i64, i64)> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut rest = rest.strip_prefix('P')?;
    if rest.is_empty() {
        return None;
    }
    let (mut months, mut days) = (0i64, 0i64);
    let mut last_rank = 0;
    while !rest.is_empty() {
        let sign_len = usize::from(rest.starts_with('-'));
        let digits_end = rest[sign_len..].find(|c: char| !c.is_ascii_digit())? + sign_len;
        if digits_end == sign_len {
            return None;
        }
        let amount: i64 = rest[..digits_end].parse().ok()?;
        let designator = rest[digits_end..].chars().next()?;
        let (rank, add_months, add_days) = match designator {
            'Y' => (1, amount.checked_mul(12)?, 0),
            'M' => (2, amount, 0),
            'W' => (3, 0, amount.checked_mul(7)?),
            'D' => (4, 0, amount),
            _ => return None,
        };
        if rank <= last_rank {
            return None;
        }
        last_rank = rank;
        months = months.checked_add(add_months)?;
        days = days.checked_add(add_days)?;
        rest = &rest[digits_end + 1..];
    }
    if negative {
        Some((months.checked_neg()?, days.checked_neg()?))
    } else {
        Some((months, days))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use BinaryOp::*;

    fn d(text: &str) -> Decimal {
        Decimal::parse(text).unwrap()
    }
    fn money(text: &str) -> Value {
        Value::Money(d(text))
    }
    fn pct(text: &str) -> Value {
        Value::Percent(d(text))
    }
    fn num(text: &str) -> Value {
        Value::Number(d(text))
    }
    fn flop(text: &str) -> Value {
        Value::Quantity {
            value: d(text),
            unit: "flop".into(),
        }
    }
    fn date(text: &str) -> Value {
        Value::Date(text.parse().unwrap())
    }
    fn dur(months: i64, days: i64) -> Value {
        Value::Duration { months, days }
    }

    #[test]
    fn money_and_percent() {
        assert_eq!(
            Value::binary(Div, &money("135e9"), &pct("0.27")),
            Ok(money("500e9"))
        );
        assert_eq!(
            Value::binary(Mul, &money("500e9"), &pct("0.27")),
            Ok(money("135e9"))
        );
        assert_eq!(
            Value::binary(Mul, &pct("0.5"), &pct("0.5")),
            Ok(pct("0.25"))
        );
        assert_eq!(
            Value::binary(Div, &money("10"), &money("4")),
            Ok(num("2.5"))
        );
        assert_eq!(Value::binary(Mul, &num("2"), &money("5")), Ok(money("10")));
        assert_eq!(
            Value::binary(Add, &pct("0.27"), &pct("0.05")),
            Ok(pct("0.32"))
        );
        assert_eq!(
            Value::binary(Sub, &money("1"), &money("3")),
            Ok(money("-2"))
        );
    }

    #[test]
    fn unit_quantities() {
        assert_eq!(
            Value::binary(Add, &flop("1e26"), &flop("4e26")),
            Ok(flop("5e26"))
        );
        assert_eq!(
            Value::binary(Div, &flop("1e27"), &num("4")),
            Ok(flop("2.5e26"))
        );
        assert_eq!(
            Value::binary(Div, &flop("1e27"), &flop("1e26")),
            Ok(num("10"))
        );
        assert_eq!(
            Value::binary(Mul, &num("3"), &flop("1e26")),
            Ok(flop("3e26"))
        );
        assert_eq!(
            Value::binary(Gt, &flop("5e26"), &flop("1e26")),
            Ok(Value::Bool(true))
        );
        let tokens = Value::Quantity {
            value: d("1"),
            unit: "token".into(),
        };
        assert!(matches!(
            Value::binary(Add, &flop("1"), &tokens),
            Err(ValueError::TypeMismatch { .. })
        ));
    }

    #[test]
    fn type_mismatches_follow_the_shared_table() {
        assert!(matches!(
            Value::binary(Add, &money("1"), &pct("0.1")),
            Err(ValueError::TypeMismatch { .. })
        ));
        assert!(matches!(
            Value::binary(Mul, &money("1"), &money("1")),
            Err(ValueError::TypeMismatch { .. })
        ));
        assert!(matches!(
            Value::binary(Lt, &Value::Bool(true), &Value::Bool(false)),
            Err(ValueError::TypeMismatch { .. })
        ));
    }

    #[test]
    fn division_by_zero() {
        assert_eq!(
            Value::binary(Div, &money("1"), &pct("0")),
            Err(ValueError::Decimal(DecimalError::DivisionByZero))
        );
    }

    #[test]
    fn dates_and_durations() {
        assert_eq!(
            Value::binary(Add, &date("2027-01-31"), &dur(1, 0)),
            Ok(date("2027-02-28"))
        );
        assert_eq!(
            Value::binary(Add, &date("2028-01-31"), &dur(1, 0)),
            Ok(date("2028-02-29"))
        );
        assert_eq!(
            Value::binary(Add, &dur(0, 1), &date("2028-02-28")),
            Ok(date("2028-02-29"))
        );
        assert_eq!(
            Value::binary(Sub, &date("2028-03-31"), &dur(1, 0)),
            Ok(date("2028-02-29"))
        );
        assert_eq!(
            Value::binary(Sub, &date("2029-01-01"), &date("2028-01-01")),
            Ok(dur(0, 366))
        );
        assert_eq!(
            Value::binary(Sub, &date("2028-01-01"), &date("2028-01-11")),
            Ok(dur(0, -10))
        );
        assert_eq!(Value::binary(Add, &dur(1, 3), &dur(2, 4)), Ok(dur(3, 7)));
        assert_eq!(Value::binary(Mul, &dur(1, 3), &num("3")), Ok(dur(3, 9)));
        assert_eq!(Value::binary(Mul, &num("2"), &dur(12, 0)), Ok(dur(24, 0)));
        assert_eq!(
            Value::binary(Mul, &dur(1, 0), &num("1.5")),
            Err(ValueError::NotWhole(d("1.5")))
        );
        assert_eq!(
            Value::binary(Add, &Value::Date(NaiveDate::MAX), &dur(0, 1)),
            Err(ValueError::DateOutOfRange)
        );
    }

    #[test]
    fn duration_order_is_defined_only_when_one_dominates() {
        assert_eq!(
            Value::binary(Gt, &dur(12, 0), &dur(3, 0)),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            Value::binary(Lt, &dur(0, 5), &dur(0, 45)),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            Value::binary(Gt, &dur(1, 10), &dur(1, 0)),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            Value::binary(Eq, &dur(12, 0), &dur(12, 0)),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            Value::binary(Lt, &dur(0, 0), &dur(1, 0)),
            Ok(Value::Bool(true))
        );
        assert!(matches!(
            Value::binary(Lt, &dur(1, 0), &dur(0, 30)),
            Err(ValueError::Incomparable { .. })
        ));
        assert!(matches!(
            Value::binary(Eq, &dur(1, 0), &dur(0, 30)),
            Err(ValueError::Incomparable { .. })
        ));
    }

    #[test]
    fn equality_and_order_of_plain_values() {
        assert_eq!(
            Value::binary(Eq, &money("1.50"), &money("1.5")),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            Value::binary(Ne, &Value::Bool(true), &Value::Bool(false)),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            Value::binary(Le, &date("2028-01-01"), &date("2028-01-01")),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            Value::binary(Eq, &Value::Text("a".into()), &Value::Text("a".into())),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            Value::binary(And, &Value::Bool(true), &Value::Bool(false)),
            Ok(Value::Bool(false))
        );
    }

    #[test]
    fn negation() {
        assert_eq!(money("5").negate(), Ok(money("-5")));
        assert_eq!(dur(1, 2).negate(), Ok(dur(-1, -2)));
        assert!(Value::Bool(true).negate().is_err());
    }

    #[test]
    fn json_strings() {
        assert_eq!(money("500e9").json_value(), "500000000000");
        assert_eq!(pct("0.27").json_value(), "0.27");
        assert_eq!(num("-1.50").json_value(), "-1.5");
        assert_eq!(flop("5e26").json_value(), "500000000000000000000000000");
        assert_eq!(Value::Bool(true).json_value(), "true");
        assert_eq!(Value::Bool(false).json_value(), "false");
        assert_eq!(date("2028-09-01").json_value(), "2028-09-01");
        assert_eq!(dur(12, 0).json_value(), "P1Y");
        assert_eq!(dur(3, 0).json_value(), "P3M");
        assert_eq!(dur(0, 45).json_value(), "P45D");
        assert_eq!(dur(1, 10).json_value(), "P1M10D");
        assert_eq!(dur(14, 0).json_value(), "P1Y2M");
        assert_eq!(dur(0, 0).json_value(), "P0D");
        assert_eq!(dur(0, -45).json_value(), "-P45D");
        assert_eq!(dur(1, -5).json_value(), "P1M-5D");
        assert_eq!(Value::Text("hi".into()).json_value(), "hi");
    }

    #[test]
    fn iso_durations_round_trip() {
        for (months, days) in [
            (12, 0),
            (3, 0),
            (0, 45),
            (1, 10),
            (14, 3),
            (0, 0),
            (0, -45),
            (-12, -1),
            (1, -5),
        ] {
            assert_eq!(
                parse_iso_duration(&iso_duration(months, days)),
                Some((months, days))
            );
        }
        assert_eq!(parse_iso_duration("P2W"), Some((0, 14)));
        assert_eq!(parse_iso_duration("P"), None);
        assert_eq!(parse_iso_duration("P1D1M"), None);
        assert_eq!(parse_iso_duration("PT1H"), None);
        assert_eq!(parse_iso_duration("3 months"), None);
    }

    #[test]
    fn display_as_deal_literals() {
        assert_eq!(money("500e9").display(), "$500B");
        assert_eq!(pct("0.27").display(), "27%");
        assert_eq!(pct("0.325").display(), "32.5%");
        assert_eq!(flop("5e26").display(), "5e26 flop");
        assert_eq!(num("42").display(), "42");
        assert_eq!(date("2028-01-01").display(), "2028-01-01");
        assert_eq!(dur(3, 0).display(), "3 months");
        assert_eq!(dur(12, 0).display(), "1 year");
        assert_eq!(dur(0, 1).display(), "1 day");
        assert_eq!(dur(1, 10).display(), "1 month + 10 days");
        assert_eq!(dur(0, 0).display(), "0 days");
        assert_eq!(Value::Text("a \"b\"".into()).display(), "\"a \\\"b\\\"\"");
    }
}
