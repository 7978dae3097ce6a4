//! The statistics as one self-contained HTML page: the same charts as the
//! terminal, drawn as inline SVG. No scripts, fonts or anything else fetched.

use crate::human::{duration, percent};
use crate::stats::{Mastery, Stats};
use chrono::{Datelike, NaiveDate};
use std::fmt::Write;

fn esc(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control())
        .map(|c| match c {
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '&' => "&amp;".to_string(),
            '"' => "&quot;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// The whole page.
pub fn report(s: &Stats, title: &str) -> String {
    let mut h = String::new();
    head(&mut h, s, title);
    activity(&mut h, s);
    weekly(&mut h, s);
    h.push_str("<h2>Due in the next 30 days</h2>");
    h.push_str(&bars(
        &s.forecast.iter().map(|&n| n as f64).collect::<Vec<_>>(),
        "#c4533b",
    ));
    cards(&mut h, s);
    tables(&mut h, s);
    h.push_str("</body></html>\n");
    h
}

/// The document head with its style, the title and today's figures.
fn head(h: &mut String, s: &Stats, title: &str) {
    let _ = write!(
        h,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title><style>\
body{{font-family:system-ui,sans-serif;margin:2em auto;max-width:60em;color:#222;background:#fdfdfb}}\
h1{{font-size:1.4em}}h2{{font-size:1.1em;margin-top:1.8em;border-bottom:1px solid #ddd}}\
.figures span{{margin-right:2em}}table{{border-collapse:collapse}}td,th{{padding:.2em .8em;text-align:left}}\
svg text{{font-size:10px;fill:#555}}</style></head><body><h1>{t}</h1>",
        t = esc(title)
    );
    let t = &s.today;
    let _ = write!(
        h,
        "<p class=\"figures\"><span>Today: <b>{}</b> reviews of {} cards</span><span>remembered <b>{}</b></span><span>time {}</span>\
<span>streak <b>{}</b> days (longest {})</span></p>",
        t.reviews,
        t.cards,
        percent(t.accuracy),
        duration(t.time_ms),
        s.streak.current,
        s.streak.longest
    );
}

/// The heatmap, then reviews and minutes of the last ninety days.
fn activity(h: &mut String, s: &Stats) {
    h.push_str("<h2>Reviews per day</h2>");
    h.push_str(&heatmap(s));
    let recent = &s.days[s.days.len().saturating_sub(90)..];
    h.push_str(&format!("<h2>Reviews, last {} days</h2>", recent.len()));
    h.push_str(&bars(
        &recent.iter().map(|d| d.reviews as f64).collect::<Vec<_>>(),
        "#3b82c4",
    ));
    h.push_str(&format!("<h2>Minutes, last {} days</h2>", recent.len()));
    h.push_str(&bars(
        &recent
            .iter()
            .map(|d| d.time_ms as f64 / 60_000.0)
            .collect::<Vec<_>>(),
        "#8a6bb8",
    ));
}

/// Accuracy and retention per week, the last year.
fn weekly(h: &mut String, s: &Stats) {
    let weeks = &s.weeks[s.weeks.len().saturating_sub(52)..];
    h.push_str("<h2>Accuracy and true retention per week</h2>");
    h.push_str(&lines(&[
        (
            "accuracy",
            "#3b82c4",
            weeks.iter().map(|w| w.accuracy).collect(),
        ),
        (
            "retention, young",
            "#4caf50",
            weeks.iter().map(|w| w.retention_young).collect(),
        ),
        (
            "retention, mature",
            "#e08a1e",
            weeks.iter().map(|w| w.retention_mature).collect(),
        ),
    ]));
}

/// Cards by phase, then mastery by deck and by tag.
fn cards(h: &mut String, s: &Stats) {
    let p = &s.phases;
    let _ = write!(
        h,
        "<h2>Cards</h2><p class=\"figures\"><span>new {}</span><span>learning {}</span><span>review {}</span><span>relearning {}</span><span>suspended {}</span><span>leeches {}</span></p>",
        p.new, p.learning, p.review, p.relearning, p.suspended, p.leeches
    );
    h.push_str("<h2>Mastery: predicted recall now</h2>");
    h.push_str(&mastery(&s.mastery_by_deck));
    if !s.mastery_by_tag.is_empty() {
        h.push_str("<h2>Mastery by tag</h2>");
        h.push_str(&mastery(&s.mastery_by_tag));
    }
}

/// The quiz scores and the weakest cards, as tables.
fn tables(h: &mut String, s: &Stats) {
    h.push_str("<h2>Quiz scores</h2><table><tr><th>date</th><th>deck</th><th>questions</th><th>score</th></tr>");
    for q in &s.quizzes {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.0}%</td></tr>",
            esc(&q.date),
            esc(&q.deck),
            q.answered,
            q.score
        );
    }
    h.push_str("</table><h2>Weakest cards</h2><table><tr><th>card</th><th>lapses</th><th>recall now</th><th>reviews</th></tr>");
    for w in &s.weakest {
        let _ = write!(
            h,
            "<tr><td>{}/{}</td><td>{}</td><td>{:.0}%</td><td>{}</td></tr>",
            esc(&w.deck),
            esc(&w.card),
            w.lapses,
            w.recall * 100.0,
            w.reviews
        );
    }
    h.push_str("</table>");
}

fn heatmap(s: &Stats) -> String {
    let Some(first) = s
        .days
        .first()
        .and_then(|d| NaiveDate::parse_from_str(&d.date, "%Y-%m-%d").ok())
    else {
        return String::new();
    };
    let offset = first.weekday().num_days_from_monday() as usize;
    let weeks = (offset + s.days.len()).div_ceil(7);
    let top = s.days.iter().map(|d| d.reviews).max().unwrap_or(0).max(1) as f64;
    let mut svg = format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"reviews per day\">", 30 + weeks * 12, 7 * 12 + 16);
    for (i, name) in ["Mon", "", "Wed", "", "Fri", "", "Sun"].iter().enumerate() {
        let _ = write!(svg, "<text x=\"0\" y=\"{}\">{name}</text>", 24 + i * 12);
    }
    for (i, d) in s.days.iter().enumerate() {
        let at = offset + i;
        let colour = if d.reviews == 0 {
            "#ebedf0".to_string()
        } else {
            format!(
                "rgba(33,110,57,{:.2})",
                0.25 + 0.75 * d.reviews as f64 / top
            )
        };
        let _ = write!(
            svg,
            "<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{colour}\"><title>{}: {} reviews</title></rect>",
            30 + (at / 7) * 12,
            16 + (at % 7) * 12,
            d.date,
            d.reviews
        );
    }
    svg.push_str("</svg>");
    svg
}

fn bars(values: &[f64], colour: &str) -> String {
    let top = values.iter().copied().fold(0.0, f64::max).max(1.0);
    let width = 40 + values.len() * 8;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"110\" role=\"img\">"
    );
    let _ = write!(
        svg,
        "<text x=\"0\" y=\"12\">{top:.0}</text><text x=\"0\" y=\"100\">0</text>"
    );
    for (i, v) in values.iter().enumerate() {
        let h = v / top * 90.0;
        let _ = write!(svg, "<rect x=\"{}\" y=\"{:.1}\" width=\"6\" height=\"{:.1}\" fill=\"{colour}\"><title>{v:.0}</title></rect>", 40 + i * 8, 100.0 - h, h);
    }
    svg.push_str("</svg>");
    svg
}

fn lines(series: &[(&str, &str, Vec<Option<f64>>)]) -> String {
    let n = series.iter().map(|s| s.2.len()).max().unwrap_or(0).max(2);
    let x = |i: usize| 40.0 + i as f64 * 600.0 / (n - 1) as f64;
    let y = |v: f64| 110.0 - v * 100.0;
    let mut svg = String::from(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"130\" role=\"img\">",
    );
    svg.push_str("<text x=\"0\" y=\"14\">100%</text><text x=\"0\" y=\"64\">50%</text><text x=\"0\" y=\"114\">0%</text>");
    svg.push_str("<line x1=\"40\" y1=\"60\" x2=\"640\" y2=\"60\" stroke=\"#eee\"/><line x1=\"40\" y1=\"110\" x2=\"640\" y2=\"110\" stroke=\"#ccc\"/>");
    for (k, (name, colour, values)) in series.iter().enumerate() {
        let points: Vec<String> = values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| format!("{:.1},{:.1}", x(i), y(v))))
            .collect();
        let _ = write!(
            svg,
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{}\"/>",
            points.join(" ")
        );
        for p in &points {
            let (px, py) = p.split_once(',').unwrap_or(("0", "0"));
            let _ = write!(
                svg,
                "<circle cx=\"{px}\" cy=\"{py}\" r=\"2.5\" fill=\"{colour}\"/>"
            );
        }
        let _ = write!(
            svg,
            "<text x=\"650\" y=\"{}\" style=\"fill:{colour}\">{name}</text>",
            20 + k * 16
        );
    }
    svg.push_str("</svg>");
    svg
}

fn mastery(list: &[Mastery]) -> String {
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"{}\" role=\"img\">",
        8 + list.len() * 18
    );
    for (i, m) in list.iter().enumerate() {
        let y = 4 + i * 18;
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{}\">{}</text><rect x=\"220\" y=\"{y}\" width=\"400\" height=\"12\" fill=\"#eee\"/>\
<rect x=\"220\" y=\"{y}\" width=\"{:.1}\" height=\"12\" fill=\"#3b82c4\"/><line x1=\"{:.1}\" y1=\"{}\" x2=\"{:.1}\" y2=\"{}\" stroke=\"#222\"/>\
<text x=\"630\" y=\"{}\">{:.0}% ({:+.0}) of {}</text>",
            y + 10,
            esc(&m.name),
            m.now * 400.0,
            220.0 + m.start * 400.0,
            y,
            220.0 + m.start * 400.0,
            y + 12,
            y + 10,
            m.now * 100.0,
            (m.now - m.start) * 100.0,
            m.cards
        );
    }
    svg.push_str("</svg>");
    svg
}
