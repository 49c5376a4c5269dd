//! How long customers' personal data is kept (152-FZ art. 5, GDPR art. 5(1)(e)): a manufacturer's
//! limits and the instants they turn into.

use time::{Date, Month, OffsetDateTime};

/// A customer's address is erased this long after the last contact with them, unless the
/// manufacturer chose otherwise.
pub const DEFAULT_EMAIL_MONTHS: u16 = 24;
/// The longest limit accepted: ten years, beyond any purpose an answer to a report could have.
pub const MAX_MONTHS: u16 = 120;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Retention {
    pub email_retention_months: u16,
    /// Comments and the conversation with the customer; `None` keeps them for as long as the report.
    pub text_retention_months: Option<u16>,
}

impl Default for Retention {
    fn default() -> Retention {
        Retention { email_retention_months: DEFAULT_EMAIL_MONTHS, text_retention_months: None }
    }
}

/// A limit in months, 1 to [`MAX_MONTHS`].
pub fn months(n: i64) -> Result<u16, String> {
    u16::try_from(n)
        .ok()
        .filter(|m| (1..=MAX_MONTHS).contains(m))
        .ok_or_else(|| format!("must be a whole number of months from 1 to {MAX_MONTHS}"))
}

/// The instant `months` calendar months before `at` (the last day of a shorter month when the day
/// does not exist there: 31 March minus one month is 28 or 29 February).
pub fn months_before(at: OffsetDateTime, months: u16) -> OffsetDateTime {
    let total = i32::from(at.month() as u8) - 1 - i32::from(months);
    let year = at.year() + total.div_euclid(12);
    let month = Month::try_from((total.rem_euclid(12) + 1) as u8).unwrap_or(Month::January);
    let day = at.day().min(time::util::days_in_month(month, year));
    match Date::from_calendar_date(year, month, day) {
        Ok(date) => at.replace_date(date),
        Err(_) => OffsetDateTime::UNIX_EPOCH,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn months_before_counts_calendar_months_and_clamps_the_day() {
        assert_eq!(months_before(datetime!(2026-12-07 10:00 UTC), 24), datetime!(2024-12-07 10:00 UTC));
        assert_eq!(months_before(datetime!(2026-03-31 00:00 UTC), 1), datetime!(2026-02-28 00:00 UTC));
        assert_eq!(months_before(datetime!(2028-03-31 00:00 UTC), 1), datetime!(2028-02-29 00:00 UTC));
        assert_eq!(months_before(datetime!(2026-01-15 00:00 UTC), 13), datetime!(2024-12-15 00:00 UTC));
    }

    #[test]
    fn a_limit_is_one_to_a_hundred_and_twenty_months() {
        assert_eq!(months(24), Ok(24));
        assert!(months(0).is_err());
        assert!(months(121).is_err());
        assert!(months(-1).is_err());
    }
}
