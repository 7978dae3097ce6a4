//! Input never crashes: the command line and `kioku config` are fed
//! generated arguments, and every run must end with exit 0, 1 or 2 and a
//! message, never a panic (101) or a signal. A setting that is accepted must
//! read back as what was meant and inside its range, never as a wrapped or
//! clipped number.
//!
//! The generator is seeded (`KIOKU_INPUT_SEED` picks another seed, and
//! `KIOKU_INPUT_RUNS` a longer run), so a failure names the seed and the
//! arguments that caused it and can be replayed.

use kioku::settings::{PARAMETER_BOUNDS, SPECS};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_kioku");

/// A temporary home: a database, a copy of the test deck (so that
/// `deck fmt` never rewrites the repository's fixtures) and a few files for
/// the arguments that name one.
struct Home {
    dir: tempfile::TempDir,
    decks: PathBuf,
}

impl Home {
    fn new() -> Home {
        let dir = tempfile::tempdir().unwrap();
        let decks = dir.path().join("decks");
        std::fs::create_dir(&decks).unwrap();
        let mini = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini/mini.toml");
        std::fs::copy(&mini, decks.join("mini.toml")).unwrap();
        std::fs::copy(&mini, dir.path().join("deck.toml")).unwrap();
        std::fs::write(
            dir.path().join("source.txt"),
            "The Treaty\n\nThe Treaty of Shimoda was signed in 1855 by Putyatin and Kawaji.\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("log.csv"),
            "card_id,review_rating,review_time,review_duration\n\
             1,3,2025-01-01T10:00:00Z,1000\n\
             1,3,2025-01-02T06:00:00Z,1000\n\
             1,1,2025-01-09T06:00:00Z,1000\n",
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("folder")).unwrap();
        Home { dir, decks }
    }

    /// Runs kioku with `args` in the home folder; (exit code, stdout, stderr).
    /// The code is `None` when a signal ended it.
    fn run(&self, args: &[String]) -> (Option<i32>, String, String) {
        let out = self.dir.path().join(".out");
        let err = self.dir.path().join(".err");
        let mut child = Command::new(BIN)
            .args(args)
            .current_dir(self.dir.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("KIOKU_DB", self.dir.path().join("kioku.db"))
            .env("KIOKU_DECKS", &self.decks)
            .env("KIOKU_NOW", "2026-03-02T09:00:00+00:00")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&out).unwrap())
            .stderr(std::fs::File::create(&err).unwrap())
            .spawn()
            .unwrap();
        let start = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > Duration::from_secs(30) {
                let _ = child.kill();
                panic!("kioku {args:?} still running after 30 s");
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        let read = |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
        (status.code(), read(&out), read(&err))
    }

    fn config(&self, args: &[&str]) -> (Option<i32>, String, String) {
        let mut all = vec!["config".to_string()];
        all.extend(args.iter().map(|s| s.to_string()));
        self.run(&all)
    }
}

/// What every run must end with, whatever it was given.
fn assert_clean_exit(args: &[String], code: Option<i32>, out: &str, err: &str) {
    let shown = format!("kioku {args:?}\n--- stdout\n{out}\n--- stderr\n{err}");
    let Some(code) = code else {
        panic!("ended by a signal: {shown}");
    };
    assert!(
        matches!(code, 0..=2),
        "exit {code} (101 is a panic): {shown}"
    );
    assert!(!err.contains("panicked"), "a panic: {shown}");
    if code != 0 {
        // `deck fmt --check` and `deck check` report on standard output.
        assert!(
            !err.trim().is_empty() || !out.trim().is_empty(),
            "exit {code} without a message: {shown}"
        );
    }
}

fn seed() -> u64 {
    std::env::var("KIOKU_INPUT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(15)
}

fn runs(default: usize) -> usize {
    std::env::var("KIOKU_INPUT_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

// ---------------------------------------------------------------------------
// Regression tests: the three inputs that crashed or overflowed.

#[test]
fn deck_new_a_dash_dash_b_x_dash_and_dash_write_a_deck_instead_of_panicking() {
    let home = Home::new();
    for (id, title) in [
        ("a--b", "A B"),
        ("x-", "X"),
        ("-", "-"),
        ("meiji-era", "Meiji Era"),
    ] {
        let file = format!("new-{}.toml", id.len());
        let args: Vec<String> = ["deck", "new", id, "--out", &file]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (code, out, err) = home.run(&args);
        assert_eq!(code, Some(0), "deck new {id}: {out}{err}");
        let text = std::fs::read_to_string(home.dir.path().join(&file)).unwrap();
        assert!(text.contains(&format!("id = \"{id}\"")), "{text}");
        assert!(text.contains(&format!("title = \"{title}\"")), "{text}");
        // What `deck new` writes, `deck check` accepts.
        let (code, out, err) = home.run(&["deck".into(), "check".into(), file.clone()]);
        assert_eq!(code, Some(0), "deck check of new {id}: {out}{err}");
    }
    // Ids outside the deck format are still refused, with the reason.
    for id in ["A", "é", "a b", ""] {
        let (code, _, err) = home.run(&["deck".into(), "new".into(), id.into()]);
        assert_eq!(code, Some(1), "deck new {id:?}: {err}");
        assert!(err.contains("is not a valid deck id"), "{err}");
    }
}

#[test]
fn timezone_plus_1e2_is_a_usage_error_not_a_panic() {
    let home = Home::new();
    for command in ["evaluate", "optimize"] {
        for tz in ["+1é2", "é", "+日本", "+12345", "Mars/Olympus", "+\u{1b}[2J"] {
            let args: Vec<String> = [command, "--revlog", "log.csv", "--timezone", tz]
                .iter()
                .map(|s| s.to_string())
                .collect();
            let (code, out, err) = home.run(&args);
            assert_eq!(code, Some(2), "{command} --timezone {tz:?}: {out}{err}");
            assert!(err.contains("is not a UTC offset like +09:00"), "{err}");
            assert!(!err.contains('\u{1b}'), "raw escape echoed: {err:?}");
        }
    }
    // The spellings that worked still do.
    for tz in ["UTC", "+09:00", "-0530", "+9", "-05:00"] {
        let args: Vec<String> = [
            "evaluate",
            "--revlog",
            "log.csv",
            "--timezone",
            tz,
            "--json",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let (code, out, err) = home.run(&args);
        assert_eq!(code, Some(0), "--timezone {tz}: {out}{err}");
    }
}

#[test]
fn config_learning_steps_49711d_is_refused_not_wrapped_to_17_hours() {
    let home = Home::new();
    for (key, value) in [
        ("learning_steps", "49711d"),
        ("learning_steps", "1m 4294967295d"),
        ("relearning_steps", "71582789m"),
        ("relearning_steps", "99999999999999999999s"),
    ] {
        let (code, out, err) = home.config(&[key, value]);
        assert_eq!(code, Some(1), "{key} {value}: {out}{err}");
        assert!(
            err.contains("a step must be between 1s and 7d") || err.contains("is not a step"),
            "{err}"
        );
    }
    assert_eq!(home.config(&["learning_steps"]).1, "1m 10m\n");
    assert_eq!(home.config(&["relearning_steps"]).1, "10m\n");
    // The longest step allowed is kept exactly.
    assert_eq!(
        home.config(&["learning_steps", "7d"]).1,
        "learning_steps = 7d\n"
    );
    assert_eq!(home.config(&["learning_steps", "604801s"]).0, Some(1));
}

// ---------------------------------------------------------------------------
// Generated argument vectors.

/// Values that have broken command lines elsewhere: bounds and one past
/// them, numbers too big for any integer, signs, non-ASCII, escapes.
fn awkward_value(rng: &mut StdRng) -> String {
    const POOL: &[&str] = &[
        "",
        " ",
        "0",
        "1",
        "-1",
        "2",
        "20",
        "24",
        "3650",
        "3651",
        "65535",
        "65536",
        "4294967295",
        "4294967296",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775809",
        "99999999999999999999999999",
        "1.5",
        "1e9",
        "1e309",
        "NaN",
        "inf",
        "-0",
        "+5",
        "0x10",
        "é",
        "日本語",
        "🦀",
        "\u{202e}evil",
        "\u{1b}[2J",
        "\u{7}",
        "--",
        "-",
        "-x",
        "--no-such-flag",
        "a--b",
        "x-",
        "mini",
        "mini/nope",
        "mini/",
        "/",
        "tsarist-era",
        "UTC",
        "+1é2",
        "+09:00",
        "csv",
        "md",
        "year",
        "typed",
        "essay",
        "deck.toml",
        "source.txt",
        "log.csv",
        "folder",
        "missing.toml",
        "out.toml",
        "é.toml",
        "kioku.db",
        "new.db",
    ];
    match rng.random_range(0..20) {
        0 => "x".repeat(rng.random_range(200..5000)),
        1 => rng.random::<u64>().to_string(),
        2 => format!("-{}", rng.random::<u32>()),
        3 => {
            let chars: Vec<char> = (0..rng.random_range(1..8))
                .map(|_| char::from_u32(rng.random_range(1..0x3000)).unwrap_or('?'))
                .collect();
            chars.into_iter().collect()
        }
        _ => POOL.choose(rng).unwrap().to_string(),
    }
}

/// A value for a flag of a known kind, mostly at or around its bounds.
fn value_for(kind: &str, rng: &mut StdRng) -> String {
    if rng.random_bool(0.25) {
        return awkward_value(rng);
    }
    let pick = |rng: &mut StdRng, pool: &[&str]| pool.choose(rng).unwrap().to_string();
    match kind {
        "n" => pick(
            rng,
            &["0", "1", "5", "20", "4294967295", "4294967296", "-1", ""],
        ),
        "days" => pick(rng, &["0", "1", "7", "365", "3651", "-5", "99999999999"]),
        "seed" => pick(
            rng,
            &[
                "0",
                "1",
                "18446744073709551615",
                "18446744073709551616",
                "-1",
            ],
        ),
        "type" => pick(
            rng,
            &[
                "basic",
                "typed",
                "choice",
                "truefalse",
                "year",
                "cloze",
                "order",
                "Year",
                "essay",
                "",
            ],
        ),
        "format" => pick(rng, &["csv", "md", "CSV", "pdf", ""]),
        "tz" => pick(
            rng,
            &[
                "UTC", "Z", "+09:00", "-0530", "+9", "+14:00", "+15:00", "+1é2", "+", "gmt",
            ],
        ),
        "deck" => pick(rng, &["mini", "nope", "MINI", "a--b", ""]),
        "card" => pick(rng, &["mini/", "mini", "/x", "mini/x.1", "a/b/c", "nope/x"]),
        "file" => pick(
            rng,
            &[
                "deck.toml",
                "source.txt",
                "log.csv",
                "folder",
                "missing",
                "out.toml",
                "out.md",
                "kioku.db",
                "-",
                "",
            ],
        ),
        _ => awkward_value(rng),
    }
}

/// One command, as (words, flags with the kind of value they take; "" for
/// a switch, positionals' kind).
struct Shape {
    words: &'static [&'static str],
    flags: &'static [(&'static str, &'static str)],
    positional: Option<&'static str>,
}

const SHAPES: &[Shape] = &[
    Shape {
        words: &["study"],
        flags: &[
            ("--plain", ""),
            ("--new", "n"),
            ("--reviews", "n"),
            ("--seed", "seed"),
        ],
        positional: Some("deck"),
    },
    Shape {
        words: &["quiz"],
        flags: &[
            ("--count", "n"),
            ("-n", "n"),
            ("--type", "type"),
            ("--weak", ""),
            ("--seed", "seed"),
            ("--plain", ""),
        ],
        positional: Some("deck"),
    },
    Shape {
        words: &["decks"],
        flags: &[("--json", "")],
        positional: None,
    },
    Shape {
        words: &["card"],
        flags: &[("--json", "")],
        positional: Some("card"),
    },
    Shape {
        words: &["deck", "new"],
        flags: &[("--out", "file")],
        positional: Some("any"),
    },
    Shape {
        words: &["deck", "check"],
        flags: &[("--json", ""), ("--source", "file")],
        positional: Some("file"),
    },
    Shape {
        words: &["deck", "fmt"],
        flags: &[("--check", "")],
        positional: Some("file"),
    },
    Shape {
        words: &["deck", "export"],
        flags: &[("--format", "format"), ("--out", "file"), ("--force", "")],
        positional: Some("deck"),
    },
    Shape {
        words: &["deck", "generate"],
        flags: &[
            ("--from", "file"),
            ("--out", "file"),
            ("--id", "any"),
            ("--source-name", "any"),
        ],
        positional: None,
    },
    Shape {
        words: &["deck", "import"],
        flags: &[("--out", "file"), ("--id", "any")],
        positional: Some("file"),
    },
    Shape {
        words: &["stats"],
        flags: &[
            ("--deck", "deck"),
            ("--days", "days"),
            ("--json", ""),
            ("--html", "file"),
            ("--force", ""),
            ("--plain", ""),
        ],
        positional: None,
    },
    Shape {
        words: &["history"],
        flags: &[("--csv", ""), ("--deck", "deck")],
        positional: None,
    },
    Shape {
        words: &["history", "import"],
        flags: &[("--deck", "deck")],
        positional: Some("file"),
    },
    Shape {
        words: &["rebuild"],
        flags: &[("--json", "")],
        positional: None,
    },
    Shape {
        words: &["optimize"],
        flags: &[
            ("--revlog", "file"),
            ("--timezone", "tz"),
            ("--dry-run", ""),
            ("--json", ""),
        ],
        positional: None,
    },
    Shape {
        words: &["evaluate"],
        flags: &[("--revlog", "file"), ("--timezone", "tz"), ("--json", "")],
        positional: None,
    },
    Shape {
        words: &["simulate"],
        flags: &[("--days", "days"), ("--seed", "seed"), ("--json", "")],
        positional: None,
    },
    Shape {
        words: &["merge"],
        flags: &[("--json", "")],
        positional: Some("file"),
    },
    Shape {
        words: &["backup"],
        flags: &[("--list", "")],
        positional: Some("file"),
    },
    Shape {
        words: &["restore"],
        flags: &[],
        positional: Some("file"),
    },
    Shape {
        words: &["config"],
        flags: &[],
        positional: Some("any"),
    },
];

fn arguments(rng: &mut StdRng) -> Vec<String> {
    let shape = SHAPES.choose(rng).unwrap();
    let mut args: Vec<String> = shape.words.iter().map(|w| w.to_string()).collect();
    if rng.random_bool(0.05) {
        // A misspelt or missing subcommand.
        args.truncate(rng.random_range(0..args.len()));
        args.push(awkward_value(rng));
    }
    let mut flags: Vec<&(&str, &str)> = shape.flags.iter().collect();
    for _ in 0..rng.random_range(0..=flags.len().min(4)) {
        let i = rng.random_range(0..flags.len());
        let (flag, kind) = flags.swap_remove(i);
        args.push(flag.to_string());
        if !kind.is_empty() {
            if rng.random_bool(0.08) {
                continue; // the value is missing
            }
            let value = value_for(kind, rng);
            if rng.random_bool(0.3) {
                // The `--flag=value` spelling, which lets a value start with `-`.
                let flag = args.pop().unwrap();
                args.push(format!("{flag}={value}"));
            } else {
                args.push(value);
            }
        }
    }
    if let Some(kind) = shape.positional {
        for _ in 0..rng.random_range(0..=2) {
            args.push(value_for(kind, rng));
        }
    }
    if rng.random_bool(0.05) {
        let at = rng.random_range(0..=args.len());
        args.insert(at, awkward_value(rng));
    }
    // `simulate` over ten years takes most of a second in a debug build:
    // its bounds are tried, its full length rarely.
    if args.first().is_some_and(|a| a == "simulate") && args.iter().any(|a| a.contains("3650")) {
        args.retain(|a| !a.contains("3650"));
    }
    args
}

#[test]
fn generated_argument_vectors_end_with_0_1_or_2_and_a_message() {
    let home = Home::new();
    let mut rng = StdRng::seed_from_u64(seed());
    let mut codes = [0usize; 3];
    let n = runs(200);
    let start = Instant::now();
    for _ in 0..n {
        let args = arguments(&mut rng);
        let (code, out, err) = home.run(&args);
        assert_clean_exit(&args, code, &out, &err);
        codes[code.unwrap() as usize] += 1;
    }
    println!(
        "seed {}: {n} argument vectors in {:.1?}: {} exit 0, {} exit 1, {} exit 2",
        seed(),
        start.elapsed(),
        codes[0],
        codes[1],
        codes[2]
    );
    assert!(
        codes.iter().all(|&c| c > 0),
        "the generator should reach success, failure and usage errors: {codes:?}"
    );
}

// ---------------------------------------------------------------------------
// Generated `config KEY VALUE` pairs.

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

fn generate_value(key: &str, rng: &mut StdRng) -> (String, Meant) {
    if rng.random_bool(0.15) {
        return (awkward_value(rng), Meant::Unknown);
    }
    if let Some((low, high)) = count_bounds(key) {
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
        return (text, meant);
    }
    match key {
        "desired_retention" => {
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
        "learning_steps" | "relearning_steps" => {
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
        "fuzz" => {
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
        "fsrs_parameters" => {
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
        _ => (awkward_value(rng), Meant::Unknown),
    }
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
    let (mut accepted, mut refused, mut usage) = (0, 0, 0);
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
            let (code, out, err) = home.run(&args);
            assert_clean_exit(&args, code, &out, &err);
            let context = format!("kioku {args:?}: {out}{err}");
            match code {
                Some(0) if args.len() == 3 && value == "--" => {
                    // `config KEY --` has no value: it shows the setting.
                    assert_eq!(out.trim_end(), current, "{context}");
                }
                Some(0) => {
                    accepted += 1;
                    assert_ne!(meant, Meant::Refused, "accepted: {context}");
                    let shown = out
                        .strip_prefix(&format!("{key} = "))
                        .unwrap_or_else(|| panic!("{context}"))
                        .trim_end()
                        .to_string();
                    let stored = home.config(&[key]).1.trim_end().to_string();
                    assert_eq!(stored, shown, "read back differs: {context}");
                    let got = read_back(key, &stored);
                    if meant != Meant::Unknown {
                        assert_eq!(got, meant, "stored something else: {context}");
                    }
                    // What is shown is a value that sets the same thing.
                    let again = home.config(&[key, "--", &stored]);
                    assert_eq!(again.1, format!("{key} = {stored}\n"), "{context}");
                    current = stored;
                }
                Some(1) => {
                    refused += 1;
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
                _ => {
                    usage += 1;
                    assert!(
                        args.len() == 3 && value.starts_with('-'),
                        "usage error: {context}"
                    );
                }
            }
        }
    }
    // An unknown key is refused by name.
    for key in ["colour", "", "new_per_day ", "NEW_PER_DAY", "日本"] {
        let (code, _, err) = home.config(&[key, "1"]);
        assert_eq!(code, Some(1), "{key:?}: {err}");
        assert!(err.contains("unknown setting"), "{err}");
    }
    println!(
        "seed {}: {} config pairs over {} settings in {:.1?}: {accepted} accepted, {refused} refused, {usage} usage errors",
        seed(),
        accepted + refused + usage,
        SPECS.len(),
        start.elapsed()
    );
    assert!(accepted > 0 && refused > 0);
}
