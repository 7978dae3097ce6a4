//! Input never crashes: the command line and `kioku config` are fed
//! generated arguments, and every run must end with exit 0, 1 or 2 and a
//! message, never a panic (101) or a signal. A setting that is accepted must
//! read back as what was meant and inside its range, never as a wrapped or
//! clipped number.
//!
//! The generator is seeded (`KIOKU_INPUT_SEED` picks another seed, and
//! `KIOKU_INPUT_RUNS` a longer run), so a failure names the seed and the
//! arguments that caused it and can be replayed.

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
pub(crate) struct Home {
    dir: tempfile::TempDir,
    decks: PathBuf,
}

impl Home {
    pub(crate) fn new() -> Home {
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
    pub(crate) fn run(&self, args: &[String]) -> (Option<i32>, String, String) {
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

    pub(crate) fn config(&self, args: &[&str]) -> (Option<i32>, String, String) {
        let mut all = vec!["config".to_string()];
        all.extend(args.iter().map(|s| s.to_string()));
        self.run(&all)
    }
}

/// What every run must end with, whatever it was given.
pub(crate) fn assert_clean_exit(args: &[String], code: Option<i32>, out: &str, err: &str) {
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

pub(crate) fn seed() -> u64 {
    std::env::var("KIOKU_INPUT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(15)
}

pub(crate) fn runs(default: usize) -> usize {
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
pub(crate) fn awkward_value(rng: &mut StdRng) -> String {
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
        "retention" => pick(
            rng,
            &[
                "0.9", "0.5", "90", "1e309", "", "0.8..0.9", "0.9..0.8", "0.9/0.1",
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
            ("--force", ""),
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
        flags: &[
            ("--days", "days"),
            ("--seed", "seed"),
            ("--retention", "retention"),
            ("--chart", ""),
            ("--json", ""),
        ],
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
