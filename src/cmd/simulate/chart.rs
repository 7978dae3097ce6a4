//! `kioku simulate --chart`: minutes a day and cards remembered against
//! desired retention, one column of eighth blocks per retention, within 80
//! columns; the current and the optimal retention marked under the axis.

use super::outlook::Outlook;
use super::table::percent;
use crate::human::thousands;

/// The widest a line of the chart may be.
pub const MAX_WIDTH: usize = 80;
/// Rows of bars in each chart; each row holds eight steps.
const ROWS: usize = 6;
/// The value labels and the axis before the first bar.
const GUTTER: usize = 9;
/// Eighths of a character cell, empty to full.
const BLOCKS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const NOW: char = '▲';
const OPTIMAL: char = '◆';

/// Both charts and the legend of their marks, each line ending in `\n`.
pub fn draw(lines: &[Outlook], days: u32) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let width = slot_width(lines.len());
    let minutes: Vec<f64> = lines.iter().map(|l| l.minutes_per_day).collect();
    let remembered: Vec<f64> = lines.iter().map(|l| l.remembered_at_end).collect();
    let mut out = String::new();
    out += &one_chart("minutes of study a day", &minutes, width, |v| {
        format!("{v:.1}")
    });
    out += &x_axis(lines, width);
    out.push('\n');
    out += &one_chart(
        &format!("cards remembered on day {days}"),
        &remembered,
        width,
        |v| thousands(v.round() as usize),
    );
    out += &x_axis(lines, width);
    out += &legend(lines);
    out
}

/// Columns each retention gets: as many as fit, from one to four.
fn slot_width(n: usize) -> usize {
    ((MAX_WIDTH - GUTTER - 1) / n.max(1)).clamp(1, 4)
}

/// A title and the bars of `values`, the lowest and highest labelled.
fn one_chart(title: &str, values: &[f64], width: usize, label: impl Fn(f64) -> String) -> String {
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let eighths: Vec<usize> = values.iter().map(|&v| height(v, lo, hi)).collect();
    let mut out = format!("{title}\n");
    for row in 0..ROWS {
        let gutter = match row {
            0 => format!("{:>w$} ┤", label(hi), w = GUTTER - 2),
            r if r == ROWS - 1 => format!("{:>w$} ┤", label(lo), w = GUTTER - 2),
            _ => format!("{:>w$} │", "", w = GUTTER - 2),
        };
        let mut line = gutter;
        let floor = (ROWS - 1 - row) * 8;
        for &e in &eighths {
            let block = BLOCKS[e.saturating_sub(floor).min(8)];
            line.extend(std::iter::repeat_n(block, width));
        }
        out += line.trim_end();
        out.push('\n');
    }
    out
}

/// How many eighths tall the bar of `v` is: one at the lowest value, all
/// of them at the highest, half when every value is the same.
fn height(v: f64, lo: f64, hi: f64) -> usize {
    let top = ROWS * 8;
    if hi - lo < 1e-9 {
        return top / 2;
    }
    1 + ((v - lo) / (hi - lo) * (top - 1) as f64).round() as usize
}

/// The axis line, the marks under the current and optimal retentions, and
/// as many retention labels as fit without touching.
fn x_axis(lines: &[Outlook], width: usize) -> String {
    let bars = lines.len() * width;
    let mut out = format!("{:>w$} └{}\n", "", "─".repeat(bars), w = GUTTER - 2);
    let mut marks = vec![' '; GUTTER + bars];
    for (i, l) in lines.iter().enumerate() {
        let at = GUTTER + i * width;
        if l.optimal {
            marks[at] = OPTIMAL;
        } else if l.current {
            marks[at] = NOW;
        }
    }
    let marks: String = marks.into_iter().collect();
    out += marks.trim_end();
    out.push('\n');
    out += labels(lines, width).trim_end();
    out.push('\n');
    out
}

/// Retention labels under their bars: the first and last, then round
/// fives, then any other that fits, never closer than a space apart.
fn labels(lines: &[Outlook], width: usize) -> String {
    let mut row = vec![' '; MAX_WIDTH];
    let mut taken = [false; MAX_WIDTH];
    let round_five = |r: f64| {
        let p = r * 100.0;
        (p - p.round()).abs() < 0.05 && p.round() as i64 % 5 == 0
    };
    let last = lines.len() - 1;
    let mut order: Vec<usize> = vec![0, last];
    order.extend((1..last).filter(|&i| round_five(lines[i].desired_retention)));
    order.extend((1..last).filter(|&i| !round_five(lines[i].desired_retention)));
    for i in order {
        let text: Vec<char> = percent(lines[i].desired_retention).chars().collect();
        let at = GUTTER + i * width;
        let end = at + text.len();
        let free =
            end <= MAX_WIDTH && (at.saturating_sub(1)..(end + 1).min(MAX_WIDTH)).all(|c| !taken[c]);
        if free {
            for (k, &c) in text.iter().enumerate() {
                row[at + k] = c;
                taken[at + k] = true;
            }
        }
    }
    row.into_iter().collect()
}

/// What the marks under the axis stand for.
fn legend(lines: &[Outlook]) -> String {
    let mut parts = Vec::new();
    if let Some(l) = lines.iter().find(|l| l.current) {
        let shown = if l.optimal { OPTIMAL } else { NOW };
        parts.push(format!("{shown} now: {}", percent(l.desired_retention)));
    }
    if let Some(l) = lines.iter().find(|l| l.optimal) {
        parts.push(format!(
            "{OPTIMAL} optimal: {}",
            percent(l.desired_retention)
        ));
    }
    if parts.is_empty() {
        return String::new();
    }
    format!("{}\n", parts.join("   "))
}
