//! Input never crashes, for settings: `kioku config KEY VALUE` is fed
//! generated values, at and past every setting's bounds, and each accepted
//! value must read back as what was meant and inside its range, never as a
//! wrapped or clipped number; each refused one must say why. The home, the
//! seed and the clean-exit rule are the ones in `cli_input`.

use crate::cli_input::{assert_clean_exit, awkward_value, runs, seed, Home};
use kioku::settings::{PARAMETER_BOUNDS, SPECS};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use std::time::Instant;

/// What a value for a setting means, when the generator knows.
#[derive(Debug, Clone, PartialEq)]
enum Meant {
    /// It must be refused.
    Refused,
    /// A whole number.
    Count(i128),
    /// A share.
    Share(f32),
    /// Steps, in seconds.
    Steps(Vec<u128>),
    Switch(bool),
    Weights(Vec<f32>),
    /// Anything: only the general rules apply.
    Unknown,
}

fn count_bounds(key: &str) -> Option<(i128, i128)> {
    Some(match key {
        "new_per_day" => (0, 9999),
        "reviews_per_day" => (0, 99999),
        "rollover_hour" => (0, 23),
        "max_interval_days" => (1, 36500),
        "leech_threshold" => (0, 999),
        "backups" => (0, 365),
        _ => return None,
    })
}

const MAX_STEP: u128 = 7 * 86400;

fn big_number(rng: &mut StdRng, low: i128, high: i128) -> i128 {
    match rng.random_range(0..8) {
        0 => low,
        1 => high,
        2 => low - 1,
        3 => high + 1,
        4 => rng.random_range(low..=high),
        5 => i128::from(rng.random::<u32>()) + i128::from(u32::MAX) * rng.random_range(0..3),
        6 => -i128::from(rng.random::<u16>()),
        _ => i128::from(rng.random::<u64>()) * 1000,
    }
}

/// The values at and just past each setting's bounds, tried before the
/// generated ones, with what they mean.
fn edges(key: &str) -> Vec<(String, Meant)> {
    if let Some((low, high)) = count_bounds(key) {
        let u32_max = i128::from(u32::MAX);
        return [
            low,
            high,
            low - 1,
            high + 1,
            u32_max,
            u32_max + 1,
            i128::from(u64::MAX) + 1,
        ]
        .into_iter()
        .map(|n| {
            let meant = if (low..=high).contains(&n) {
                Meant::Count(n)
            } else {
                Meant::Refused
            };
            (n.to_string(), meant)
        })
        .collect();
    }
    let refused = |s: &str| (s.to_string(), Meant::Refused);
    match key {
        "learning_steps" | "relearning_steps" => vec![
            ("7d".into(), Meant::Steps(vec![MAX_STEP])),
            ("604800s".into(), Meant::Steps(vec![MAX_STEP])),
            ("10080".into(), Meant::Steps(vec![MAX_STEP])),
            ("1s".into(), Meant::Steps(vec![1])),
            refused("604801s"),
            refused("0s"),
            // Each of these is 2^32 seconds and a little more: in 32 bits
            // they would wrap round to a short step.
            refused("49711d"),
            refused("1193047h"),
            refused("71582789m"),
            refused("4294967296s"),
            refused("1m 49711d"),
        ],
        "desired_retention" => vec![
            ("0.7".into(), Meant::Share(0.7)),
            ("0.99".into(), Meant::Share(0.99)),
            refused("0.69"),
            refused("0.991"),
            refused("NaN"),
            refused("inf"),
        ],
        _ => Vec::new(),
    }
}

/// A value to try for `key`, and what it means (a few are awkward text of
/// any kind, whose meaning the test does not know).
fn generate_value(key: &str, rng: &mut StdRng) -> (String, Meant) {
    if rng.random_bool(0.15) {
        return (awkward_value(rng), Meant::Unknown);
    }
    if let Some((low, high)) = count_bounds(key) {
        return count_value(rng, low, high);
    }
    match key {
        "desired_retention" => retention_value(rng),
        "learning_steps" | "relearning_steps" => steps_value(rng),
        "fuzz" => switch_value(rng),
        "fsrs_parameters" => parameters_value(rng),
        _ => (awkward_value(rng), Meant::Unknown),
    }
}

/// A count, perhaps far out of `low..=high`, perhaps padded or zero-led.
fn count_value(rng: &mut StdRng, low: i128, high: i128) -> (String, Meant) {
    let n = big_number(rng, low, high);
    let meant = if (low..=high).contains(&n) {
        Meant::Count(n)
    } else {
        Meant::Refused
    };
    let text = match rng.random_range(0..6) {
        0 => format!(" {n} "),
        1 if n >= 0 => format!("00{n}"),
        _ => n.to_string(),
    };
    (text, meant)
}

/// A retention at, just past or around the edges of its range.
fn retention_value(rng: &mut StdRng) -> (String, Meant) {
    let text = match rng.random_range(0..6) {
        0 => "0.7".to_string(),
        1 => "0.99".to_string(),
        2 => "0.995".to_string(),
        3 => "0.69".to_string(),
        _ => format!("{:.3}", rng.random_range(0.5..1.2)),
    };
    let v: f32 = text.parse().unwrap();
    let meant = if (0.7..=0.99).contains(&v) {
        Meant::Share(v)
    } else {
        Meant::Refused
    };
    (text, meant)
}

/// A list of one to three steps, some in units that do not exist, some
/// too long or long enough to wrap round in 32 bits.
fn steps_value(rng: &mut StdRng) -> (String, Meant) {
    if rng.random_bool(0.1) {
        return ("none".into(), Meant::Steps(Vec::new()));
    }
    let mut parts = Vec::new();
    let mut secs = Vec::new();
    let mut refused = false;
    for _ in 0..rng.random_range(1..=3) {
        let (unit, per) = *[
            ("s", 1u128),
            ("m", 60),
            ("h", 3600),
            ("d", 86400),
            ("", 60),
            ("w", 0),
            ("é", 0),
        ]
        .choose(rng)
        .unwrap();
        let n: u128 = match rng.random_range(0..7) {
            0 => 0,
            // The smallest count whose seconds pass 2^32: in 32 bits
            // it would wrap round to a short step (49711d is 63104s).
            6 => (1 << 32) / per.max(1) + 1,
            1 => rng.random_range(1..100),
            2 => MAX_STEP / per.max(1),
            3 => MAX_STEP / per.max(1) + 1,
            4 => u128::from(rng.random::<u32>()),
            _ => u128::from(rng.random::<u64>()),
        };
        parts.push(format!("{n}{unit}"));
        let s = n * per;
        if per == 0 || n > u128::from(u32::MAX) || s == 0 || s > MAX_STEP {
            refused = true;
        }
        secs.push(s);
    }
    let sep = if rng.random_bool(0.5) { " " } else { "," };
    let meant = if refused {
        Meant::Refused
    } else {
        Meant::Steps(secs)
    };
    (parts.join(sep), meant)
}

/// An on/off word, or one that is neither.
fn switch_value(rng: &mut StdRng) -> (String, Meant) {
    let table = [
        ("on", Meant::Switch(true)),
        ("OFF", Meant::Switch(false)),
        ("yes", Meant::Switch(true)),
        ("0", Meant::Switch(false)),
        ("2", Meant::Refused),
        ("", Meant::Refused),
        ("ón", Meant::Refused),
    ];
    let (text, meant) = table.choose(rng).unwrap().clone();
    (text.to_string(), meant)
}

/// A set of FSRS parameters: the defaults, one out of bounds, too few, or
/// random ones within the bounds.
fn parameters_value(rng: &mut StdRng) -> (String, Meant) {
    let mut w: Vec<f32> = kioku::scheduler::DEFAULT_PARAMETERS.to_vec();
    match rng.random_range(0..5) {
        0 => return ("default".into(), Meant::Weights(Vec::new())),
        1 => {
            let i = rng.random_range(0..w.len());
            w[i] = PARAMETER_BOUNDS[i].1 * 2.0 + 1.0;
            let text = w.iter().map(f32::to_string).collect::<Vec<_>>().join(",");
            return (text, Meant::Refused);
        }
        2 => {
            w.truncate(rng.random_range(0..21));
            let text = w.iter().map(f32::to_string).collect::<Vec<_>>().join(",");
            return (text, Meant::Refused);
        }
        3 => {
            // Within the bounds, though FSRS may still refuse them.
            let w: Vec<f32> = PARAMETER_BOUNDS
                .iter()
                .map(|&(low, high)| rng.random_range(low..=high))
                .collect();
            let text = w.iter().map(f32::to_string).collect::<Vec<_>>().join(", ");
            return (text, Meant::Unknown);
        }
        _ => {}
    }
    let text = w.iter().map(f32::to_string).collect::<Vec<_>>().join(",");
    (text, Meant::Weights(w))
}

/// Reads a value as `kioku config KEY` shows it, checking it is inside the
/// setting's range; what it means, to compare with what was set.
fn read_back(key: &str, shown: &str) -> Meant {
    macro_rules! bad {
        () => {
            panic!("{key} reads back as `{shown}`, which is out of range or malformed")
        };
    }
    if let Some((low, high)) = count_bounds(key) {
        let n: i128 = shown.parse().unwrap_or_else(|_| bad!());
        if !(low..=high).contains(&n) {
            bad!();
        }
        return Meant::Count(n);
    }
    match key {
        "desired_retention" => {
            let v: f32 = shown.parse().unwrap_or_else(|_| bad!());
            if !(0.7..=0.99).contains(&v) {
                bad!();
            }
            Meant::Share(v)
        }
        "learning_steps" | "relearning_steps" if shown == "none" => Meant::Steps(Vec::new()),
        "learning_steps" | "relearning_steps" => Meant::Steps(
            shown
                .split(' ')
                .map(|p| {
                    let (n, unit) = p.split_at(p.len() - 1);
                    let per = match unit {
                        "s" => 1,
                        "m" => 60,
                        "h" => 3600,
                        "d" => 86400,
                        _ => bad!(),
                    };
                    let s = n.parse::<u128>().unwrap_or_else(|_| bad!()) * per;
                    if s == 0 || s > MAX_STEP {
                        bad!();
                    }
                    s
                })
                .collect(),
        ),
        "fuzz" => match shown {
            "on" => Meant::Switch(true),
            "off" => Meant::Switch(false),
            _ => bad!(),
        },
        "fsrs_parameters" if shown == "default" => Meant::Weights(Vec::new()),
        "fsrs_parameters" => {
            let w: Vec<f32> = shown
                .split(", ")
                .map(|p| p.parse().unwrap_or_else(|_| bad!()))
                .collect();
            if w.len() != 21
                || !w
                    .iter()
                    .zip(PARAMETER_BOUNDS)
                    .all(|(p, (low, high))| (low..=high).contains(p))
            {
                bad!();
            }
            Meant::Weights(w)
        }
        _ => panic!("a setting the test does not know: {key}"),
    }
}

#[test]
fn generated_config_pairs_store_what_was_meant_or_refuse_it() {
    let home = Home::new();
    let mut rng = StdRng::seed_from_u64(seed() ^ 0x5e77);
    let per_key = runs(88) / SPECS.len();
    let mut tally = Tally::default();
    let start = Instant::now();
    for spec in SPECS {
        let key = spec.key;
        let mut current = home.config(&[key]).1.trim_end().to_string();
        assert_eq!(current, spec.default, "{key} starts at its default");
        let mut edges = edges(key).into_iter();
        for _ in 0..per_key + edges.len() {
            let (value, meant) = edges
                .next()
                .unwrap_or_else(|| generate_value(key, &mut rng));
            // `--` lets a value start with `-`; without it, such a value is
            // a usage error.
            let args: Vec<String> = if rng.random_bool(0.7) {
                vec!["config".into(), key.into(), "--".into(), value.clone()]
            } else {
                vec!["config".into(), key.into(), value.clone()]
            };
            try_pair(&home, key, &args, &meant, &mut current, &mut tally);
        }
    }
    assert_unknown_keys_refused(&home);
    let Tally {
        accepted,
        refused,
        usage,
    } = tally;
    println!(
        "seed {}: {} config pairs over {} settings in {:.1?}: {accepted} accepted, {refused} refused, {usage} usage errors",
        seed(),
        accepted + refused + usage,
        SPECS.len(),
        start.elapsed()
    );
    assert!(accepted > 0 && refused > 0);
}

/// How the generated `config KEY VALUE` runs ended.
#[derive(Debug, Default)]
struct Tally {
    accepted: usize,
    refused: usize,
    usage: usize,
}

/// Runs one `config` command (its value last in `args`) and checks its
/// outcome against what was meant; `current` is the setting as stored.
fn try_pair(
    home: &Home,
    key: &str,
    args: &[String],
    meant: &Meant,
    current: &mut String,
    tally: &mut Tally,
) {
    let value = args.last().unwrap();
    let (code, out, err) = home.run(args);
    assert_clean_exit(args, code, &out, &err);
    let context = format!("kioku {args:?}: {out}{err}");
    match code {
        Some(0) if args.len() == 3 && value == "--" => {
            // `config KEY --` has no value: it shows the setting.
            assert_eq!(out.trim_end(), current, "{context}");
        }
        Some(0) => {
            tally.accepted += 1;
            *current = check_accepted(home, key, meant, &out, &context);
        }
        Some(1) => {
            tally.refused += 1;
            check_refused(home, key, meant, &err, current, &context);
        }
        _ => {
            tally.usage += 1;
            assert!(
                args.len() == 3 && value.starts_with('-'),
                "usage error: {context}"
            );
        }
    }
}

/// An accepted value is stored as shown, means what was meant, and what is
/// shown sets the same again; returns the value now stored.
fn check_accepted(home: &Home, key: &str, meant: &Meant, out: &str, context: &str) -> String {
    assert_ne!(*meant, Meant::Refused, "accepted: {context}");
    let shown = out
        .strip_prefix(&format!("{key} = "))
        .unwrap_or_else(|| panic!("{context}"))
        .trim_end()
        .to_string();
    let stored = home.config(&[key]).1.trim_end().to_string();
    assert_eq!(stored, shown, "read back differs: {context}");
    let got = read_back(key, &stored);
    if *meant != Meant::Unknown {
        assert_eq!(got, *meant, "stored something else: {context}");
    }
    // What is shown is a value that sets the same thing.
    let again = home.config(&[key, "--", &stored]);
    assert_eq!(again.1, format!("{key} = {stored}\n"), "{context}");
    stored
}

/// A refused value was not one that must be kept, says why under the
/// setting's name, and leaves the setting as it was.
fn check_refused(home: &Home, key: &str, meant: &Meant, err: &str, current: &str, context: &str) {
    assert!(
        !matches!(
            meant,
            Meant::Count(_)
                | Meant::Share(_)
                | Meant::Steps(_)
                | Meant::Switch(_)
                | Meant::Weights(_)
        ),
        "refused: {context}"
    );
    assert!(
        err.starts_with(&format!("kioku: error: {key}: ")),
        "{context}"
    );
    let stored = home.config(&[key]).1.trim_end().to_string();
    assert_eq!(stored, current, "a refused value changed it: {context}");
}

/// An unknown key is refused by name.
fn assert_unknown_keys_refused(home: &Home) {
    for key in ["colour", "", "new_per_day ", "NEW_PER_DAY", "日本"] {
        let (code, _, err) = home.config(&[key, "1"]);
        assert_eq!(code, Some(1), "{key:?}: {err}");
        assert!(err.contains("unknown setting"), "{err}");
    }
}
