//! The settings a learner can change with `kioku config`, their defaults and
//! their validation. Pure: the store keeps them as text, this module reads and
//! checks that text.

use crate::scheduler::{Config, EasyDays};
use chrono::{Datelike, NaiveDate};
use std::fmt::Write;

/// One setting: its key, default and what it does.
pub struct Spec {
    pub key: &'static str,
    pub default: &'static str,
    pub help: &'static str,
}

pub const SPECS: &[Spec] = &[
    Spec {
        key: "desired_retention",
        default: "0.9",
        help: "share of reviews you aim to remember (0.70–0.99)",
    },
    Spec {
        key: "new_per_day",
        default: "20",
        help: "new cards introduced per day, across all decks",
    },
    Spec {
        key: "reviews_per_day",
        default: "200",
        help: "reviews per day, across all decks",
    },
    Spec {
        key: "learning_steps",
        default: "1m 10m",
        help: "steps for new cards before they graduate",
    },
    Spec {
        key: "relearning_steps",
        default: "10m",
        help: "steps for forgotten cards",
    },
    Spec {
        key: "rollover_hour",
        default: "4",
        help: "local hour (0–23) at which a new study day begins",
    },
    Spec {
        key: "max_interval_days",
        default: "36500",
        help: "longest interval between reviews, in days",
    },
    Spec {
        key: "fuzz",
        default: "on",
        help: "spread review intervals a little (on/off)",
    },
    Spec {
        key: "load_balance",
        default: "on",
        help: "send each review to the least busy day its fuzz allows (on/off)",
    },
    Spec {
        key: "easy_days",
        default: "none",
        help: "lighter weekdays, as shares of a normal day's load: `sat=0.5 sun=0`",
    },
    Spec {
        key: "leech_threshold",
        default: "8",
        help: "lapses that mark a card as a leech (0 = never)",
    },
    Spec {
        key: "backups",
        default: "7",
        help: "daily database backups to keep (0 = none)",
    },
    Spec {
        key: "fsrs_parameters",
        default: "default",
        help: "the 21 FSRS-6 weights, or `default`",
    },
    Spec {
        key: "optimize_from",
        default: "none",
        help: "fit cards first reviewed from this day on (or none)",
    },
];

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub desired_retention: f32,
    pub new_per_day: u32,
    pub reviews_per_day: u32,
    pub learning_steps: Vec<u32>,
    pub relearning_steps: Vec<u32>,
    pub rollover_hour: u32,
    pub max_interval_days: u32,
    pub fuzz: bool,
    pub load_balance: bool,
    pub easy_days: EasyDays,
    pub leech_threshold: u32,
    /// Daily backups kept; 0 turns them off.
    pub backups: u32,
    /// Empty means the FSRS-6 defaults.
    pub fsrs_parameters: Vec<f32>,
    /// `optimize` and `evaluate` leave out cards first reviewed before this
    /// day; `None` reads every card.
    pub optimize_from: Option<NaiveDate>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SettingError {
    #[error("unknown setting `{0}`; `kioku config` lists them")]
    Unknown(String),
    #[error("{key}: {problem}")]
    Invalid { key: String, problem: String },
}

impl Default for Settings {
    fn default() -> Self {
        Settings::from_pairs(std::iter::empty::<(&str, &str)>()).expect("the defaults are valid")
    }
}

impl Settings {
    /// Builds settings from stored `(key, value)` pairs over the defaults.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, SettingError> {
        // The scheduler's own defaults are its to say; the rest are the
        // settings' (the text in `SPECS` is pinned to both by a test).
        let scheduling = Config::default();
        let mut s = Settings {
            desired_retention: scheduling.desired_retention,
            new_per_day: 20,
            reviews_per_day: 200,
            learning_steps: scheduling.learning_steps,
            relearning_steps: scheduling.relearning_steps,
            rollover_hour: 4,
            max_interval_days: scheduling.max_interval_days,
            fuzz: scheduling.fuzz,
            load_balance: scheduling.load_balance,
            easy_days: scheduling.easy_days,
            leech_threshold: scheduling.leech_threshold,
            backups: 7,
            fsrs_parameters: Vec::new(),
            optimize_from: None,
        };
        for (key, value) in pairs {
            s.set(key, value)?;
        }
        Ok(s)
    }

    /// Checks and applies one setting.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), SettingError> {
        let invalid = |problem: String| SettingError::Invalid {
            key: key.to_string(),
            problem,
        };
        let value = value.trim();
        let quoted = crate::text::quote(value);
        match key {
            "desired_retention" => {
                let v: f32 = value
                    .parse()
                    .map_err(|_| invalid(format!("`{quoted}` is not a number")))?;
                if !(0.7..=0.99).contains(&v) {
                    return Err(invalid(format!("{v} is outside 0.70–0.99")));
                }
                self.desired_retention = v;
            }
            "new_per_day" => self.new_per_day = count(value, 0, 9999).map_err(invalid)?,
            "reviews_per_day" => self.reviews_per_day = count(value, 0, 99999).map_err(invalid)?,
            "learning_steps" => self.learning_steps = steps(value).map_err(invalid)?,
            "relearning_steps" => self.relearning_steps = steps(value).map_err(invalid)?,
            "rollover_hour" => self.rollover_hour = count(value, 0, 23).map_err(invalid)?,
            "max_interval_days" => {
                self.max_interval_days = count(value, 1, 36500).map_err(invalid)?
            }
            "leech_threshold" => self.leech_threshold = count(value, 0, 999).map_err(invalid)?,
            "backups" => self.backups = count(value, 0, 365).map_err(invalid)?,
            "fuzz" => self.fuzz = switch(value).map_err(invalid)?,
            "load_balance" => self.load_balance = switch(value).map_err(invalid)?,
            "easy_days" => self.easy_days = EasyDays::parse(value).map_err(invalid)?,
            "fsrs_parameters" => {
                if value == "default" {
                    self.fsrs_parameters.clear();
                } else {
                    let parsed = parameters(value).map_err(invalid)?;
                    fsrs::FSRS::new(&parsed)
                        .map_err(|e| invalid(format!("rejected by FSRS: {e}")))?;
                    self.fsrs_parameters = parsed;
                }
            }
            "optimize_from" => self.optimize_from = day(value).map_err(invalid)?,
            other => return Err(SettingError::Unknown(crate::text::quote(other))),
        }
        Ok(())
    }

    /// The value of `key` as `kioku config` shows and stores it.
    pub fn get(&self, key: &str) -> Option<String> {
        Some(match key {
            "desired_retention" => format!("{}", self.desired_retention),
            "new_per_day" => self.new_per_day.to_string(),
            "reviews_per_day" => self.reviews_per_day.to_string(),
            "learning_steps" => format_steps(&self.learning_steps),
            "relearning_steps" => format_steps(&self.relearning_steps),
            "rollover_hour" => self.rollover_hour.to_string(),
            "max_interval_days" => self.max_interval_days.to_string(),
            "fuzz" => if self.fuzz { "on" } else { "off" }.to_string(),
            "load_balance" => if self.load_balance { "on" } else { "off" }.to_string(),
            "easy_days" => self.easy_days.to_string(),
            "leech_threshold" => self.leech_threshold.to_string(),
            "backups" => self.backups.to_string(),
            "fsrs_parameters" if self.fsrs_parameters.is_empty() => "default".to_string(),
            "fsrs_parameters" => {
                let mut s = String::new();
                for (i, p) in self.fsrs_parameters.iter().enumerate() {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    let _ = write!(s, "{p}"); // the shortest text that reads back the same
                }
                s
            }
            "optimize_from" => match self.optimize_from {
                Some(date) => date.format("%Y-%m-%d").to_string(),
                None => "none".to_string(),
            },
            _ => return None,
        })
    }

    pub fn scheduler_config(&self) -> Config {
        Config {
            desired_retention: self.desired_retention,
            learning_steps: self.learning_steps.clone(),
            relearning_steps: self.relearning_steps.clone(),
            max_interval_days: self.max_interval_days,
            fuzz: self.fuzz,
            leech_threshold: self.leech_threshold,
            load_balance: self.load_balance,
            easy_days: self.easy_days,
        }
    }
}

/// The range each FSRS-6 weight is kept in: the bounds the `fsrs` crate
/// (6.6) clips its own fitted weights to, with the two that depend on the
/// number of relearning steps (w17, w18) and the short-term floor of w19 at
/// their widest. Weights outside them are not a model the crate was built
/// for: far outside, its simulator divides its way to NaN and panics.
pub const PARAMETER_BOUNDS: [(f32, f32); 21] = [
    (0.001, 100.0),
    (0.001, 100.0),
    (0.001, 100.0),
    (0.001, 100.0),
    (1.0, 10.0),
    (0.001, 4.0),
    (0.001, 4.0),
    (0.001, 0.75),
    (0.0, 4.5),
    (0.0, 0.8),
    (0.001, 3.5),
    (0.001, 5.0),
    (0.001, 0.25),
    (0.001, 0.9),
    (0.0, 4.0),
    (0.0, 1.0),
    (1.0, 6.0),
    (0.0, 2.0),
    (0.0, 2.0),
    (0.0, 0.8),
    (0.1, 0.8),
];

/// Reads the 21 weights, naming the first that is not a number or is out
/// of its range (counted from 1, with its FSRS name w0–w20).
fn parameters(value: &str) -> Result<Vec<f32>, String> {
    let parts: Vec<&str> = value.split([',', ' ']).filter(|p| !p.is_empty()).collect();
    if parts.len() != PARAMETER_BOUNDS.len() {
        return Err(format!(
            "FSRS-6 takes 21 numbers separated by commas (or `default`), not {}",
            parts.len()
        ));
    }
    let mut out = Vec::with_capacity(parts.len());
    for (i, (part, (low, high))) in parts.iter().zip(PARAMETER_BOUNDS).enumerate() {
        let name = format!("parameter {} (w{i})", i + 1);
        let p: f32 = match part.parse::<f32>() {
            Ok(p) if p.is_nan() => return Err(format!("{name} is not a number")),
            Ok(p) => p,
            Err(_) => {
                return Err(format!(
                    "{name} `{}` is not a number",
                    crate::text::quote(part)
                ));
            }
        };
        if !(low..=high).contains(&p) {
            return Err(format!("{name} is {p}, outside its range {low}–{high}"));
        }
        out.push(p);
    }
    Ok(out)
}

/// An on/off setting.
fn switch(value: &str) -> Result<bool, String> {
    match value.to_ascii_lowercase().as_str() {
        "on" | "true" | "yes" | "1" => Ok(true),
        "off" | "false" | "no" | "0" => Ok(false),
        _ => Err(format!("`{}` is not on or off", crate::text::quote(value))),
    }
}

/// Reads a day written YYYY-MM-DD; empty or `none` is no day.
fn day(value: &str) -> Result<Option<NaiveDate>, String> {
    if value.is_empty() || value.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    let shaped = value.len() == 10
        && value.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    let quoted = crate::text::quote(value);
    if !shaped {
        return Err(format!(
            "`{quoted}` is not a day written YYYY-MM-DD, like 2025-03-01 (or none)"
        ));
    }
    match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        Ok(date) if date.year() >= 1970 => Ok(Some(date)),
        Ok(_) => Err(format!("`{quoted}` is before 1970, before any review")),
        Err(_) => Err(format!("`{quoted}` is not a day of the calendar")),
    }
}

fn count(value: &str, min: u32, max: u32) -> Result<u32, String> {
    match value.parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        Ok(n) => Err(format!("{n} is outside {min}–{max}")),
        Err(_) => Err(format!(
            "`{}` is not a whole number",
            crate::text::quote(value)
        )),
    }
}

/// Reads steps such as `1m 10m`, `30s`, `1h`, `1d`; an empty list or `none`
/// means no steps.
pub fn steps(value: &str) -> Result<Vec<u32>, String> {
    if value.is_empty() || value == "none" {
        return Ok(Vec::new());
    }
    value
        .split([' ', ','])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (num, unit) = p.split_at(p.find(|c: char| !c.is_ascii_digit()).unwrap_or(p.len()));
            let bad = || {
                format!(
                    "`{}` is not a step like 1m, 10m, 1h or 1d",
                    crate::text::quote(p)
                )
            };
            let n: u32 = num.parse().map_err(|_| bad())?;
            let unit = match unit {
                "s" => 1,
                "m" | "" => 60,
                "h" => 3600,
                "d" => 86400,
                _ => return Err(bad()),
            };
            // Checked: a huge count of days must not wrap into a short step.
            let secs = n.saturating_mul(unit);
            if secs == 0 || secs > 7 * 86400 {
                return Err(format!(
                    "`{}`: a step must be between 1s and 7d",
                    crate::text::quote(p)
                ));
            }
            Ok(secs)
        })
        .collect()
}

fn format_steps(steps: &[u32]) -> String {
    if steps.is_empty() {
        return "none".into();
    }
    steps
        .iter()
        .map(|&s| match s {
            s if s % 86400 == 0 => format!("{}d", s / 86400),
            s if s % 3600 == 0 => format!("{}h", s / 3600),
            s if s % 60 == 0 => format!("{}m", s / 60),
            s => format!("{s}s"),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::DEFAULT_PARAMETERS;

    #[test]
    fn defaults_round_trip_through_text() {
        let s = Settings::default();
        for spec in SPECS {
            assert_eq!(
                s.get(spec.key).as_deref(),
                Some(spec.default),
                "{}",
                spec.key
            );
        }
        let built = s.scheduler_config();
        let default = Config::default();
        assert_eq!(built, default);
    }

    #[test]
    fn validation_table() {
        let table: &[(&str, &str, bool)] = &[
            ("desired_retention", "0.85", true),
            ("desired_retention", "1.5", false),
            ("desired_retention", "lots", false),
            ("new_per_day", "0", true),
            ("new_per_day", "-3", false),
            ("learning_steps", "30s 5m 1h", true),
            ("learning_steps", "none", true),
            ("learning_steps", "5x", false),
            ("relearning_steps", "0m", false),
            ("rollover_hour", "24", false),
            ("rollover_hour", "0", true),
            ("max_interval_days", "0", false),
            ("fuzz", "off", true),
            ("fuzz", "maybe", false),
            ("leech_threshold", "0", true),
            ("fsrs_parameters", "1, 2, 3", false),
            ("fsrs_parameters", "default", true),
            ("optimize_from", "2025-03-01", true),
            ("optimize_from", "none", true),
            ("optimize_from", "", true),
            ("optimize_from", "2025-02-30", false),
            ("optimize_from", "2025-3-1", false),
            ("optimize_from", "1969-12-31", false),
            ("optimize_from", "yesterday", false),
            ("colour", "blue", false),
        ];
        for (key, value, ok) in table {
            let mut s = Settings::default();
            assert_eq!(s.set(key, value).is_ok(), *ok, "{key} = {value}");
        }
    }

    #[test]
    fn steps_are_read_and_written() {
        assert_eq!(steps("1m 10m").unwrap(), vec![60, 600]);
        assert_eq!(steps("30s,1h,1d").unwrap(), vec![30, 3600, 86400]);
        assert_eq!(format_steps(&[30, 3600, 86400]), "30s 1h 1d");
    }

    #[test]
    fn fitted_parameters_are_kept() {
        let mut s = Settings::default();
        let text = DEFAULT_PARAMETERS
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join(",");
        s.set("fsrs_parameters", &text).unwrap();
        assert_eq!(s.fsrs_parameters.len(), 21);
        let shown = s.get("fsrs_parameters").unwrap();
        let mut again = Settings::default();
        again.set("fsrs_parameters", &shown).unwrap();
        assert_eq!(again.fsrs_parameters.len(), 21);
    }

    fn weights(change: impl FnOnce(&mut Vec<String>)) -> String {
        let mut w: Vec<String> = DEFAULT_PARAMETERS.iter().map(|p| p.to_string()).collect();
        change(&mut w);
        w.join(",")
    }

    #[test]
    fn c3_the_default_weights_are_within_their_bounds() {
        for (i, (p, (low, high))) in DEFAULT_PARAMETERS.iter().zip(PARAMETER_BOUNDS).enumerate() {
            assert!((low..=high).contains(p), "w{i} = {p}");
        }
    }

    #[test]
    fn c3_weights_outside_the_fsrs_bounds_are_refused_by_name() {
        let mut s = Settings::default();
        let err = s
            .set("fsrs_parameters", &weights(|w| w[2] = "NaN".into()))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "fsrs_parameters: parameter 3 (w2) is not a number"
        );
        let err = s
            .set("fsrs_parameters", &weights(|w| w[0] = "1e38".into()))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "fsrs_parameters: parameter 1 (w0) is 100000000000000000000000000000000000000, outside its range 0.001–100"
        );
        let err = s
            .set("fsrs_parameters", &weights(|w| w[16] = "-inf".into()))
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("parameter 17 (w16) is -inf, outside its range 1–6"),
            "{err}"
        );
        let err = s
            .set("fsrs_parameters", &weights(|w| w[5] = "x\u{1b}[2J".into()))
            .unwrap_err();
        assert!(err.to_string().contains("parameter 6 (w5) `x"), "{err}");
        let err = s.set("fsrs_parameters", "1, 2, 3").unwrap_err();
        assert!(err.to_string().contains("not 3"), "{err}");
        assert!(s.fsrs_parameters.is_empty(), "nothing was changed");
        // Every weight at either end of its range is accepted.
        let low: Vec<String> = PARAMETER_BOUNDS.iter().map(|b| b.0.to_string()).collect();
        let high: Vec<String> = PARAMETER_BOUNDS.iter().map(|b| b.1.to_string()).collect();
        s.set("fsrs_parameters", &low.join(",")).unwrap();
        s.set("fsrs_parameters", &high.join(",")).unwrap();
    }

    #[test]
    fn c3_stored_settings_are_checked_like_typed_ones() {
        let bad = weights(|w| w[10] = "1e38".into());
        let err = Settings::from_pairs([("fsrs_parameters", bad.as_str())]).unwrap_err();
        assert!(err.to_string().contains("parameter 11 (w10)"), "{err}");
        // A count of days large enough to wrap around is not a short step.
        for huge in ["49711d", "4294967295d", "99999999999m"] {
            assert!(steps(huge).is_err(), "{huge}");
        }
        let err = Settings::from_pairs([("fuzz", "\u{1b}]0;title\u{7}")]).unwrap_err();
        assert!(!err.to_string().contains('\u{1b}'), "{err}");
    }

    #[test]
    fn optimize_from_is_a_day_or_none() {
        let mut s = Settings::default();
        s.set("optimize_from", " 2025-03-01 ").unwrap();
        assert_eq!(s.optimize_from, NaiveDate::from_ymd_opt(2025, 3, 1));
        assert_eq!(s.get("optimize_from").unwrap(), "2025-03-01");
        let err = s.set("optimize_from", "2025-02-30").unwrap_err();
        assert_eq!(
            err.to_string(),
            "optimize_from: `2025-02-30` is not a day of the calendar"
        );
        let err = s.set("optimize_from", "1 March").unwrap_err();
        assert_eq!(
            err.to_string(),
            "optimize_from: `1 March` is not a day written YYYY-MM-DD, like 2025-03-01 (or none)"
        );
        assert_eq!(s.get("optimize_from").unwrap(), "2025-03-01", "unchanged");
        s.set("optimize_from", "NONE").unwrap();
        assert_eq!(s.optimize_from, None);
        assert_eq!(s.get("optimize_from").unwrap(), "none");
    }
}
