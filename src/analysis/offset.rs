//! Shifted times (`agi_verified + 1 month - 2 days`) and their thresholds.
//!
//! An atom `[e + σ <= d]` compares a shifted event date with the day `d`.
//! Shifting is monotone (a later date never shifts to an earlier one, month
//! clamping included), so `{x : x + σ <= d}` is every date up to a
//! *threshold* `t_σ(d)`: the atom holds exactly when the event's date is on
//! or before `t_σ(d)`. For days-only offsets `t_σ(d)` is plain subtraction;
//! with months it is found from an approximate inverse and corrected by a few
//! days, because clamping (Jan 31 + 1 month = Feb 28) has no exact inverse.

use crate::eval::time::shift_date;
use chrono::{Days, NaiveDate};

/// One step of a shift: months first or days, in the order written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Step {
    Months(i64),
    Days(i64),
}

/// A sequence of shifts, applied first to last. Canonical: no zero steps,
/// no two day steps in a row (days add exactly; months do not, because of
/// clamping: Jan 31 + 1 month + 1 month is Mar 28, + 2 months is Mar 31).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Offset {
    steps: Vec<Step>,
}

/// How far the approximate inverse of a month step can be off, in days, per step.
const CLAMP_SLACK_DAYS: usize = 4;

impl Offset {
    /// No shift.
    pub fn identity() -> Offset {
        Offset::default()
    }

    /// A shift by (months, days), months first, like `Time::shift`.
    pub fn by(months: i64, days: i64) -> Offset {
        Offset::identity().then(months, days)
    }

    /// This shift followed by (months, days).
    pub fn then(&self, months: i64, days: i64) -> Offset {
        let mut steps = self.steps.clone();
        steps.push(Step::Months(months));
        steps.push(Step::Days(days));
        Offset::canonical(steps)
    }

    /// This shift followed by `other`.
    pub fn followed_by(&self, other: &Offset) -> Offset {
        let mut steps = self.steps.clone();
        steps.extend(other.steps.iter().copied());
        Offset::canonical(steps)
    }

    /// (months, days) applied first, then this shift.
    pub fn after(&self, months: i64, days: i64) -> Offset {
        let mut steps = vec![Step::Months(months), Step::Days(days)];
        steps.extend(self.steps.iter().copied());
        Offset::canonical(steps)
    }

    fn canonical(steps: Vec<Step>) -> Offset {
        let mut out: Vec<Step> = Vec::with_capacity(steps.len());
        for step in steps {
            match (out.last_mut(), step) {
                (_, Step::Months(0) | Step::Days(0)) => {}
                (Some(Step::Days(previous)), Step::Days(days)) => {
                    *previous = previous.saturating_add(days);
                    if *previous == 0 {
                        out.pop();
                    }
                }
                (_, step) => out.push(step),
            }
        }
        Offset { steps: out }
    }

    pub fn is_identity(&self) -> bool {
        self.steps.is_empty()
    }

    /// Whether the shift moves by whole days only (no month arithmetic).
    pub fn is_days_only(&self) -> bool {
        self.steps.iter().all(|s| matches!(s, Step::Days(_)))
    }

    /// Whether the shift is made of month steps of one sign only.
    pub fn is_months_one_way(&self) -> bool {
        let forward = self
            .steps
            .iter()
            .all(|s| matches!(s, Step::Months(m) if *m > 0));
        let backward = self
            .steps
            .iter()
            .all(|s| matches!(s, Step::Months(m) if *m < 0));
        !self.steps.is_empty() && (forward || backward)
    }

    /// The shifted date; None outside the calendar.
    pub fn apply(&self, date: NaiveDate) -> Option<NaiveDate> {
        self.steps.iter().try_fold(date, |date, step| match *step {
            Step::Months(m) => shift_date(date, m, 0).ok(),
            Step::Days(d) => shift_date(date, 0, d).ok(),
        })
    }

    /// The latest date `x` with `x + self <= day`; None outside the calendar.
    pub fn threshold(&self, day: NaiveDate) -> Option<NaiveDate> {
        if let [Step::Days(days)] = self.steps.as_slice() {
            return shift_date(day, 0, -days).ok();
        }
        if self.steps.is_empty() {
            return Some(day);
        }
        // Undo the steps in reverse order: exact for days, off by a few days
        // per month step because of clamping; then walk to the exact answer.
        let mut x = self
            .steps
            .iter()
            .rev()
            .try_fold(day, |date, step| match *step {
                Step::Months(m) => shift_date(date, -m, 0).ok(),
                Step::Days(d) => shift_date(date, 0, -d).ok(),
            })?;
        let slack = CLAMP_SLACK_DAYS * self.steps.len() + 2;
        for _ in 0..slack {
            if self.apply(x)? <= day {
                break;
            }
            x = x.pred_opt()?;
        }
        for _ in 0..slack {
            let next = x.succ_opt()?;
            if self.apply(next)? > day {
                break;
            }
            x = next;
        }
        // Exactly the latest such date, or nothing (never a wrong one).
        let latest = self.apply(x)? <= day && self.apply(x.succ_opt()?)? > day;
        latest.then_some(x)
    }

    /// How far, in days, the shift can move a date at most.
    pub fn reach_days(&self) -> i64 {
        self.steps
            .iter()
            .map(|step| match *step {
                Step::Months(m) => m.saturating_abs().saturating_mul(31).saturating_add(4),
                Step::Days(d) => d.saturating_abs(),
            })
            .fold(0i64, i64::saturating_add)
    }

    /// The shifted moment in words: `60 days after breach_notice`, `1 year
    /// and 45 days after e2`, `3 weeks`-style days read as days, `2 months
    /// before renewal`; `base` itself for no shift, and the deal text
    /// (`e + 1 month - 2 days`) when the steps go both ways.
    pub fn phrase(&self, base: &str) -> String {
        if self.steps.is_empty() {
            return base.to_string();
        }
        let amounts: Vec<(i64, &str)> = self
            .steps
            .iter()
            .map(|step| match *step {
                Step::Months(m) if m % 12 == 0 => (m / 12, "year"),
                Step::Months(m) => (m, "month"),
                Step::Days(d) => (d, "day"),
            })
            .collect();
        let forward = amounts.iter().all(|(a, _)| *a > 0);
        let backward = amounts.iter().all(|(a, _)| *a < 0);
        if !forward && !backward {
            return format!("{base}{}", self.suffix());
        }
        let words: Vec<String> = amounts
            .iter()
            .map(|(amount, unit)| {
                let size = amount.unsigned_abs();
                let plural = if size == 1 { "" } else { "s" };
                format!("{size} {unit}{plural}")
            })
            .collect();
        let direction = if forward { "after" } else { "before" };
        format!("{} {direction} {base}", words.join(" and "))
    }

    /// ` + 1 month - 2 days`, as written after a name (empty for no shift).
    pub fn suffix(&self) -> String {
        let mut out = String::new();
        for step in &self.steps {
            let (amount, unit) = match *step {
                Step::Months(m) if m % 12 == 0 => (m / 12, "year"),
                Step::Months(m) => (m, "month"),
                Step::Days(d) => (d, "day"),
            };
            let sign = if amount < 0 { '-' } else { '+' };
            let size = amount.unsigned_abs();
            let plural = if size == 1 { "" } else { "s" };
            out.push_str(&format!(" {sign} {size} {unit}{plural}"));
        }
        out
    }
}

/// The day after `date`, if the calendar has one.
pub fn next_day(date: NaiveDate) -> Option<NaiveDate> {
    date.checked_add_days(Days::new(1))
}

/// The day before `date`, if the calendar has one.
pub fn previous_day(date: NaiveDate) -> Option<NaiveDate> {
    date.checked_sub_days(Days::new(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn canonical_form_merges_days_but_not_months() {
        assert_eq!(Offset::by(0, 3).then(0, -3), Offset::identity());
        assert_eq!(Offset::by(0, 3).then(0, 4), Offset::by(0, 7));
        assert_ne!(Offset::by(1, 0).then(1, 0), Offset::by(2, 0));
        assert_eq!(Offset::by(1, 0).then(1, 0).suffix(), " + 1 month + 1 month");
        assert_eq!(Offset::by(12, -30).suffix(), " + 1 year - 30 days");
        assert_eq!(Offset::by(0, 5).after(1, 0), Offset::by(1, 5));
    }

    #[test]
    fn shifted_moments_read_as_words() {
        assert_eq!(Offset::identity().phrase("e"), "e");
        assert_eq!(Offset::by(0, 60).phrase("e"), "60 days after e");
        assert_eq!(Offset::by(6, 0).phrase("e"), "6 months after e");
        assert_eq!(
            Offset::by(372, 45).phrase("e"),
            "31 years and 45 days after e"
        );
        assert_eq!(Offset::by(-1, 0).phrase("e"), "1 month before e");
        assert_eq!(Offset::by(1, -2).phrase("e"), "e + 1 month - 2 days");
    }

    #[test]
    fn month_thresholds_respect_clamping() {
        let month = Offset::by(1, 0);
        // Jan 28..31 + 1 month all land on Feb 28 (2027): the latest is Jan 31.
        assert_eq!(month.threshold(day("2027-02-28")), Some(day("2027-01-31")));
        assert_eq!(month.threshold(day("2027-02-27")), Some(day("2027-01-27")));
        assert_eq!(month.threshold(day("2027-03-01")), Some(day("2027-02-01")));
        let back = Offset::by(-1, 0);
        assert_eq!(back.threshold(day("2027-02-28")), Some(day("2027-03-31")));
    }

    fn offset() -> impl Strategy<Value = Offset> {
        prop::collection::vec((-14i64..14, -40i64..40), 0..3).prop_map(|steps| {
            steps
                .into_iter()
                .fold(Offset::identity(), |o, (m, d)| o.then(m, d))
        })
    }

    proptest! {
        #[test]
        fn threshold_is_the_latest_date_that_shifts_to_or_before_the_day(
            o in offset(),
            n in 0i64..3000,
        ) {
            let d = shift_date(day("2026-01-01"), 0, n).unwrap();
            let t = o.threshold(d).unwrap();
            prop_assert!(o.apply(t).unwrap() <= d);
            prop_assert!(o.apply(t.succ_opt().unwrap()).unwrap() > d);
        }

        #[test]
        fn shifting_is_monotone(o in offset(), n in 0i64..3000) {
            let a = shift_date(day("2026-01-01"), 0, n).unwrap();
            let b = a.succ_opt().unwrap();
            prop_assert!(o.apply(a).unwrap() <= o.apply(b).unwrap());
        }
    }
}
