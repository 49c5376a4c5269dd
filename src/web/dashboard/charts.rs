//! Geometry of the server-rendered SVG charts: plain numbers in, coordinates out (as text with one
//! decimal, ready for the templates). No JavaScript draws anything; every chart also has a data
//! table next to it.

/// Series colours, each at least 3:1 against the white background (WCAG 1.4.11) and different in
/// lightness as well as hue; stacked segments are also separated by white gaps. The last one is for
/// "everything else".
pub const PALETTE: [&str; 7] = ["#1f5fbf", "#c2410c", "#047857", "#7e22ce", "#a16207", "#be185d", "#4b5563"];
/// "Everything else" in a stacked chart.
pub const OTHERS: &str = PALETTE[PALETTE.len() - 1];
/// Bars of a single series, and the cumulative line.
pub const BAR: &str = "#1f5fbf";
pub const LINE: &str = "#7c2d12";
/// Lots above their control limit (also drawn as triangles, not only in another colour).
pub const ALARM: &str = "#b3261e";

pub const WIDTH: f64 = 640.0;
pub const HEIGHT: f64 = 300.0;

fn f1(x: f64) -> String {
    format!("{x:.1}")
}

/// The drawing area inside the axes.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Plot {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

impl Plot {
    fn new(bottom_margin: f64, right_margin: f64) -> Plot {
        Plot { left: 56.0, right: WIDTH - right_margin, top: 16.0, bottom: HEIGHT - bottom_margin }
    }

    fn width(self) -> f64 {
        self.right - self.left
    }

    fn height(self) -> f64 {
        self.bottom - self.top
    }

    /// y of `value` on a scale from 0 to `top`.
    fn y(self, value: f64, top: f64) -> f64 {
        if top <= 0.0 { self.bottom } else { self.bottom - value.max(0.0) / top * self.height() }
    }
}

/// A scale from 0 to a round number above `max`, with 4 or 5 steps; whole steps for counts.
pub fn nice_scale(max: f64, whole: bool) -> (f64, f64) {
    let max = if max.is_finite() && max > 0.0 { max } else { 1.0 };
    let raw = max / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let mut step = [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(raw);
    if whole {
        step = step.max(1.0).round();
    }
    ((max / step).ceil() * step, step)
}

/// A horizontal grid line with its label on the left (or right) axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub y: String,
    pub label: String,
}

fn ticks(plot: Plot, top: f64, step: f64, label: &dyn Fn(f64) -> String) -> Vec<Tick> {
    let count = (top / step).round() as i64;
    (0..=count)
        .map(|i| {
            let v = step * i as f64;
            Tick { y: f1(plot.y(v, top)), label: label(v) }
        })
        .collect()
}

/// The frame every chart shares: axes and grid.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    pub left: String,
    pub right: String,
    pub top: String,
    pub bottom: String,
    /// x of the labels left of the axis (right-aligned there).
    pub tick_x: String,
    pub ticks: Vec<Tick>,
}

impl Frame {
    fn new(plot: Plot, ticks: Vec<Tick>) -> Frame {
        Frame {
            left: f1(plot.left),
            right: f1(plot.right),
            top: f1(plot.top),
            bottom: f1(plot.bottom),
            tick_x: f1(plot.left - 6.0),
            ticks,
        }
    }
}

/// A rectangle with a tooltip.
#[derive(Clone, Debug, PartialEq)]
pub struct Rect {
    pub x: String,
    pub y: String,
    pub w: String,
    pub h: String,
    pub fill: &'static str,
    pub title: String,
}

/// A label under a bar; long ones are cut and rotated.
#[derive(Clone, Debug, PartialEq)]
pub struct XLabel {
    pub x: String,
    pub y: String,
    pub text: String,
    pub rotate: bool,
}

/// One column of a stacked bar chart: its label and one value (with a tooltip) per series.
pub struct Column {
    pub label: String,
    pub values: Vec<(i64, String)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BarChart {
    pub frame: Frame,
    pub bars: Vec<Rect>,
    pub labels: Vec<XLabel>,
}

/// Stacked bars, one column per entry, series bottom-up in the order of `colours`. Labels thin out
/// when there are many columns so they never overlap.
pub fn stacked(columns: &[Column], colours: &[&'static str], count_label: &dyn Fn(f64) -> String) -> BarChart {
    let plot = Plot::new(40.0, 16.0);
    let max = columns.iter().map(|c| c.values.iter().map(|(v, _)| (*v).max(0)).sum::<i64>()).max().unwrap_or(0);
    let (top, step) = nice_scale(max as f64, true);
    let band = plot.width() / columns.len().max(1) as f64;
    let bar_w = (band * 0.7).max(1.0);
    let every = columns.len().div_ceil(14).max(1);
    let mut bars = Vec::new();
    let mut labels = Vec::new();
    for (i, column) in columns.iter().enumerate() {
        let x = plot.left + band * i as f64 + (band - bar_w) / 2.0;
        let mut base = 0i64;
        for (s, (value, title)) in column.values.iter().enumerate() {
            let value = (*value).max(0);
            if value == 0 {
                continue;
            }
            let (y0, y1) = (plot.y(base as f64, top), plot.y((base + value) as f64, top));
            bars.push(Rect {
                x: f1(x),
                y: f1(y1),
                w: f1(bar_w),
                h: f1(y0 - y1),
                fill: colours.get(s).copied().unwrap_or(OTHERS),
                title: title.clone(),
            });
            base += value;
        }
        if i % every == 0 {
            labels.push(XLabel {
                x: f1(x + bar_w / 2.0),
                y: f1(plot.bottom + 16.0),
                text: column.label.clone(),
                rotate: false,
            });
        }
    }
    BarChart { frame: Frame::new(plot, ticks(plot, top, step, count_label)), bars, labels }
}

fn shorten(label: &str, max_chars: usize) -> String {
    if label.chars().count() <= max_chars {
        return label.to_owned();
    }
    let mut s: String = label.chars().take(max_chars.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// A point with a tooltip.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    pub x: String,
    pub y: String,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParetoChart {
    pub frame: Frame,
    pub bar: &'static str,
    pub line_colour: &'static str,
    /// Percent labels on the right axis.
    pub right_ticks: Vec<Tick>,
    pub right_tick_x: String,
    pub bars: Vec<Rect>,
    pub labels: Vec<XLabel>,
    /// `x,y x,y …` of the cumulative line.
    pub line: String,
    pub points: Vec<Point>,
}

/// One Pareto bar as drawn: label, count, cumulative share (0..1), tooltips.
pub struct ParetoInput {
    pub label: String,
    pub count: i64,
    pub cumulative: f64,
    pub bar_title: String,
    pub point_title: String,
}

/// Bars (already sorted, largest first) on the left axis, the cumulative share on the right axis.
pub fn pareto(
    items: &[ParetoInput],
    count_label: &dyn Fn(f64) -> String,
    percent_label: &dyn Fn(f64) -> String,
) -> ParetoChart {
    let plot = Plot::new(96.0, 56.0);
    let max = items.iter().map(|i| i.count).max().unwrap_or(0);
    let (top, step) = nice_scale(max as f64, true);
    let band = plot.width() / items.len().max(1) as f64;
    let bar_w = (band * 0.7).max(1.0);
    let mut bars = Vec::new();
    let mut labels = Vec::new();
    let mut points = Vec::new();
    let mut line = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let x = plot.left + band * i as f64 + (band - bar_w) / 2.0;
        let y = plot.y(item.count as f64, top);
        bars.push(Rect {
            x: f1(x),
            y: f1(y),
            w: f1(bar_w),
            h: f1(plot.bottom - y),
            fill: BAR,
            title: item.bar_title.clone(),
        });
        let centre = x + bar_w / 2.0;
        labels.push(XLabel { x: f1(centre), y: f1(plot.bottom + 12.0), text: shorten(&item.label, 18), rotate: true });
        let py = plot.y(item.cumulative.clamp(0.0, 1.0), 1.0);
        line.push(format!("{},{}", f1(centre), f1(py)));
        points.push(Point { x: f1(centre), y: f1(py), title: item.point_title.clone() });
    }
    let right_ticks = (0..=4)
        .map(|i| {
            let share = f64::from(i) * 0.25;
            Tick { y: f1(plot.y(share, 1.0)), label: percent_label(share) }
        })
        .collect();
    ParetoChart {
        frame: Frame::new(plot, ticks(plot, top, step, count_label)),
        bar: BAR,
        line_colour: LINE,
        right_ticks,
        right_tick_x: f1(plot.right + 6.0),
        bars,
        labels,
        line: line.join(" "),
        points,
    }
}

/// One lot on the p-chart: its rate and its upper limit, both as rates (0..1).
pub struct PInput {
    pub label: String,
    pub rate: f64,
    pub upper: f64,
    pub above: bool,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PMark {
    pub x: String,
    pub y: String,
    pub above: bool,
    /// The triangle of a flagged lot, `x,y x,y x,y`.
    pub triangle: String,
    pub title: String,
}

/// A horizontal segment: a lot's upper control limit over its band.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    pub x1: String,
    pub x2: String,
    pub y: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PChart {
    pub frame: Frame,
    pub point: &'static str,
    pub alarm: &'static str,
    pub centre_colour: &'static str,
    pub centre_y: String,
    pub limits: Vec<Segment>,
    pub marks: Vec<PMark>,
    pub labels: Vec<XLabel>,
}

/// Lots in the given order; the y axis in the unit `rate_label` writes (PPM on the page).
pub fn p_chart(lots: &[PInput], centre: f64, rate_label: &dyn Fn(f64) -> String) -> PChart {
    let plot = Plot::new(72.0, 16.0);
    let max = lots.iter().map(|l| l.rate.max(l.upper)).fold(centre, f64::max);
    let (top, step) = nice_scale(max, false);
    let band = plot.width() / lots.len().max(1) as f64;
    let every = lots.len().div_ceil(30).max(1);
    let mut limits = Vec::new();
    let mut marks = Vec::new();
    let mut labels = Vec::new();
    for (i, lot) in lots.iter().enumerate() {
        let x0 = plot.left + band * i as f64;
        let cx = x0 + band / 2.0;
        let y = plot.y(lot.rate, top);
        limits.push(Segment { x1: f1(x0 + band * 0.1), x2: f1(x0 + band * 0.9), y: f1(plot.y(lot.upper, top)) });
        marks.push(PMark {
            x: f1(cx),
            y: f1(y),
            above: lot.above,
            triangle: format!(
                "{},{} {},{} {},{}",
                f1(cx),
                f1(y - 6.0),
                f1(cx - 6.0),
                f1(y + 5.0),
                f1(cx + 6.0),
                f1(y + 5.0)
            ),
            title: lot.title.clone(),
        });
        if i % every == 0 {
            labels.push(XLabel { x: f1(cx), y: f1(plot.bottom + 12.0), text: shorten(&lot.label, 14), rotate: true });
        }
    }
    PChart {
        frame: Frame::new(plot, ticks(plot, top, step, rate_label)),
        point: BAR,
        alarm: ALARM,
        centre_colour: LINE,
        centre_y: f1(plot.y(centre, top)),
        limits,
        marks,
        labels,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// WCAG relative luminance of `#rrggbb`.
    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if v <= 0.03928 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    fn contrast_on_white(hex: &str) -> f64 {
        1.05 / (luminance(hex) + 0.05)
    }

    #[test]
    fn every_chart_colour_has_at_least_3_to_1_contrast_on_white() {
        for c in PALETTE.iter().chain([BAR, LINE, ALARM].iter()) {
            assert!(contrast_on_white(c) >= 3.0, "{c}: {:.2}", contrast_on_white(c));
        }
    }

    #[test]
    fn scales_end_on_round_numbers() {
        assert_eq!(nice_scale(0.0, true), (1.0, 1.0));
        assert_eq!(nice_scale(3.0, true), (3.0, 1.0));
        assert_eq!(nice_scale(17.0, true), (20.0, 5.0));
        assert_eq!(nice_scale(230.0, true), (300.0, 100.0));
        let (top, step) = nice_scale(0.0034, false);
        assert!((top - 0.004).abs() < 1e-12 && (step - 0.001).abs() < 1e-12, "{top} {step}");
    }

    #[test]
    fn stacked_bars_stack_and_pareto_points_follow_the_cumulative_share() {
        let columns = vec![
            Column { label: "W1".into(), values: vec![(2, "a".into()), (0, "b".into()), (2, "c".into())] },
            Column { label: "W2".into(), values: vec![(1, "a".into()), (3, "b".into()), (0, "c".into())] },
        ];
        let chart = stacked(&columns, &PALETTE[..3], &|v| format!("{v}"));
        assert_eq!(chart.bars.len(), 4, "zero values draw nothing");
        // Scale 0..4: the first column's two segments meet at the middle of the plot.
        let plot = Plot::new(40.0, 16.0);
        assert_eq!(chart.bars[0].y, f1(plot.y(2.0, 4.0)));
        assert_eq!(chart.bars[1].y, f1(plot.top));
        assert_eq!(chart.bars[1].fill, PALETTE[2]);
        assert_eq!(chart.labels.len(), 2);
        let items: Vec<ParetoInput> = [(3, 0.6), (2, 1.0)]
            .into_iter()
            .map(|(count, cumulative)| ParetoInput {
                label: "a very long category name indeed".into(),
                count,
                cumulative,
                bar_title: String::new(),
                point_title: String::new(),
            })
            .collect();
        let p = pareto(&items, &|v| format!("{v}"), &|s| format!("{}%", s * 100.0));
        let plot = Plot::new(96.0, 56.0);
        assert_eq!(p.points[1].y, f1(plot.top), "100 % is the top");
        assert!(p.labels[0].text.ends_with('…') && p.labels[0].text.chars().count() == 18);
        assert_eq!(p.right_ticks.last().unwrap().label, "100%");
    }
}
