//! Representative fact values.
//!
//! A condition compares a fact with constants or with other facts (section
//! 5), so what a world's fact values decide is only their order among those
//! constants and among each other. Facts compared with each other form a
//! group; every fact of a group of `k` facts takes a value at each constant
//! the group is compared with and `k` distinct values in each gap between
//! (and below and above), so that every order of the group's facts among
//! the constants is realised. Discrete types (dates, the parts of a
//! duration) take every value of a gap that has fewer than `k`. A bool fact
//! is true or false. When a lone fact has a default, the default stands for
//! its own region and comes first, so counterexamples look familiar.

use crate::decimal::Decimal;
use crate::diagnostic::Diagnostic;
use crate::eval::{Contract, Value};
use crate::types::Type;
use chrono::NaiveDate;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use super::atoms::{FactUse, constant_value};

/// A fact and the values that stand for all of its values.
#[derive(Clone, Debug)]
pub struct FactValues {
    pub name: String,
    pub values: Vec<Value>,
}

/// Representative values for every fact in `facts`, in name order.
pub fn representatives(
    contract: &Contract,
    facts: &BTreeMap<String, FactUse>,
) -> Result<Vec<FactValues>, Diagnostic> {
    let mut out = Vec::new();
    let mut done: BTreeSet<&str> = BTreeSet::new();
    for name in facts.keys() {
        if done.contains(name.as_str()) {
            continue;
        }
        let group = group_of(name, facts);
        let mut constants: Vec<Value> = group
            .iter()
            .filter_map(|f| facts.get(*f))
            .flat_map(|u| u.constants.iter().cloned())
            .collect();
        let Some(ty) = facts.get(name).map(|u| u.ty.clone()) else {
            continue;
        };
        sort_distinct(&mut constants);
        let values = values_for(&ty, &constants, group.len());
        for fact in &group {
            let mut values = values.clone();
            if group.len() == 1 {
                prefer_default(contract, fact, &constants, &mut values)?;
            }
            out.push(FactValues {
                name: (*fact).to_string(),
                values,
            });
            done.insert(fact);
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The facts connected to `name` by comparisons.
fn group_of<'a>(name: &'a str, facts: &'a BTreeMap<String, FactUse>) -> Vec<&'a str> {
    let mut group = vec![name];
    let mut next = 0;
    while let Some(&current) = group.get(next) {
        next += 1;
        if let Some(use_) = facts.get(current) {
            for peer in &use_.peers {
                if !group.contains(&peer.as_str()) && facts.contains_key(peer) {
                    group.push(peer);
                }
            }
        }
    }
    group
}

/// Sorted, without duplicates. Values that cannot be ordered against each
/// other (a months duration against a days one) keep their relative order.
fn sort_distinct(values: &mut Vec<Value>) {
    values.sort_by(|a, b| a.compare(b).unwrap_or(Ordering::Equal));
    values.dedup();
}

fn values_for(ty: &Type, constants: &[Value], k: usize) -> Vec<Value> {
    match ty {
        Type::Bool => vec![Value::Bool(false), Value::Bool(true)],
        Type::Date => {
            let days: Vec<i64> = constants
                .iter()
                .filter_map(|v| match v {
                    Value::Date(d) => Some(day_number(*d)),
                    _ => None,
                })
                .collect();
            let base = NaiveDate::from_ymd_opt(2025, 1, 1).map_or(0, day_number);
            integer_values(&days, k, base)
                .into_iter()
                .filter_map(from_day_number)
                .map(Value::Date)
                .collect()
        }
        Type::Duration => {
            let (mut months, mut days) = (Vec::new(), Vec::new());
            for value in constants {
                if let Value::Duration { months: m, days: d } = value {
                    months.push(*m);
                    days.push(*d);
                }
            }
            months.sort_unstable();
            months.dedup();
            days.sort_unstable();
            days.dedup();
            // Each part is ordered on its own (a duration's order is the
            // order of both parts, or none), so every pair of parts counts.
            let month_values = integer_values(&months, k, 0);
            let day_values = integer_values(&days, k, 0);
            month_values
                .iter()
                .flat_map(|&m| {
                    day_values
                        .iter()
                        .map(move |&d| Value::Duration { months: m, days: d })
                })
                .collect()
        }
        Type::Money | Type::Percent | Type::Number | Type::Unit(_) => {
            let amounts: Vec<Decimal> = constants
                .iter()
                .filter_map(|v| v.amount().cloned())
                .collect();
            decimal_values(&amounts, k)
                .into_iter()
                .filter_map(|amount| Value::of_type(ty, amount))
                .collect()
        }
        Type::Text => {
            let mut values = constants.to_vec();
            values.push(Value::Text(String::new()));
            values
        }
    }
}

fn day_number(date: NaiveDate) -> i64 {
    i64::from(chrono::Datelike::num_days_from_ce(&date))
}

fn from_day_number(n: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(n).ok()?)
}

/// Each constant, `k` values below, above and in each gap (every value of
/// a gap narrower than that). Without constants: `k` values from `base`.
fn integer_values(constants: &[i64], k: usize, base: i64) -> Vec<i64> {
    let k = i64::try_from(k.max(1)).unwrap_or(1);
    let (Some(&first), Some(&last)) = (constants.first(), constants.last()) else {
        return (0..k).map(|j| base.saturating_add(j)).collect();
    };
    let mut out: Vec<i64> = (1..=k).rev().map(|j| first.saturating_sub(j)).collect();
    for pair in constants.windows(2) {
        let &[low, high] = pair else { continue };
        out.push(low);
        let gap = high.saturating_sub(low);
        if gap <= k + 1 {
            out.extend(low.saturating_add(1)..high);
        } else {
            out.extend((1..=k).map(|j| low.saturating_add(gap.saturating_mul(j) / (k + 1))));
        }
    }
    out.push(last);
    out.extend((1..=k).map(|j| last.saturating_add(j)));
    out.dedup();
    out
}

/// Like `integer_values`, for exact decimals: points spread evenly in each
/// gap; below a positive constant stay positive, above one scale up.
fn decimal_values(constants: &[Decimal], k: usize) -> Vec<Decimal> {
    let k = i64::try_from(k.max(1)).unwrap_or(1);
    let int = Decimal::from;
    let (Some(first), Some(last)) = (constants.first(), constants.last()) else {
        return (1..=k).map(int).collect();
    };
    let parts = int(k + 1);
    let mut out = Vec::new();
    for j in 1..=k {
        let below = if first.is_negative() || first.is_zero() {
            first.sub(&int(k + 1 - j))
        } else {
            first.mul(&int(j)).and_then(|v| v.div(&parts))
        };
        out.extend(below.ok().filter(|v| v < first));
    }
    for pair in constants.windows(2) {
        let [low, high] = pair else { continue };
        out.push(low.clone());
        for j in 1..=k {
            let point = high
                .sub(low)
                .and_then(|gap| gap.mul(&int(j)))
                .and_then(|v| v.div(&parts))
                .and_then(|v| v.add(low));
            out.extend(point.ok().filter(|v| v > low && v < high));
        }
    }
    out.push(last.clone());
    for j in 1..=k {
        let above = if last.is_negative() || last.is_zero() {
            last.add(&int(j))
        } else {
            last.mul(&int(j + 1))
        };
        let above = above.or_else(|_| last.add(&int(j)));
        out.extend(above.ok().filter(|v| v > last));
    }
    out.dedup();
    out
}

/// Put the fact's default first, in place of the value that stands for the
/// same region (same comparison with every constant).
fn prefer_default(
    contract: &Contract,
    fact: &str,
    constants: &[Value],
    values: &mut Vec<Value>,
) -> Result<(), Diagnostic> {
    let Some(default) = contract.fact_decl(fact).and_then(|d| d.default.as_ref()) else {
        return Ok(());
    };
    let Ok(default) = constant_value(contract, default) else {
        return Ok(());
    };
    let profile = |v: &Value| -> Vec<Option<Ordering>> {
        constants.iter().map(|c| v.compare(c).ok()).collect()
    };
    let wanted = profile(&default);
    let same = |v: &Value| match (v, &default) {
        (Value::Bool(a), Value::Bool(b)) => a == b,
        _ => v.ty() == default.ty() && profile(v) == wanted,
    };
    if let Some(position) = values.iter().position(same) {
        values.remove(position);
        values.insert(0, default);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        Decimal::parse(text).unwrap()
    }

    #[test]
    fn decimals_cover_every_region() {
        let values = decimal_values(&[d("100"), d("200")], 1);
        assert_eq!(
            values,
            vec![d("50"), d("100"), d("150"), d("200"), d("400")]
        );
        let two = decimal_values(&[d("0")], 2);
        assert_eq!(two, vec![d("-2"), d("-1"), d("0"), d("1"), d("2")]);
    }

    #[test]
    fn integers_take_every_value_of_a_narrow_gap() {
        assert_eq!(
            integer_values(&[10, 12], 2, 0),
            vec![8, 9, 10, 11, 12, 13, 14]
        );
        assert_eq!(integer_values(&[10, 11], 1, 0), vec![9, 10, 11, 12]);
        assert_eq!(
            integer_values(&[0, 30], 2, 0),
            vec![-2, -1, 0, 10, 20, 30, 31, 32]
        );
        assert_eq!(integer_values(&[], 2, 5), vec![5, 6]);
    }
}
