//! The statistics as text charts: a calendar heatmap, bar charts, weekly
//! lines, mastery bars. Pure: [`Stats`] in, lines out, for the terminal (full
//! screen or printed).

use crate::human::{duration, percent, plural};
use crate::stats::{Mastery, Stats};
use crate::text::clean_line;
use chrono::{Datelike, NaiveDate};

const BLOCKS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const SHADES: [char; 5] = ['·', '░', '▒', '▓', '█'];

/// The whole dashboard, `width` columns wide at most.
pub fn lines(s: &Stats, title: &str) -> Vec<String> {
    let mut out = vec![title.to_string(), String::new()];
    let sections: [fn(&Stats) -> Vec<String>; 7] =
        [today, activity, weekly, forecast, cards, quizzes, weakest];
    for (i, section) in sections.into_iter().enumerate() {
        if i > 0 {
            out.push(String::new());
        }
        out.extend(section(s));
    }
    out
}

/// Today's reviews and the streak.
fn today(s: &Stats) -> Vec<String> {
    let t = &s.today;
    vec![
        format!(
            "Today    {} review{} of {} card{} · {} remembered · {}",
            t.reviews,
            plural(t.reviews),
            t.cards,
            plural(t.cards),
            percent(t.accuracy),
            duration(t.time_ms)
        ),
        format!(
            "Streak   {} day{} in a row · longest {}",
            s.streak.current,
            plural(s.streak.current),
            s.streak.longest
        ),
    ]
}

/// The heatmap of the whole period, then reviews and minutes of the last
/// sixty days.
fn activity(s: &Stats) -> Vec<String> {
    let mut out = vec![format!(
        "Reviews per day, {} days (· none, ░ ▒ ▓ █ up to the busiest day)",
        s.days.len()
    )];
    out.extend(heatmap(s));
    out.push(String::new());
    let recent = &s.days[s.days.len().saturating_sub(60)..];
    let reviews: Vec<f64> = recent.iter().map(|d| d.reviews as f64).collect();
    out.push(format!(
        "Reviews, last {} days (busiest: {:.0})",
        recent.len(),
        max(&reviews)
    ));
    out.extend(bars(&reviews, 4));
    let minutes: Vec<f64> = recent.iter().map(|d| d.time_ms as f64 / 60_000.0).collect();
    out.push(format!(
        "Minutes, last {} days (longest: {:.0})",
        recent.len(),
        max(&minutes)
    ));
    out.extend(bars(&minutes, 3));
    out
}

/// Accuracy and retention per week, the last half year.
fn weekly(s: &Stats) -> Vec<String> {
    let weeks = &s.weeks[s.weeks.len().saturating_sub(26)..];
    let line = |label: &str, values: Vec<Option<f64>>| {
        format!(
            "  {label:<16} {}  {}",
            spark(&values),
            percent(values.iter().rev().flatten().next().copied())
        )
    };
    vec![
        format!(
            "Per week, last {} weeks (▁ 0% … █ 100%; blank: no reviews)",
            weeks.len()
        ),
        line("accuracy", weeks.iter().map(|w| w.accuracy).collect()),
        line(
            "retention young",
            weeks.iter().map(|w| w.retention_young).collect(),
        ),
        line(
            "retention mature",
            weeks.iter().map(|w| w.retention_mature).collect(),
        ),
    ]
}

/// Cards falling due, day by day, the next thirty days.
fn forecast(s: &Stats) -> Vec<String> {
    let due: Vec<f64> = s.forecast.iter().map(|&n| n as f64).collect();
    let mut out = vec![format!(
        "Due in the next 30 days ({} in all, today {})",
        s.forecast.iter().sum::<u64>(),
        s.forecast.first().unwrap_or(&0)
    )];
    out.extend(bars(&due, 3));
    out
}

/// Cards by phase, then mastery by deck and by tag.
fn cards(s: &Stats) -> Vec<String> {
    let p = &s.phases;
    let mut out = vec![
        format!(
            "Cards    new {} · learning {} · review {} · relearning {} · suspended {} · leeches {}",
            p.new, p.learning, p.review, p.relearning, p.suspended, p.leeches
        ),
        String::new(),
        "Mastery: predicted recall now (change over the period)".to_string(),
    ];
    out.extend(mastery(&s.mastery_by_deck, usize::MAX));
    if !s.mastery_by_tag.is_empty() {
        out.push("  by tag".to_string());
        let mut tags = s.mastery_by_tag.clone();
        tags.sort_by(|a, b| b.cards.cmp(&a.cards).then(a.name.cmp(&b.name)));
        out.extend(mastery(&tags, 12));
    }
    out
}

/// Quiz scores deck by deck, oldest first.
fn quizzes(s: &Stats) -> Vec<String> {
    let mut out = vec!["Quiz scores".to_string()];
    if s.quizzes.is_empty() {
        out.push("  no quizzes yet (kioku quiz)".to_string());
    }
    let mut decks: Vec<&str> = s.quizzes.iter().map(|q| q.deck.as_str()).collect();
    decks.sort();
    decks.dedup();
    for deck in decks {
        let scores: Vec<String> = s
            .quizzes
            .iter()
            .filter(|q| q.deck == deck)
            // The month and day of a YYYY-MM-DD date; anything else whole.
            .map(|q| format!("{:.0}% ({})", q.score, q.date.get(5..).unwrap_or(&q.date)))
            .collect();
        out.push(format!("  {:<28} {}", clean_line(deck), scores.join(" → ")));
    }
    out
}

/// The weakest cards, in the order `stats` ranked them.
fn weakest(s: &Stats) -> Vec<String> {
    let mut out = vec!["Weakest cards".to_string()];
    if s.weakest.is_empty() {
        out.push("  none studied yet".to_string());
    }
    for w in &s.weakest {
        out.push(format!(
            "  {:<44} {} lapse{} · recall {:.0}% · {} reviews",
            clean_line(&format!("{}/{}", w.deck, w.card)),
            w.lapses,
            plural(w.lapses),
            w.recall * 100.0,
            w.reviews
        ));
    }
    out
}

fn max(v: &[f64]) -> f64 {
    v.iter().copied().fold(0.0, f64::max)
}

/// A bar chart `height` rows high, one column per value.
fn bars(values: &[f64], height: usize) -> Vec<String> {
    let top = max(values);
    let steps = (height * 8) as f64;
    (0..height)
        .rev()
        .map(|row| {
            let line: String = values
                .iter()
                .map(|&v| {
                    let filled = if top > 0.0 {
                        (v / top * steps).round() as usize
                    } else {
                        0
                    };
                    let filled = if v > 0.0 { filled.max(1) } else { 0 };
                    BLOCKS[filled.saturating_sub(row * 8).min(8)]
                })
                .collect();
            format!("  {line}")
        })
        .collect()
}

/// One row of shares (0–1), blank where there is none.
fn spark(values: &[Option<f64>]) -> String {
    values
        .iter()
        .map(|v| v.map_or(' ', |v| BLOCKS[((v * 7.0).round() as usize + 1).min(8)]))
        .collect()
}

/// The calendar grid: a row per weekday, a column per week.
fn heatmap(s: &Stats) -> Vec<String> {
    let Some(first) = s
        .days
        .first()
        .and_then(|d| NaiveDate::parse_from_str(&d.date, "%Y-%m-%d").ok())
    else {
        return Vec::new();
    };
    let offset = first.weekday().num_days_from_monday() as usize;
    let weeks = (offset + s.days.len()).div_ceil(7);
    let top = s.days.iter().map(|d| d.reviews).max().unwrap_or(0);
    let mut grid = vec![vec![' '; weeks]; 7];
    for (i, d) in s.days.iter().enumerate() {
        let at = offset + i;
        let shade = if d.reviews == 0 || top == 0 {
            0
        } else {
            ((d.reviews * 4).div_ceil(top) as usize).clamp(1, 4)
        };
        grid[at % 7][at / 7] = SHADES[shade];
    }
    let mut months = vec![' '; weeks];
    let mut last_month = 0;
    for (i, d) in s.days.iter().enumerate() {
        if let Ok(date) = NaiveDate::parse_from_str(&d.date, "%Y-%m-%d") {
            let col = (offset + i) / 7;
            if date.month() != last_month
                && col + 3 <= weeks
                && months[col..(col + 3).min(weeks)].iter().all(|c| *c == ' ')
            {
                for (k, c) in date.format("%b").to_string().chars().enumerate() {
                    months[col + k] = c;
                }
                last_month = date.month();
            }
        }
    }
    let mut out = vec![format!("      {}", months.iter().collect::<String>())];
    for (row, name) in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        .iter()
        .enumerate()
    {
        out.push(format!("  {name} {}", grid[row].iter().collect::<String>()));
    }
    out
}

fn mastery(list: &[Mastery], limit: usize) -> Vec<String> {
    list.iter()
        .take(limit)
        .map(|m| {
            let filled = (m.now * 20.0).round() as usize;
            let bar: String = std::iter::repeat_n('█', filled)
                .chain(std::iter::repeat_n('░', 20 - filled.min(20)))
                .collect();
            let change = (m.now - m.start) * 100.0;
            format!(
                "  {:<28} {bar} {:>3.0}% ({:+.0}) of {}",
                clean_line(&m.name),
                m.now * 100.0,
                change,
                m.cards
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_top_value() {
        assert_eq!(bars(&[0.0, 4.0, 8.0], 1), vec!["   ▄█"]);
        assert_eq!(bars(&[1.0, 16.0], 2), vec!["   █", "  ▁█"]);
        assert_eq!(bars(&[0.0, 0.0], 1), vec!["    "]);
    }

    #[test]
    fn spark_shows_shares_and_gaps() {
        assert_eq!(spark(&[Some(0.0), None, Some(1.0), Some(0.5)]), "▁ █▅");
    }
}
