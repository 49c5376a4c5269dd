//! Spike detection, as pure rules: is the number of reports of one line, kind and category in the
//! last window more than its baseline explains, and does that open an alert?
//!
//! The baseline is the previous 28 days. Its rate is scaled to the window by human scans when both
//! periods have some (a campaign that doubles the scans doubles the reports expected), by time
//! otherwise. Half a report is added to the baseline count, so that a line with no history yet has a
//! small positive rate rather than zero: the probability stays a number one can put in words, and
//! the minimum count is what keeps a brand-new line's first few reports from alerting. A window is a
//! spike when its count is at least the minimum and the one-sided Poisson tail P(X >= count) under
//! the expected count is below the threshold.

use time::{Date, Duration, OffsetDateTime, Time};

/// The baseline period before each window.
pub const BASELINE: Duration = Duration::days(28);

/// Added to the baseline count (see the module documentation).
const PSEUDO_COUNT: f64 = 0.5;

/// A manufacturer's thresholds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Thresholds {
    pub min_count: u32,
    /// The tail probability below which a window is a spike.
    pub threshold: f64,
    pub window: Duration,
    /// After an alert opens, no new one for the same line, kind and category before this has passed
    /// (and never while the spike is still seen).
    pub cooldown: Duration,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds { min_count: 4, threshold: 0.001, window: Duration::hours(24), cooldown: Duration::hours(72) }
    }
}

impl Thresholds {
    /// Checks values as they come from a request or a row; the error names the field.
    pub fn parse(
        min_count: i64,
        threshold: f64,
        window_hours: i64,
        cooldown_hours: i64,
    ) -> Result<Thresholds, (&'static str, &'static str)> {
        let min_count = u32::try_from(min_count)
            .ok()
            .filter(|n| (1..=10_000).contains(n))
            .ok_or(("min_count", "must be a whole number from 1 to 10000"))?;
        if !(threshold.is_finite() && threshold > 0.0 && threshold <= 0.5) {
            return Err(("threshold", "must be a probability above 0 and at most 0.5, e.g. 0.001"));
        }
        if !(1..=168).contains(&window_hours) {
            return Err(("window_hours", "must be from 1 to 168 hours"));
        }
        if !(window_hours..=24 * 90).contains(&cooldown_hours) {
            return Err(("cooldown_hours", "must be at least the window and at most 2160 hours (90 days)"));
        }
        Ok(Thresholds {
            min_count,
            threshold,
            window: Duration::hours(window_hours),
            cooldown: Duration::hours(cooldown_hours),
        })
    }
}

/// What the detector sees for one line, kind and category at one instant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Observation {
    /// Reports in the window.
    pub count: i64,
    /// Reports in the baseline period before it.
    pub baseline: i64,
    /// Human scans of the line in the window and in the baseline period (pro-rated from days, see
    /// [`scans_between`]); zero when there were none.
    pub window_scans: f64,
    pub baseline_scans: f64,
}

/// The detector's answer for one observation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Verdict {
    pub count: i64,
    pub expected: f64,
    /// P(X >= count) for X ~ Poisson(expected).
    pub probability: f64,
    pub spike: bool,
}

/// The count the baseline predicts for the window.
pub fn expected(obs: &Observation, window: Duration) -> f64 {
    let baseline = obs.baseline.max(0) as f64 + PSEUDO_COUNT;
    if obs.window_scans > 0.0 && obs.baseline_scans > 0.0 {
        baseline * obs.window_scans / obs.baseline_scans
    } else {
        baseline * window.as_seconds_f64() / BASELINE.as_seconds_f64()
    }
}

pub fn judge(obs: &Observation, t: &Thresholds) -> Verdict {
    let expected = expected(obs, t.window);
    let count = obs.count.max(0);
    let probability = poisson_tail(count as u64, expected);
    let spike = count >= i64::from(t.min_count) && probability < t.threshold;
    Verdict { count, expected, probability, spike }
}

/// The latest alert of a line, kind and category.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Previous {
    pub opened_at: OffsetDateTime,
    pub open: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// A new spike: open an alert and tell the recipients.
    Open,
    /// The open alert's spike is over.
    Close,
    /// Nothing changes (no spike, the same spike still going, or within the cooldown).
    Nothing,
}

/// One alert per spike: a spike opens an alert unless one is still open or the last one opened
/// less than the cooldown ago; an open alert closes at the first run that no longer sees a spike.
pub fn decide(previous: Option<Previous>, verdict: &Verdict, at: OffsetDateTime, cooldown: Duration) -> Decision {
    match (previous, verdict.spike) {
        (None, true) => Decision::Open,
        (Some(p), true) if !p.open && at - p.opened_at >= cooldown => Decision::Open,
        (Some(p), false) if p.open && at > p.opened_at => Decision::Close,
        _ => Decision::Nothing,
    }
}

/// P(X >= k) for X ~ Poisson(lambda), accurate for the tiny tails that matter here (summed upwards
/// from the k-th term in log space, not as 1 minus the lower sum).
pub fn poisson_tail(k: u64, lambda: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if lambda.is_nan() || lambda <= 0.0 {
        return 0.0;
    }
    let kf = k as f64;
    if kf <= lambda {
        // The tail is at least about a half here, where 1 - lower sum loses nothing that matters.
        // (For lambda above ~700 the first term underflows and this answers 1: never a spike.)
        let mut term = (-lambda).exp();
        let mut lower = term;
        for i in 1..k {
            term *= lambda / i as f64;
            lower += term;
        }
        return (1.0 - lower).clamp(0.0, 1.0);
    }
    let mut term = (-lambda + kf * lambda.ln() - ln_factorial(k)).exp();
    let mut sum = 0.0;
    let mut i = k;
    while term > 0.0 && i < k + 100_000 {
        sum += term;
        i += 1;
        term *= lambda / i as f64;
        if term < sum * 1e-17 {
            break;
        }
    }
    sum.clamp(0.0, 1.0)
}

fn ln_factorial(k: u64) -> f64 {
    if k <= 170 {
        (2..=k).map(|i| (i as f64).ln()).sum()
    } else {
        let n = k as f64;
        n * n.ln() - n + 0.5 * (2.0 * std::f64::consts::PI * n).ln() + 1.0 / (12.0 * n)
    }
}

/// "1 in N" for a probability, N rounded to two significant digits (at most a trillion).
pub fn one_in(probability: f64) -> u64 {
    if probability.is_nan() || probability <= 0.0 {
        return 1_000_000_000_000;
    }
    let n = (1.0 / probability).min(1e12);
    if n < 100.0 {
        return n.round().max(1.0) as u64;
    }
    let magnitude = 10f64.powi(n.log10().floor() as i32 - 1);
    ((n / magnitude).round() * magnitude) as u64
}

/// Human scans in `[start, end)` from per-UTC-day counts. A day's scans are taken as spread evenly
/// over the part of the day that had passed by `at` (all of it for days before `at`'s), so the
/// day `at` falls in counts in full when the window covers its elapsed part.
pub fn scans_between(days: &[(Date, i64)], start: OffsetDateTime, end: OffsetDateTime, at: OffsetDateTime) -> f64 {
    days.iter()
        .map(|(day, n)| {
            let day_start = day.with_time(Time::MIDNIGHT).assume_utc();
            let elapsed_end = std::cmp::min(day_start + Duration::DAY, at);
            let elapsed = (elapsed_end - day_start).as_seconds_f64();
            if elapsed <= 0.0 {
                return 0.0;
            }
            let from = std::cmp::max(day_start, start);
            let until = std::cmp::min(elapsed_end, end);
            let overlap = (until - from).as_seconds_f64().max(0.0);
            *n as f64 * overlap / elapsed
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_poisson_tail_matches_known_values() {
        // P(X >= 1 | 1) = 1 - e^-1; P(X >= 4 | 0.5) = 0.001752...; P(X >= 10 | 1) = 1.114e-7.
        assert!((poisson_tail(1, 1.0) - (1.0 - (-1.0f64).exp())).abs() < 1e-12);
        assert!((poisson_tail(4, 0.5) - 0.001_751_622).abs() < 1e-8, "{}", poisson_tail(4, 0.5));
        assert!((poisson_tail(10, 1.0) / 1.114_1e-7 - 1.0).abs() < 1e-3, "{}", poisson_tail(10, 1.0));
        assert_eq!(poisson_tail(0, 3.0), 1.0);
        assert_eq!(poisson_tail(3, 0.0), 0.0);
        assert!((poisson_tail(50, 50.0) - 0.5188).abs() < 1e-3);
        // Far in the tail it stays a positive, finite number.
        let tiny = poisson_tail(30, 2.0);
        assert!(tiny > 0.0 && tiny < 1e-20, "{tiny}");
    }

    #[test]
    fn odds_are_rounded_to_two_significant_digits() {
        assert_eq!(one_in(0.5), 2);
        assert_eq!(one_in(0.001), 1000);
        assert_eq!(one_in(1.0 / 123_456.0), 120_000);
        assert_eq!(one_in(0.0), 1_000_000_000_000);
    }

    #[test]
    fn thresholds_are_checked_field_by_field() {
        assert_eq!(Thresholds::parse(4, 0.001, 24, 72), Ok(Thresholds::default()));
        assert_eq!(Thresholds::parse(0, 0.001, 24, 72).unwrap_err().0, "min_count");
        assert_eq!(Thresholds::parse(4, 0.0, 24, 72).unwrap_err().0, "threshold");
        assert_eq!(Thresholds::parse(4, f64::NAN, 24, 72).unwrap_err().0, "threshold");
        assert_eq!(Thresholds::parse(4, 0.001, 0, 72).unwrap_err().0, "window_hours");
        assert_eq!(Thresholds::parse(4, 0.001, 24, 12).unwrap_err().0, "cooldown_hours");
    }

    #[test]
    fn a_zero_baseline_alerts_at_the_minimum_count_and_not_below() {
        let t = Thresholds::default();
        let obs = |count| Observation { count, baseline: 0, window_scans: 0.0, baseline_scans: 0.0 };
        let three = judge(&obs(3), &t);
        assert!(!three.spike, "below the minimum count: {three:?}");
        let four = judge(&obs(4), &t);
        assert!(four.spike && four.probability > 0.0, "{four:?}");
        assert!((four.expected - 0.5 / 28.0).abs() < 1e-12);
    }

    #[test]
    fn scans_scale_the_baseline() {
        let t = Thresholds::default();
        // 28 reports in 28 days over 2,800 scans; now 10 reports in a day.
        let by_time = Observation { count: 10, baseline: 28, window_scans: 0.0, baseline_scans: 0.0 };
        assert!(judge(&by_time, &t).spike, "ten in a day against one a day is a spike");
        // ...but that day had 1,000 scans (a campaign): ten reports are what the scans predict.
        let by_scans = Observation { window_scans: 1000.0, baseline_scans: 2800.0, ..by_time };
        let v = judge(&by_scans, &t);
        assert!(!v.spike, "{v:?}");
        assert!((v.expected - 28.5 * 1000.0 / 2800.0).abs() < 1e-9);
        // Scans in one period only: back to time.
        let one_sided = Observation { window_scans: 1000.0, ..by_time };
        assert!(judge(&one_sided, &t).spike);
    }

    #[test]
    fn scans_of_a_day_are_pro_rated_to_the_window() {
        let d1 = time::macros::date!(2027 - 03 - 01);
        let d2 = time::macros::date!(2027 - 03 - 02);
        let at = datetime!(2027-03-02 06:00 UTC);
        let days = [(d1, 240), (d2, 60)];
        // The window 06:00 to 06:00: 18 of day one's 24 hours, all 6 elapsed hours of day two.
        let got = scans_between(&days, at - Duration::DAY, at, at);
        assert!((got - (180.0 + 60.0)).abs() < 1e-9, "{got}");
        // A baseline that ends where the window starts gets day one's first 6 hours.
        let got = scans_between(&days, at - Duration::days(29), at - Duration::DAY, at);
        assert!((got - 60.0).abs() < 1e-9, "{got}");
    }

    /// Reports at these hours from the start, and the detector run every hour as `alerts run` would,
    /// counting the last 24 h and the 28 days before, from the first hour with a full baseline on.
    /// Returns the hours at which an alert opened.
    fn simulate(report_hours: &[i64], hours: i64) -> Vec<i64> {
        let t = Thresholds::default();
        let start = datetime!(2027-01-01 00:00 UTC);
        let mut previous: Option<Previous> = None;
        let mut opened = Vec::new();
        for h in 29 * 24..hours {
            let at = start + Duration::hours(h);
            let count = report_hours.iter().filter(|r| (h - 24..h).contains(r)).count() as i64;
            let baseline = report_hours.iter().filter(|r| (h - 24 - 28 * 24..h - 24).contains(r)).count() as i64;
            let verdict = judge(&Observation { count, baseline, window_scans: 0.0, baseline_scans: 0.0 }, &t);
            match decide(previous, &verdict, at, t.cooldown) {
                Decision::Open => {
                    opened.push(h);
                    previous = Some(Previous { opened_at: at, open: true });
                }
                Decision::Close => previous = previous.map(|p| Previous { open: false, ..p }),
                Decision::Nothing => {}
            }
        }
        opened
    }

    /// Sixty days of ordinary traffic, by hand: 0 to 4 reports a day (1.8 on average), at
    /// scattered hours.
    fn noise() -> Vec<i64> {
        let per_day = [2, 0, 3, 1, 4, 2, 1, 0, 3, 2];
        let hours = [3, 9, 14, 17, 22];
        (0..60)
            .flat_map(|day: i64| {
                let n = per_day[(day % 10) as usize];
                hours.iter().take(n).map(move |h| day * 24 + h + day % 3)
            })
            .collect()
    }

    #[test]
    fn ordinary_noise_opens_no_alert() {
        assert_eq!(simulate(&noise(), 60 * 24), Vec::<i64>::new());
    }

    #[test]
    fn a_real_spike_opens_exactly_one_alert_while_it_lasts() {
        let mut series = noise();
        // Day 45: twelve reports within three hours, and the next two days stay high.
        let spike_start = 45 * 24 + 10;
        series.extend((0..12).map(|i| spike_start + i / 4));
        series.extend((0..8).map(|i| spike_start + 24 + i * 2));
        series.extend((0..8).map(|i| spike_start + 48 + i * 2));
        let opened = simulate(&series, 60 * 24);
        assert_eq!(opened.len(), 1, "opened at hours {opened:?}");
        assert!(opened[0] > spike_start && opened[0] <= spike_start + 4, "{opened:?}");
    }

    #[test]
    fn a_second_spike_after_the_cooldown_opens_a_second_alert() {
        let mut series = noise();
        for day in [30, 50] {
            series.extend((0..10).map(|i| day * 24 + 12 + i / 5));
        }
        let opened = simulate(&series, 60 * 24);
        assert_eq!(opened.len(), 2, "{opened:?}");
    }

    #[test]
    fn an_alert_is_not_reopened_within_the_cooldown() {
        let at = datetime!(2027-01-10 12:00 UTC);
        let spike = Verdict { count: 9, expected: 1.0, probability: 1e-6, spike: true };
        let closed = Some(Previous { opened_at: at - Duration::hours(30), open: false });
        assert_eq!(decide(closed, &spike, at, Duration::hours(72)), Decision::Nothing);
        assert_eq!(decide(closed, &spike, at + Duration::hours(42), Duration::hours(72)), Decision::Open);
        let open = Some(Previous { opened_at: at - Duration::hours(100), open: true });
        assert_eq!(decide(open, &spike, at, Duration::hours(72)), Decision::Nothing, "still the same spike");
        let calm = Verdict { spike: false, ..spike };
        assert_eq!(decide(open, &calm, at, Duration::hours(72)), Decision::Close);
        // A run "in the past" (`alerts run --at` before the alert opened) closes nothing.
        let later = Some(Previous { opened_at: at + Duration::hours(1), open: true });
        assert_eq!(decide(later, &calm, at, Duration::hours(72)), Decision::Nothing);
    }
}
