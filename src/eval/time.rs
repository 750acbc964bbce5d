//! Points in time (spec section 4): a day, or never (+infinity). `or` is the
//! earlier of two times, `and` the later; shifting never gives never.

use chrono::{Days, Months, NaiveDate};

/// A day, or never. `Never` sorts after every day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Time {
    Day(NaiveDate),
    Never,
}

/// A date moved outside the calendar chrono supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateOutOfRange;

impl std::fmt::Display for DateOutOfRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the date falls outside the supported calendar")
    }
}

impl Time {
    /// `A or B`: whichever comes first.
    pub fn or(self, other: Time) -> Time {
        self.min(other)
    }

    /// `A and B`: whichever comes last (both have happened).
    pub fn and(self, other: Time) -> Time {
        self.max(other)
    }

    /// Shift by a (months, days) duration, months first; `never ± d` is never.
    pub fn shift(self, months: i64, days: i64) -> Result<Time, DateOutOfRange> {
        match self {
            Time::Never => Ok(Time::Never),
            Time::Day(day) => shift_date(day, months, days).map(Time::Day),
        }
    }

    /// Whether this time has been reached on `day` (`never` is never reached).
    pub fn reached_by(self, day: NaiveDate) -> bool {
        match self {
            Time::Day(t) => t <= day,
            Time::Never => false,
        }
    }

    pub fn day(self) -> Option<NaiveDate> {
        match self {
            Time::Day(day) => Some(day),
            Time::Never => None,
        }
    }

    /// The day after this time: the exclusive end of `through` (never stays never).
    pub fn next_day(self) -> Result<Time, DateOutOfRange> {
        self.shift(0, 1)
    }
}

impl From<NaiveDate> for Time {
    fn from(day: NaiveDate) -> Time {
        Time::Day(day)
    }
}

impl std::fmt::Display for Time {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Time::Day(day) => write!(f, "{day}"),
            Time::Never => f.write_str("never"),
        }
    }
}

/// `date + (months, days)`: the months first, clamped to the end of the
/// month (Jan 31 + 1 month = Feb 28 or 29), then the days. Negative parts
/// move backwards the same way.
pub fn shift_date(date: NaiveDate, months: i64, days: i64) -> Result<NaiveDate, DateOutOfRange> {
    let by_months = u32::try_from(months.unsigned_abs()).map_err(|_| DateOutOfRange)?;
    let moved = if months >= 0 {
        date.checked_add_months(Months::new(by_months))
    } else {
        date.checked_sub_months(Months::new(by_months))
    }
    .ok_or(DateOutOfRange)?;
    let by_days = Days::new(days.unsigned_abs());
    if days >= 0 {
        moved.checked_add_days(by_days)
    } else {
        moved.checked_sub_days(by_days)
    }
    .ok_or(DateOutOfRange)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn t(text: &str) -> Time {
        Time::Day(day(text))
    }

    #[test]
    fn never_is_later_than_every_day() {
        assert!(t("9999-12-31") < Time::Never);
        assert_eq!(t("2028-01-01").or(Time::Never), t("2028-01-01"));
        assert_eq!(t("2028-01-01").and(Time::Never), Time::Never);
        assert_eq!(Time::Never.shift(-5, -3), Ok(Time::Never));
        assert!(!Time::Never.reached_by(NaiveDate::MAX));
    }

    #[test]
    fn month_end_clamping() {
        assert_eq!(shift_date(day("2027-01-31"), 1, 0), Ok(day("2027-02-28")));
        assert_eq!(shift_date(day("2028-01-31"), 1, 0), Ok(day("2028-02-29")));
        assert_eq!(shift_date(day("2028-03-31"), -1, 0), Ok(day("2028-02-29")));
        assert_eq!(shift_date(day("2028-02-29"), 12, 0), Ok(day("2029-02-28")));
        assert_eq!(shift_date(day("2028-05-31"), 1, 0), Ok(day("2028-06-30")));
    }

    #[test]
    fn months_apply_before_days() {
        // Jan 31 + (1 month, 1 day): Feb 29 then Mar 1 (2028 is a leap year).
        assert_eq!(shift_date(day("2028-01-31"), 1, 1), Ok(day("2028-03-01")));
        assert_eq!(shift_date(day("2027-01-31"), 1, 1), Ok(day("2027-03-01")));
        assert_eq!(shift_date(day("2027-03-01"), -1, -1), Ok(day("2027-01-31")));
        assert_eq!(shift_date(day("2028-12-31"), 0, 1), Ok(day("2029-01-01")));
        assert_eq!(shift_date(day("2028-02-28"), 0, 1), Ok(day("2028-02-29")));
        assert_eq!(shift_date(day("2100-02-28"), 0, 1), Ok(day("2100-03-01")));
    }

    #[test]
    fn leaving_the_calendar_is_an_error() {
        assert_eq!(shift_date(NaiveDate::MAX, 0, 1), Err(DateOutOfRange));
        assert_eq!(shift_date(NaiveDate::MIN, -1, 0), Err(DateOutOfRange));
        assert_eq!(
            shift_date(day("2028-01-01"), i64::MAX, 0),
            Err(DateOutOfRange)
        );
        assert_eq!(t("2028-01-01").shift(0, i64::MIN), Err(DateOutOfRange));
        assert_eq!(Time::Day(NaiveDate::MAX).next_day(), Err(DateOutOfRange));
    }

    fn time() -> impl Strategy<Value = Time> {
        prop_oneof![
            1 => Just(Time::Never),
            4 => (-50_000i64..50_000).prop_map(|offset| Time::Day(shift_date(
                NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
                0,
                offset
            )
            .unwrap())),
        ]
    }

    proptest! {
        #[test]
        fn or_is_a_lower_bound(a in time(), b in time()) {
            prop_assert!(a.or(b) <= a && a.or(b) <= b);
            prop_assert!(a.and(b) >= a && a.and(b) >= b);
            prop_assert!(a.or(b) == a || a.or(b) == b);
        }

        #[test]
        fn commutative(a in time(), b in time()) {
            prop_assert_eq!(a.or(b), b.or(a));
            prop_assert_eq!(a.and(b), b.and(a));
        }

        #[test]
        fn associative(a in time(), b in time(), c in time()) {
            prop_assert_eq!(a.or(b).or(c), a.or(b.or(c)));
            prop_assert_eq!(a.and(b).and(c), a.and(b.and(c)));
        }

        #[test]
        fn absorption_and_idempotence(a in time(), b in time()) {
            prop_assert_eq!(a.or(a.and(b)), a);
            prop_assert_eq!(a.and(a.or(b)), a);
            prop_assert_eq!(a.or(a), a);
            prop_assert_eq!(a.and(a), a);
        }

        #[test]
        fn distributive(a in time(), b in time(), c in time()) {
            prop_assert_eq!(a.or(b.and(c)), a.or(b).and(a.or(c)));
        }

        #[test]
        fn shifting_by_days_is_monotone(a in time(), b in time(), n in -1000i64..1000) {
            let (sa, sb) = (a.shift(0, n).unwrap(), b.shift(0, n).unwrap());
            prop_assert_eq!(a <= b, sa <= sb);
        }
    }
}
