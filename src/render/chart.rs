//! Charts of launch records as inline SVG, written at build time: a timeline of a rocket's
//! flights and a country's launches per year. No script, no chart library, no external file.
//!
//! Outcomes are told apart by shape or fill pattern as well as colour, so the charts read in
//! greyscale and print; colours come from CSS classes (`chart__…`) with presentation
//! attributes as fallback. Every text is escaped here. Each chart carries a `<title>` and a
//! `<desc>`; the page must also give the numbers as text (a table): this module draws, it
//! does not decide what a page shows.

use std::fmt::Write as _;

use jiff::civil::Date;

use crate::index::record::YearTally;
use crate::load::i18n::Strings;
use crate::vocabulary::Outcome;

const WIDTH: f64 = 720.0;

/// One launch on a timeline.
#[derive(Debug, Clone, Copy)]
pub struct Mark<'a> {
    /// The UTC day.
    pub day: Date,
    /// `Success`, `Failure` or `Partial` for flights; `Scheduled` for planned ones.
    pub outcome: Outcome,
    /// What the mark is about (the briefing's title).
    pub label: &'a str,
    /// The briefing's link.
    pub url: &'a str,
}

/// The lanes of a timeline, top to bottom: one per outcome, so that position says it too;
/// each with the key of its short label among the theme's strings.
const LANES: [(Outcome, &str); 4] = [
    (Outcome::Success, "chart_lane_success"),
    (Outcome::Partial, "chart_lane_partial"),
    (Outcome::Failure, "chart_lane_failure"),
    (Outcome::Scheduled, "chart_lane_planned"),
];

/// Text made safe for SVG text and attribute values.
pub fn escape(text: &str) -> String {
    let mut bytes = Vec::with_capacity(text.len());
    // Writing to a Vec cannot fail.
    let _ = tera::escape_html(text, &mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

/// Past this many launches, a timeline draws one mark per lane and [`CROWD_SPAN`] pixels of
/// axis instead of one per launch: its size then stays bounded however long the rocket
/// flies, and marks that close overlap anyway. The launch history lists every launch.
pub const CROWDED: usize = 200;

/// The width of axis, in the chart's pixels, that one mark stands for on a crowded timeline
/// (a mark's own radius).
const CROWD_SPAN: f64 = 7.0;

/// A timeline of `marks` (any order): one lane per outcome along a time axis in years, each
/// mark a link to its briefing (past [`CROWDED`] launches, to the first of the launches it
/// stands for). `id` must be unique in the page; `name` is the rocket's.
/// Its words come from `strings`, the site's language.
pub fn timeline(strings: &Strings, id: &str, name: &str, marks: &[Mark]) -> String {
    let (Some(first), Some(last)) = (
        marks.iter().map(|m| m.day).min(),
        marks.iter().map(|m| m.day).max(),
    ) else {
        return String::new();
    };
    let lanes: Vec<(Outcome, &str)> = LANES
        .into_iter()
        .map(|(outcome, key)| (outcome, strings.get(key)))
        .filter(|(outcome, _)| {
            *outcome != Outcome::Scheduled || marks.iter().any(|m| m.outcome == Outcome::Scheduled)
        })
        .collect();
    let (left, right, top, lane_height) = (84.0, 24.0, 10.0, 30.0);
    let axis_y = top + lane_height * lanes.len() as f64;
    let height = axis_y + 30.0;
    let axis = YearAxis {
        from: first.year(),
        to: last.year() + 1,
        left,
        width: WIDTH - left - right,
        quarters: quarter_names(strings),
    };

    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart chart--timeline" viewBox="0 0 {WIDTH} {height}" width="100%" role="group" aria-labelledby="{id}-title" aria-describedby="{id}-desc"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#,
        title = escape(&strings.fill("chart_timeline_title", &[("name", name)])),
        desc = escape(&timeline_description(strings, name, marks, first, last)),
    );
    for (index, (_, label)) in lanes.iter().enumerate() {
        let y = top + lane_height * (index as f64 + 0.5);
        let _ = write!(
            svg,
            r##"<line class="chart__grid" x1="{left}" y1="{y}" x2="{x2}" y2="{y}" stroke="#d9dee7"/><text class="chart__label" x="{lx}" y="{ty}" text-anchor="end" aria-hidden="true">{label}</text>"##,
            x2 = WIDTH - right,
            lx = left - 10.0,
            ty = y + 4.5,
        );
    }
    axis.draw(&mut svg, axis_y);
    let mut ordered: Vec<&Mark> = marks.iter().collect();
    ordered.sort_by_key(|m| m.day);
    let crowded = marks.len() > CROWDED;
    for (lane, group) in lane_groups(&lanes, &ordered, |day| {
        let x = axis.x(day);
        if crowded {
            ((x - left) / CROWD_SPAN).floor() as i64
        } else {
            // Every launch its own mark.
            i64::MIN
        }
    }) {
        let mark = group[0];
        let (cx, cy) = (axis.x(mark.day), top + lane_height * (lane as f64 + 0.5));
        let word = lanes
            .iter()
            .find(|(o, _)| *o == mark.outcome)
            .map_or("", |(_, word)| word);
        let text = if group.len() == 1 {
            format!("{}: {} ({word})", mark.day, mark.label)
        } else {
            strings.fill(
                "chart_crowd",
                &[
                    ("first", &mark.day.to_string()),
                    ("last", &group[group.len() - 1].day.to_string()),
                    ("n", &group.len().to_string()),
                    ("outcome", word),
                    ("title", mark.label),
                ],
            )
        };
        let text = escape(&text);
        let _ = write!(
            svg,
            r#"<a href="{}" aria-label="{text}"><title>{text}</title>{}</a>"#,
            escape(mark.url),
            shape(mark.outcome, cx, cy)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The marks to draw, in day order: each with its lane and the launches it stands for —
/// one, or on a crowded timeline every launch of the lane in the same `bin` of the axis.
/// `bin` gives `i64::MIN` for "every launch on its own".
fn lane_groups<'m, 'a>(
    lanes: &[(Outcome, &str)],
    ordered: &[&'m Mark<'a>],
    bin: impl Fn(Date) -> i64,
) -> Vec<(usize, Vec<&'m Mark<'a>>)> {
    let mut groups: Vec<(usize, Vec<&'m Mark<'a>>)> = Vec::new();
    // The group each lane is filling, with its bin.
    let mut open: Vec<Option<(i64, usize)>> = vec![None; lanes.len()];
    for mark in ordered {
        let Some(lane) = lanes.iter().position(|(o, _)| *o == mark.outcome) else {
            continue;
        };
        let key = bin(mark.day);
        match open[lane] {
            Some((open_key, at)) if key != i64::MIN && open_key == key => groups[at].1.push(mark),
            _ => {
                open[lane] = Some((key, groups.len()));
                groups.push((lane, vec![mark]));
            }
        }
    }
    groups
}

fn timeline_description(
    strings: &Strings,
    name: &str,
    marks: &[Mark],
    first: Date,
    last: Date,
) -> String {
    let count = |outcome| {
        marks
            .iter()
            .filter(|m| m.outcome == outcome)
            .count()
            .to_string()
    };
    strings.fill(
        "chart_timeline_desc",
        &[
            ("n", &marks.len().to_string()),
            ("name", name),
            ("first", &first.to_string()),
            ("last", &last.to_string()),
            ("successes", &count(Outcome::Success)),
            ("partial", &count(Outcome::Partial)),
            ("failures", &count(Outcome::Failure)),
            ("planned", &count(Outcome::Scheduled)),
            (
                "note",
                strings.get(if marks.len() > CROWDED {
                    "chart_note_crowded"
                } else {
                    "chart_note"
                }),
            ),
        ],
    )
}

/// A shape that says the outcome without colour: disc, triangle, cross, hollow diamond.
fn shape(outcome: Outcome, cx: f64, cy: f64) -> String {
    let r = 7.0;
    match outcome {
        Outcome::Success => format!(
            r##"<circle class="chart__mark chart__mark--success" cx="{cx:.1}" cy="{cy}" r="{r}" fill="#15803d"/>"##
        ),
        Outcome::Partial => format!(
            r##"<path class="chart__mark chart__mark--partial" d="M{:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z" fill="#b45309"/>"##,
            cx,
            cy - r,
            cx + r,
            cy + r * 0.8,
            cx - r,
            cy + r * 0.8
        ),
        Outcome::Failure => format!(
            r##"<path class="chart__mark chart__mark--failure" d="M{a:.1} {b:.1}L{c:.1} {d:.1}M{a:.1} {d:.1}L{c:.1} {b:.1}" stroke="#b91c1c" stroke-width="3.5" stroke-linecap="round" fill="none"/>"##,
            a = cx - r * 0.8,
            b = cy - r * 0.8,
            c = cx + r * 0.8,
            d = cy + r * 0.8
        ),
        _ => format!(
            r##"<path class="chart__mark chart__mark--planned" d="M{cx:.1} {:.1}L{:.1} {cy}L{cx:.1} {:.1}L{:.1} {cy}Z" stroke="#4338ca" stroke-width="2.5" fill="none"/>"##,
            cy - r,
            cx + r,
            cy + r,
            cx - r
        ),
    }
}

/// A horizontal axis in years, from 1 January of `from` to 1 January of `to`.
struct YearAxis {
    from: i16,
    to: i16,
    left: f64,
    width: f64,
    /// Short names of April, July and October, for the quarter ticks of a short span.
    quarters: [String; 3],
}

/// The first three letters of months 4, 7 and 10 in the site's language (`Apr`, `Avr`, `4月`).
fn quarter_names(strings: &Strings) -> [String; 3] {
    [4, 7, 10].map(|month| {
        strings
            .get(&format!("month_{month}"))
            .chars()
            .take(3)
            .collect()
    })
}

impl YearAxis {
    fn x(&self, day: Date) -> f64 {
        let fraction = f64::from(day.day_of_year() - 1) / f64::from(day.days_in_year());
        self.x_of_year(f64::from(day.year()) + fraction)
    }

    fn x_of_year(&self, year: f64) -> f64 {
        let span = f64::from((self.to - self.from).max(1));
        self.left + (year - f64::from(self.from)) / span * self.width
    }

    fn draw(&self, svg: &mut String, y: f64) {
        let _ = write!(
            svg,
            r##"<line class="chart__axis" x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="#566173"/>"##,
            self.left,
            self.left + self.width
        );
        let step = nice_step(u32::try_from(self.to - self.from).unwrap_or(1), 8);
        for year in (self.from..=self.to).filter(|year| i64::from(*year) % i64::from(step) == 0) {
            let x = self.x_of_year(f64::from(year));
            let _ = write!(
                svg,
                r##"<line class="chart__axis" x1="{x:.1}" y1="{y}" x2="{x:.1}" y2="{}" stroke="#566173"/><text class="chart__label" x="{x:.1}" y="{}" text-anchor="middle">{year}</text>"##,
                y + 5.0,
                y + 20.0,
            );
        }
        // A short span gets quarter ticks so that months can be told apart.
        if self.to - self.from > 3 {
            return;
        }
        for year in self.from..self.to {
            for (month, label) in [3.0, 6.0, 9.0].into_iter().zip(&self.quarters) {
                let label = escape(label);
                let x = self.x_of_year(f64::from(year) + month / 12.0);
                let _ = write!(
                    svg,
                    r##"<line class="chart__axis" x1="{x:.1}" y1="{y}" x2="{x:.1}" y2="{}" stroke="#566173"/><text class="chart__label chart__label--minor" x="{x:.1}" y="{}" text-anchor="middle">{label}</text>"##,
                    y + 3.0,
                    y + 20.0,
                );
            }
        }
    }
}

/// The smallest of 1, 2, 5, 10, 20, 50… that cuts `span` into at most `parts` steps.
fn nice_step(span: u32, parts: u32) -> u32 {
    let mut base = 1;
    loop {
        for factor in [1, 2, 5] {
            if span.div_ceil(base * factor) <= parts {
                return base * factor;
            }
        }
        base *= 10;
    }
}

/// Launches per year as stacked bars: successes (solid), partial failures (striped) and
/// failures (cross-hatched). `id` must be unique in the page; `name` is the country's.
/// Its words come from `strings`, the site's language.
pub fn launches_per_year(strings: &Strings, id: &str, name: &str, years: &[YearTally]) -> String {
    let (Some(first), Some(last)) = (years.first(), years.last()) else {
        return String::new();
    };
    let (left, right, top, plot_height) = (44.0, 16.0, 36.0, 170.0);
    let height = top + plot_height + 30.0;
    let max = years
        .iter()
        .map(YearTally::flights)
        .max()
        .unwrap_or(0)
        .max(1);
    let y_step = nice_step(u32::try_from(max).unwrap_or(u32::MAX), 5) as usize;
    let y_max = max.div_ceil(y_step) * y_step;
    let scale = plot_height / y_max as f64;
    let slot = (WIDTH - left - right) / years.len() as f64;
    let bar = (slot * 0.7).min(36.0);
    let total: usize = years.iter().map(YearTally::flights).sum();

    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart chart--years" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#,
        title = escape(&strings.fill("chart_years_title", &[("name", name)])),
        desc = escape(&strings.fill(
            "chart_years_desc",
            &[
                ("n", &total.to_string()),
                ("first", &first.year.to_string()),
                ("last", &last.year.to_string()),
            ],
        )),
    );
    let _ = write!(
        svg,
        r##"<defs><pattern id="{id}-partial" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect class="chart__bg" width="6" height="6" fill="#ffffff"/><rect class="chart__fill--partial" width="3" height="6" fill="#b45309"/></pattern><pattern id="{id}-failure" patternUnits="userSpaceOnUse" width="6" height="6"><rect class="chart__bg" width="6" height="6" fill="#ffffff"/><path class="chart__hatch--failure" d="M0 0L6 6M6 0L0 6" stroke="#b91c1c" stroke-width="1.5"/></pattern></defs>"##
    );
    legend(strings, &mut svg, id);
    for tick in (0..=y_max).step_by(y_step) {
        let y = top + plot_height - tick as f64 * scale;
        let _ = write!(
            svg,
            r##"<line class="chart__grid" x1="{left}" y1="{y:.1}" x2="{}" y2="{y:.1}" stroke="#d9dee7"/><text class="chart__label" x="{}" y="{:.1}" text-anchor="end">{tick}</text>"##,
            WIDTH - right,
            left - 6.0,
            y + 4.0,
        );
    }
    let label_step = nice_step(years.len() as u32, 10) as i16;
    for (index, tally) in years.iter().enumerate() {
        let x = left + slot * (index as f64 + 0.5) - bar / 2.0;
        let mut base = top + plot_height;
        let _ = write!(
            svg,
            "<g><title>{}</title>",
            escape(&year_words(strings, tally))
        );
        let counts = [tally.successes, tally.partial_failures, tally.failures];
        for (count, (class, fill, _)) in counts.into_iter().zip(bar_styles(id)) {
            if count == 0 {
                continue;
            }
            let h = count as f64 * scale;
            base -= h;
            let _ = write!(
                svg,
                r##"<rect class="chart__bar chart__bar--{class}" x="{x:.1}" y="{base:.1}" width="{bar:.1}" height="{h:.1}" fill="{fill}" stroke="#1b2330" stroke-width="0.75"/>"##
            );
        }
        svg.push_str("</g>");
        if tally.year % label_step == 0 || years.len() == 1 {
            let _ = write!(
                svg,
                r#"<text class="chart__label" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                x + bar / 2.0,
                top + plot_height + 20.0,
                tally.year
            );
        }
    }
    let _ = write!(
        svg,
        r##"<line class="chart__axis" x1="{left}" y1="{y}" x2="{}" y2="{y}" stroke="#566173"/></svg>"##,
        WIDTH - right,
        y = top + plot_height
    );
    svg
}

/// Class, fill and the key of the legend label of each outcome's bars, bottom to top.
fn bar_styles(id: &str) -> [(&'static str, String, &'static str); 3] {
    [
        ("success", "#15803d".to_owned(), "outcome_success"),
        ("partial", format!("url(#{id}-partial)"), "outcome_partial"),
        ("failure", format!("url(#{id}-failure)"), "outcome_failure"),
    ]
}

/// Roughly how wide `text` is at the labels' size: CJK characters take two columns.
fn text_width(text: &str) -> f64 {
    let columns: usize = text
        .chars()
        .map(|c| if u32::from(c) >= 0x2E80 { 2 } else { 1 })
        .sum();
    columns as f64 * 7.0
}

fn legend(strings: &Strings, svg: &mut String, id: &str) {
    let mut x = 44.0;
    for (class, fill, key) in bar_styles(id) {
        let label = strings.get(key);
        let _ = write!(
            svg,
            r##"<rect class="chart__bar chart__bar--{class}" x="{x}" y="6" width="14" height="14" fill="{fill}" stroke="#1b2330" stroke-width="0.75"/><text class="chart__label" x="{}" y="18">{}</text>"##,
            x + 20.0,
            escape(label)
        );
        x += 20.0 + text_width(label) + 20.0;
    }
}

fn year_words(strings: &Strings, tally: &YearTally) -> String {
    let count = |key: &str, n: usize| strings.counted(key, n as i64, &[]);
    format!(
        "{}: {}, {}, {}, {}",
        tally.year,
        count("record_flights", tally.flights()),
        count("record_successes", tally.successes),
        count("record_partial_failures", tally.partial_failures),
        count("record_failures", tally.failures),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark<'a>(day: &str, outcome: Outcome, label: &'a str) -> Mark<'a> {
        Mark {
            day: day.parse().unwrap(),
            outcome,
            label,
            url: "/briefings/x/?a=1&b=2",
        }
    }

    #[test]
    fn timeline_has_one_linked_shape_per_launch_and_escapes_text() {
        let marks = [
            mark("2023-05-31", Outcome::Failure, "Fails <early>"),
            mark("2023-08-24", Outcome::Failure, "Fails \"late\""),
            mark("2023-11-21", Outcome::Success, "Orbit & more"),
        ];
        let svg = timeline(&Strings::english(), "t", "Ch'ollima-1", &marks);
        assert_eq!(svg.matches("<a href=").count(), 3);
        assert_eq!(svg.matches("chart__mark--failure").count(), 2);
        assert_eq!(svg.matches("chart__mark--success").count(), 1);
        assert!(
            svg.contains("Ch&#39;ollima-1")
                && svg.contains("Fails &lt;early&gt;")
                && svg.contains("Orbit &amp; more")
        );
        assert!(svg.contains("?a=1&amp;b=2"));
        assert!(
            !svg.contains("Planned"),
            "no planned lane without planned launches"
        );
        assert!(svg.contains(">2023</text>") && svg.contains(">2024</text>"));
    }

    #[test]
    fn a_crowded_timeline_stays_bounded_and_keeps_every_lane() {
        let days: Vec<String> = (0..5000)
            .map(|i| {
                let day: Date = "1990-01-01".parse().unwrap();
                day.checked_add(jiff::Span::new().days(i * 2))
                    .unwrap()
                    .to_string()
            })
            .collect();
        let marks: Vec<Mark> = days
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let outcome = if i % 7 == 0 {
                    Outcome::Failure
                } else {
                    Outcome::Success
                };
                mark(d, outcome, "Flight")
            })
            .collect();
        let svg = timeline(&Strings::english(), "t", "Workhorse", &marks);
        let drawn = svg.matches("<a href=").count();
        assert!(
            drawn < 2 * 100,
            "one mark per lane and span of axis: {drawn}"
        );
        assert!(svg.contains("chart__mark--failure") && svg.contains("chart__mark--success"));
        assert!(svg.contains("5000 launches of Workhorse"));
        assert!(svg.len() < 100_000, "{} bytes", svg.len());
        // Below the threshold, every launch keeps its own mark.
        let few = timeline(&Strings::english(), "t", "Workhorse", &marks[..CROWDED]);
        assert_eq!(few.matches("<a href=").count(), CROWDED);
    }

    #[test]
    fn marks_sit_in_time_order_along_the_axis() {
        let axis = YearAxis {
            from: 2020,
            to: 2024,
            left: 0.0,
            width: 400.0,
            quarters: quarter_names(&Strings::english()),
        };
        let x = |d: &str| axis.x(d.parse().unwrap());
        assert_eq!(x("2020-01-01"), 0.0);
        assert!((x("2022-01-01") - 200.0).abs() < 1e-9);
        assert!(x("2023-12-31") < 400.0 && x("2023-06-01") < x("2023-12-31"));
    }

    #[test]
    fn steps_are_round_numbers() {
        assert_eq!(nice_step(1, 8), 1);
        assert_eq!(nice_step(12, 8), 2);
        assert_eq!(nice_step(68, 8), 10);
        assert_eq!(nice_step(3, 5), 1);
        assert_eq!(nice_step(110, 5), 50);
    }

    #[test]
    fn bars_stack_by_outcome_and_say_so_in_text() {
        let years = [
            YearTally {
                year: 2023,
                successes: 1,
                failures: 2,
                partial_failures: 0,
            },
            YearTally {
                year: 2024,
                successes: 0,
                failures: 1,
                partial_failures: 1,
            },
        ];
        let svg = launches_per_year(&Strings::english(), "c", "North Korea", &years);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(
            svg.contains(r#"role="img""#)
                && svg.contains("<title id=\"c-title\">Launches per year by North Korea</title>")
        );
        assert!(svg.contains("5 flights from 2023 to 2024"));
        // One swatch in the legend, then one bar per year that has any.
        assert_eq!(svg.matches("chart__bar--failure").count(), 1 + 2);
        assert_eq!(svg.matches("chart__bar--partial").count(), 1 + 1);
        assert_eq!(svg.matches("chart__bar--success").count(), 1 + 1);
        assert!(
            svg.contains(
                "<title>2023: 3 flights, 1 success, 0 partial failures, 2 failures</title>"
            )
        );
        assert!(launches_per_year(&Strings::english(), "c", "x", &[]).is_empty());
    }
}
