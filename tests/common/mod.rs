//! Shared helpers for the integration tests: a temporary home for the
//! database, commands with a fixed clock, and a driver that studies like a
//! learner who knows every answer.

#![allow(dead_code)]

use kioku::deck::{builtin_sources, parse_deck, Card, CardKind, Deck};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_kioku");

/// A temporary data folder and database, with a clock set by `KIOKU_NOW`.
pub struct Env {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub now: String,
    pub decks: Vec<PathBuf>,
}

impl Env {
    pub fn new(decks: &[&str]) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("kioku.db");
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        Env {
            db,
            dir,
            now: "2026-03-02T09:00:00+00:00".into(),
            decks: decks.iter().map(|d| root.join(d)).collect(),
        }
    }

    pub fn at(&mut self, now: &str) -> &mut Self {
        self.now = now.to_string();
        self
    }

    pub fn cmd(&self) -> Command {
        let mut c = self.cmd_without_decks();
        for d in &self.decks {
            c.arg("--decks").arg(d);
        }
        c
    }

    /// The command with this environment but no `--decks`.
    pub fn cmd_without_decks(&self) -> Command {
        let mut c = Command::new(BIN);
        c.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("KIOKU_DB", &self.db)
            .env("KIOKU_NOW", &self.now)
            .env("NO_COLOR", "1");
        c
    }

    /// Runs kioku with `args` and the given standard input; returns (status, stdout, stderr).
    pub fn run(&self, args: &[&str], stdin: &str) -> (i32, String, String) {
        let mut child = self
            .cmd()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let (code, out, err) = self.run(args, "");
        assert_eq!(code, 0, "kioku {args:?} failed:\n{out}\n{err}");
        out
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// Reviews in the database, read directly.
    pub fn review_count(&self) -> i64 {
        let conn = rusqlite::Connection::open(&self.db).unwrap();
        conn.query_row("SELECT COUNT(*) FROM reviews", [], |r| r.get(0))
            .unwrap()
    }
}

/// Every card of the deck files in `dir`.
pub fn cards_in(dir: &str) -> Vec<Card> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut cards = Vec::new();
    for entry in std::fs::read_dir(root).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).unwrap();
            if let Some(deck) = parse_deck(&text).deck {
                cards.extend(deck.cards);
            }
        }
    }
    cards
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A running `kioku study`, driven through its standard input and output.
pub struct Driver {
    pub child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Vec<u8>>,
    pub output: String,
    seen: usize,
    cards: usize,
}

impl Driver {
    /// `kioku study ARGS`.
    pub fn start(env: &Env, args: &[&str]) -> Driver {
        let mut full = vec!["study"];
        full.extend_from_slice(args);
        Driver::run(env, &full)
    }

    /// `kioku ARGS` (a session command: study or quiz).
    pub fn run(env: &Env, args: &[&str]) -> Driver {
        let mut child = env
            .cmd()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Driver {
            child,
            stdin: Some(stdin),
            rx,
            output: String::new(),
            seen: 0,
            cards: 0,
        }
    }

    /// Reads until the output ends with one of `endings` (a prompt) or the
    /// program's output ends. Returns the new text; `None` at the end.
    pub fn until(&mut self, endings: &[&str]) -> Option<String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if endings.iter().any(|e| self.output.ends_with(e)) && self.output.len() > self.seen {
                let new = self.output[self.seen..].to_string();
                self.seen = self.output.len();
                return Some(new);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "no prompt within 30 s; output so far:\n{}",
                self.output
            );
            match self.rx.recv_timeout(left) {
                Ok(chunk) => self.output.push_str(&String::from_utf8_lossy(&chunk)),
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    if self.output.len() > self.seen {
                        self.seen = self.output.len();
                    }
                    return None;
                }
                Err(e) => panic!("{e}; output so far:\n{}", self.output),
            }
        }
    }

    pub fn send(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("standard input is open");
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
    }

    /// Waits for the next card; returns its block of text, or `None` when the session is over.
    pub fn next_card(&mut self) -> Option<String> {
        self.cards += 1;
        assert!(
            self.cards < 3000,
            "the session never ends; last output:\n{}",
            &self.output[self.output.len().saturating_sub(2000)..]
        );
        let text = self.until(&["> "])?;
        text.contains("] ").then_some(text)
    }

    pub fn close(mut self) -> (String, std::process::ExitStatus) {
        drop(self.stdin.take());
        while self.until(&["\u{0}"]).is_some() {}
        let status = self.child.wait().unwrap();
        (self.output, status)
    }
}

/// The card a prompt block shows: one whose question it contains and whose
/// options are all on screen (the longest such question, so that one
/// question inside another is not mistaken).
pub fn card_for<'a>(cards: &'a [Card], block: &str) -> &'a Card {
    let text = squash(block);
    let shows = |c: &Card| match &c.kind {
        CardKind::Choice { a, wrong, .. } => std::iter::once(a)
            .chain(wrong)
            .all(|o| text.contains(&squash(o))),
        CardKind::Order { items, .. } => items.iter().all(|i| text.contains(&squash(i))),
        _ => true,
    };
    cards
        .iter()
        .filter(|c| text.contains(&squash(&c.kind.prompt())) && shows(c))
        .max_by_key(|c| c.kind.prompt().len())
        .unwrap_or_else(|| panic!("no card matches the prompt:\n{block}"))
}

/// The input line a learner who knows the answer types for `card` in `block`.
pub fn right_answer(card: &Card, block: &str) -> String {
    let options: Vec<(usize, String)> = block
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let (n, rest) = l.split_once(". ")?;
            Some((n.parse().ok()?, rest.trim().to_string()))
        })
        .collect();
    let number_of = |text: &str| -> usize {
        options
            .iter()
            .find(|(_, o)| o == text)
            .map(|(n, _)| *n)
            .unwrap_or_else(|| panic!("option {text:?} not shown in:\n{block}"))
    };
    match &card.kind {
        CardKind::Basic { .. } => String::new(),
        CardKind::Typed { a, .. } => a.clone(),
        CardKind::Choice { a, .. } => number_of(a).to_string(),
        CardKind::TrueFalse { a, .. } => if *a { "t" } else { "f" }.into(),
        CardKind::Year { a, .. } => a.to_string(),
        CardKind::Cloze { gaps, gap, .. } => gaps[*gap].answer.clone(),
        CardKind::Order { items, .. } => items
            .iter()
            .map(|i| number_of(i).to_string())
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// Studies until the session ends, answering every card from `cards` right,
/// and fails if a right answer is judged anything but correct. Returns the
/// number of answers given and the whole output.
pub fn study_correctly(env: &Env, cards: &[Card], args: &[&str]) -> (usize, String) {
    let mut full = vec!["study"];
    full.extend_from_slice(args);
    drive_correctly(env, cards, &full)
}

/// Like [`study_correctly`] for any session command (`study ...` or `quiz ...`).
pub fn drive_correctly(env: &Env, cards: &[Card], args: &[&str]) -> (usize, String) {
    let mut driver = Driver::run(env, args);
    let mut answered = 0;
    while let Some(block) = driver.next_card() {
        let card = card_for(cards, &block);
        driver.send(&right_answer(card, &block));
        let feedback = driver.until(&["]: "]).expect("feedback after an answer");
        if !matches!(card.kind, CardKind::Basic { .. }) {
            assert!(
                feedback.contains("✓ correct"),
                "{}: a right answer was not judged correct:\n{block}{feedback}",
                card.id
            );
        }
        driver.send("");
        answered += 1;
    }
    let (out, status) = driver.close();
    assert!(status.success(), "{out}");
    (answered, out)
}

/// Compares `actual` with the committed file `tests/golden/NAME`, showing
/// the first lines that differ. With `KIOKU_BLESS=1` it rewrites the file
/// instead: do that after an intended change, then read the diff.
pub fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("KIOKU_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing; run with KIOKU_BLESS=1", path.display()));
    if expected == actual {
        return;
    }
    let (want, got): (Vec<&str>, Vec<&str>) =
        (expected.lines().collect(), actual.lines().collect());
    let diff: Vec<String> = (0..want.len().max(got.len()))
        .filter(|&i| want.get(i) != got.get(i))
        .take(5)
        .map(|i| {
            let (e, a) = (
                want.get(i).unwrap_or(&"<none>"),
                got.get(i).unwrap_or(&"<none>"),
            );
            format!("line {}:\n  expected: {e}\n  actual:   {a}", i + 1)
        })
        .collect();
    panic!(
        "{name} differs ({} vs {} lines{})\n{}\n--- actual ---\n{actual}",
        want.len(),
        got.len(),
        if diff.is_empty() {
            "; only the line endings"
        } else {
            ""
        },
        diff.join("\n")
    );
}

/// `cmd` run through util-linux's `prlimit`, so that writing past `bytes`
/// in any one file fails as on a full disk.
pub fn with_file_size_limit(cmd: &Command, bytes: u64) -> Command {
    let mut limited = Command::new("prlimit");
    limited
        .arg(format!("--fsize={bytes}"))
        .arg("--")
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .env_clear();
    for (key, value) in cmd.get_envs() {
        if let Some(value) = value {
            limited.env(key, value);
        }
    }
    if let Some(dir) = cmd.get_current_dir() {
        limited.current_dir(dir);
    }
    limited
}

/// The decks that ship inside kioku, each with its origin and its text,
/// read once and checked to have no error.
pub fn shipped_decks() -> Vec<(String, Deck, String)> {
    builtin_sources()
        .into_iter()
        .map(|s| {
            let text = s.read().unwrap().into_owned();
            let out = parse_deck(&text);
            let errors: Vec<String> = out
                .errors()
                .map(|d| d.display(&s.origin).to_string())
                .collect();
            assert!(errors.is_empty(), "{}", errors.join("\n"));
            (s.origin, out.deck.unwrap(), text)
        })
        .collect()
}
