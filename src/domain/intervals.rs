//! 95 % intervals for the numbers the dashboard shows, and whether two periods differ clearly.
//!
//! - Shares (defect share, CSAT): the Wilson score interval. Unlike the textbook normal interval it
//!   stays inside [0, 1] and is honest at 0 % and 100 % and for small samples.
//! - Reports per 1,000 scans: reports are counted against human scans as exposure; the interval is
//!   the Poisson score interval for the rate (Wilson's idea applied to a count). It needs no "a scan
//!   leads to at most one report" assumption, so it stays defined when reports outnumber scans.
//! - NPS: the share of promoters minus the share of detractors is a difference of two shares of one
//!   multinomial sample; its variance is `(p + d - (p - d)^2) / n`. The interval is the normal
//!   approximation `NPS ± 1.96·100·sqrt(var)`, clipped to [-100, 100].
//!
//! Below [`MIN_SAMPLE`] answers a number is shown with a "too few answers to judge" mark and no
//! change is flagged.

/// z for a two-sided 95 % interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Fewer answers than this: shown, marked "too few to judge", never flagged as a change.
pub const MIN_SAMPLE: u64 = 30;

/// A closed interval `[low, high]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

impl Interval {
    /// Whether the two intervals share at least one point.
    pub fn overlaps(self, other: Interval) -> bool {
        self.low <= other.high && other.low <= self.high
    }

    pub fn scaled(self, factor: f64) -> Interval {
        Interval { low: self.low * factor, high: self.high * factor }
    }
}

/// A number estimated from a sample: its value, the sample size and its 95 % interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub value: Option<f64>,
    /// Answers (ratings, reports, NPS answers) or, for a rate, the exposure (human scans).
    pub n: u64,
    pub interval: Option<Interval>,
}

impl Estimate {
    pub const NONE: Estimate = Estimate { value: None, n: 0, interval: None };

    /// Enough answers to judge: at least [`MIN_SAMPLE`].
    pub fn enough(&self) -> bool {
        self.n >= MIN_SAMPLE && self.value.is_some()
    }
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// The Wilson score interval for `k` successes in `n` trials at 95 %; `None` without trials.
pub fn wilson(k: u64, n: u64) -> Option<Interval> {
    if n == 0 {
        return None;
    }
    let all = k >= n;
    let n = n as f64;
    let p = (k as f64 / n).clamp(0.0, 1.0);
    let z2 = Z95 * Z95;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let margin = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    // At 0 % and 100 % one end is exactly the bound; rounding would leave it a hair inside.
    let low = if k == 0 { 0.0 } else { (centre - margin).max(0.0) };
    let high = if all { 1.0 } else { (centre + margin).min(1.0) };
    Some(Interval { low, high })
}

/// `k` of `n` as a share (0..1) with its Wilson interval.
pub fn share(k: i64, n: i64) -> Estimate {
    let (k, n) = (count(k), count(n));
    Estimate { value: (n > 0).then(|| k as f64 / n as f64), n, interval: wilson(k, n) }
}

/// The Poisson score interval for a rate: `k` events over `exposure` units, per unit.
pub fn poisson_rate(k: u64, exposure: u64) -> Option<Interval> {
    if exposure == 0 {
        return None;
    }
    let (kf, t) = (k as f64, exposure as f64);
    let z2 = Z95 * Z95;
    let centre = kf + z2 / 2.0;
    let margin = Z95 * (kf + z2 / 4.0).sqrt();
    let low = if k == 0 { 0.0 } else { ((centre - margin) / t).max(0.0) };
    Some(Interval { low, high: (centre + margin) / t })
}

/// Reports per 1,000 human scans, with the Poisson score interval; `n` is the number of scans.
pub fn per_thousand(reports: i64, scans: i64) -> Estimate {
    let (k, t) = (count(reports), count(scans));
    Estimate {
        value: (t > 0).then(|| k as f64 * 1000.0 / t as f64),
        n: t,
        interval: poisson_rate(k, t).map(|i| i.scaled(1000.0)),
    }
}

/// NPS (-100..100) from the three buckets, with the multinomial normal-approximation interval.
pub fn nps(promoters: i64, passives: i64, detractors: i64) -> Estimate {
    let (p, a, d) = (count(promoters), count(passives), count(detractors));
    let n = p + a + d;
    if n == 0 {
        return Estimate::NONE;
    }
    let nf = n as f64;
    let (sp, sd) = (p as f64 / nf, d as f64 / nf);
    let diff = sp - sd;
    let variance = ((sp + sd - diff * diff) / nf).max(0.0);
    let margin = Z95 * variance.sqrt();
    Estimate {
        value: Some(diff * 100.0),
        n,
        interval: Some(Interval {
            low: ((diff - margin) * 100.0).max(-100.0),
            high: ((diff + margin) * 100.0).min(100.0),
        }),
    }
}

/// How a number moved from the previous period to this one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// The intervals do not overlap and the number moved the bad way.
    Worse,
    /// The intervals do not overlap and the number moved the good way.
    Better,
    /// The intervals overlap: no clear change.
    Unclear,
    /// Fewer than [`MIN_SAMPLE`] answers in one of the periods.
    TooFew,
}

impl Change {
    /// Stable name (CSS class, tests).
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Worse => "worse",
            Change::Better => "better",
            Change::Unclear => "unclear",
            Change::TooFew => "too-few",
        }
    }
}

/// Whether `current` differs clearly from `previous`: their 95 % intervals do not overlap.
/// `higher_is_worse` says which way is bad (defect share: up; CSAT: down).
pub fn change(current: &Estimate, previous: &Estimate, higher_is_worse: bool) -> Change {
    if !current.enough() || !previous.enough() {
        return Change::TooFew;
    }
    let (Some(c), Some(p)) = (current.interval, previous.interval) else { return Change::TooFew };
    if c.overlaps(p) {
        return Change::Unclear;
    }
    let went_up = c.low > p.high;
    if went_up == higher_is_worse { Change::Worse } else { Change::Better }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, eps: f64) -> bool {
        (a - b).abs() < eps
    }

    #[test]
    fn wilson_matches_values_computed_by_hand() {
        // p = 0.8, n = 10, z² = 3.8415: centre 0.99208 / 1.38415 = 0.71674, margin
        // 1.96 · sqrt(0.016 + 0.0096) / 1.38415 = 0.22658.
        let i = wilson(8, 10).unwrap();
        assert!(close(i.low, 0.490, 0.0005) && close(i.high, 0.943, 0.0005), "{i:?}");
        // 0 of 20: [0, z² / (n + z²)] = [0, 3.8415 / 23.8415] = [0, 0.161].
        let i = wilson(0, 20).unwrap();
        assert!(i.low == 0.0 && close(i.high, 0.1611, 0.0005), "{i:?}");
        // 20 of 20 mirrors it.
        let i = wilson(20, 20).unwrap();
        assert!(close(i.low, 0.8389, 0.0005) && i.high == 1.0, "{i:?}");
        // 50 of 100: 0.5 ± 1.96 · sqrt(0.0025 + 0.000096) / 1.038415 = [0.404, 0.596].
        let i = wilson(50, 100).unwrap();
        assert!(close(i.low, 0.4038, 0.0005) && close(i.high, 0.5962, 0.0005), "{i:?}");
        assert_eq!(wilson(0, 0), None);
        let s = share(8, 10);
        assert_eq!((s.value, s.n), (Some(0.8), 10));
        assert!(!s.enough());
    }

    #[test]
    fn the_nps_interval_is_the_multinomial_normal_approximation_clipped() {
        // 5 promoters, 3 passives, 2 detractors: NPS = 30; var = (0.5 + 0.2 - 0.3²) / 10 = 0.061;
        // 1.96 · sqrt(0.061) = 0.48408, so [-18.41, 78.41].
        let e = nps(5, 3, 2);
        assert_eq!(e.n, 10);
        assert!(close(e.value.unwrap(), 30.0, 1e-9));
        let i = e.interval.unwrap();
        assert!(close(i.low, -18.41, 0.01) && close(i.high, 78.41, 0.01), "{i:?}");
        // 9 promoters, 1 detractor: NPS 80, var = (1 - 0.64) / 10 = 0.036, margin 37.19: the top is
        // clipped at 100.
        let i = nps(9, 0, 1).interval.unwrap();
        assert!(close(i.low, 42.81, 0.01) && i.high == 100.0, "{i:?}");
        assert_eq!(nps(0, 0, 0), Estimate::NONE);
    }

    #[test]
    fn the_rate_interval_is_the_poisson_score_interval() {
        // 3 reports over 1,500 scans: (3 + 1.9207 ± 1.96 · sqrt(3.9604)) / 1.5 = [0.680, 5.881].
        let e = per_thousand(3, 1500);
        assert!(close(e.value.unwrap(), 2.0, 1e-9));
        assert_eq!(e.n, 1500);
        let i = e.interval.unwrap();
        assert!(close(i.low, 0.680, 0.001) && close(i.high, 5.881, 0.001), "{i:?}");
        // No reports still has an upper bound: z² / scans.
        let i = per_thousand(0, 1000).interval.unwrap();
        assert!(i.low == 0.0 && close(i.high, 3.841, 0.001), "{i:?}");
        assert_eq!(per_thousand(5, 0), Estimate::NONE);
    }

    #[test]
    fn a_change_is_flagged_only_when_intervals_do_not_overlap_and_samples_suffice() {
        let low = share(3, 100); // [0.010, 0.085]
        let high = share(30, 100); // [0.219, 0.396]
        assert_eq!(change(&high, &low, true), Change::Worse);
        assert_eq!(change(&low, &high, true), Change::Better);
        assert_eq!(change(&high, &low, false), Change::Better);
        assert_eq!(change(&share(40, 100), &share(30, 100), true), Change::Unclear);
        assert_eq!(change(&share(9, 10), &share(0, 10), true), Change::TooFew);
        assert_eq!(change(&high, &Estimate::NONE, true), Change::TooFew);
        let touching = Interval { low: 0.2, high: 0.3 };
        assert!(touching.overlaps(Interval { low: 0.3, high: 0.4 }));
        assert!(!touching.overlaps(Interval { low: 0.31, high: 0.4 }));
    }
}
