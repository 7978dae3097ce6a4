//! The full-screen mode end to end: the real binary in a real pseudo-terminal
//! (portable-pty), driven by keystrokes and read back through a terminal
//! emulator (vt100); then the database is read.

#![cfg(unix)]

use crate::common::{Env, BIN};
use filedescriptor::FileDescriptor;
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use portable_pty::{native_pty_system, Child, CommandBuilder, ExitStatus, MasterPty, PtySize};
use std::io::{ErrorKind, Read, Write};
use std::num::NonZeroU16;
use std::os::fd::{AsRawFd, RawFd};
use std::time::{Duration, Instant};

const ROWS: u16 = 24;
const COLS: u16 = 80;

/// The number of the master's descriptor, to take a copy of it.
struct MasterFd(RawFd);

impl AsRawFd for MasterFd {
    fn as_raw_fd(&self) -> RawFd {
        self.0
    }
}

/// A child process on the slave side of a pty, 80×24.
struct Pty {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    /// A non-blocking copy of the master, read between looks at the screen
    /// and written to for keys. portable-pty's own writer types a newline
    /// and end-of-file when it is dropped, which would answer the card on
    /// screen just as the window closes.
    io: FileDescriptor,
    output: Vec<u8>,
    terminal: vt100::Parser,
}

impl Pty {
    fn spawn(env: &Env, args: &[&str]) -> Pty {
        let size = PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        };
        let pair = native_pty_system().openpty(size).unwrap();
        let template = env.cmd();
        let mut cmd = CommandBuilder::new(BIN);
        cmd.env_clear();
        for (key, value) in template.get_envs() {
            if let Some(value) = value {
                cmd.env(key, value);
            }
        }
        cmd.env("TERM", "xterm-256color");
        cmd.cwd(env!("CARGO_MANIFEST_DIR"));
        cmd.args(template.get_args());
        cmd.args(args);
        let child = pair.slave.spawn_command(cmd).unwrap();
        // Only the child holds the slave side: when it exits, reads end.
        drop(pair.slave);
        let fd = MasterFd(pair.master.as_raw_fd().expect("a unix pty"));
        let mut io = FileDescriptor::dup(&fd).unwrap();
        io.set_non_blocking(true).unwrap();
        Pty {
            child,
            master: pair.master,
            io,
            output: Vec::new(),
            terminal: vt100::Parser::new(
                NonZeroU16::new(ROWS).unwrap(),
                NonZeroU16::new(COLS).unwrap(),
                0,
            ),
        }
    }

    /// Takes in whatever the program has written so far.
    fn pump(&mut self) {
        let mut buf = [0u8; 4096];
        loop {
            match self.io.read(&mut buf) {
                Ok(0) => return,
                Ok(n) => {
                    self.output.extend_from_slice(&buf[..n]);
                    self.terminal.process(&buf[..n]);
                }
                // Nothing more for now, or (EIO) the program has gone.
                Err(e) if e.kind() == ErrorKind::WouldBlock => return,
                Err(_) => return,
            }
        }
    }

    fn output(&mut self) -> String {
        self.pump();
        String::from_utf8_lossy(&self.output).into_owned()
    }

    /// What the terminal shows now.
    fn screen(&mut self) -> String {
        self.pump();
        self.terminal.screen().contents()
    }

    /// Waits until the screen shows `text`.
    fn wait_for(&mut self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.screen().contains(text) {
            assert!(
                Instant::now() < deadline,
                "`{text}` never appeared; the screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the raw output holds `bytes` (for what comes after exit).
    fn wait_output(&mut self, bytes: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let out = self.output();
            if out.contains(bytes) {
                return out;
            }
            assert!(
                Instant::now() < deadline,
                "{bytes:?} never came; output:\n{out}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn keys(&mut self, keys: &str) {
        self.io.write_all(keys.as_bytes()).unwrap();
        self.io.flush().unwrap();
        std::thread::sleep(Duration::from_millis(60));
        self.pump();
    }

    /// Sends `signal` to the program.
    fn signal(&self, signal: Signal) {
        let pid = self.child.process_id().expect("a running child");
        kill(Pid::from_raw(pid as i32), signal).unwrap();
    }

    fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            // Reading keeps the program from blocking on a full terminal.
            self.pump();
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "kioku did not exit; screen output:\n{}",
                self.output()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

const ENTER: &str = "\r";
const LEAVE_ALTERNATE_SCREEN: &str = "\u{1b}[?1049l";

fn reviews(env: &Env) -> Vec<(String, String, i64)> {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let mut stmt = conn.prepare("SELECT c.card_key, r.answer, r.rating FROM reviews r JOIN cards c ON c.id = r.card_id ORDER BY r.rowid").unwrap();
    stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get::<_, Option<String>>(1)?.unwrap_or_default(),
            r.get(2)?,
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

#[test]
fn a_short_full_screen_session_saves_its_reviews_and_restores_the_terminal() {
    let env = Env::new(&["tests/fixtures/mini"]);
    let mut pty = Pty::spawn(&env, &["study", "--seed", "1"]);
    pty.wait_for("In which year did Japan formally recognise the Soviet Union?");
    pty.keys("1925");
    pty.keys(ENTER);
    pty.wait_for("Correct");
    pty.keys(ENTER);
    // The typed card: a typo, corrected with the arrow keys before checking.
    pty.wait_for("Which Russian navigator");
    pty.keys("Laxmn");
    pty.keys("\u{1b}[D"); // left
    pty.keys("a");
    pty.keys(ENTER);
    pty.wait_for("Correct");
    pty.keys("e"); // regrade as easy, and move on
                   // The choice card: arrows down to an option and enter.
    pty.wait_for("Which 1905 treaty");
    pty.keys("\u{3}"); // Ctrl-C quits
    let status = pty.wait_exit();
    assert!(status.success(), "{status:?}");
    let out = pty.output();
    let leave = out
        .rfind(LEAVE_ALTERNATE_SCREEN)
        .expect("the alternate screen was left");
    assert!(
        out[leave..].contains("Session: 2 answered"),
        "the report follows the restored screen:\n{}",
        &out[leave..]
    );
    assert_eq!(
        reviews(&env),
        vec![
            ("recognition-year".into(), "1925".into(), 3),
            ("laxman".into(), "Laxman".into(), 4)
        ]
    );
}

#[test]
fn sigterm_and_sigint_save_the_checked_answer_and_restore_the_terminal() {
    for signal in [Signal::SIGTERM, Signal::SIGINT] {
        let env = Env::new(&["tests/fixtures/mini"]);
        let mut pty = Pty::spawn(&env, &["study", "--seed", "1"]);
        pty.wait_for("In which year did Japan");
        pty.keys("1924");
        pty.keys(ENTER);
        pty.wait_for("Wrong");
        pty.signal(signal);
        let status = pty.wait_exit();
        assert!(status.success(), "{signal:?}: {status:?}");
        pty.wait_output(LEAVE_ALTERNATE_SCREEN);
        assert_eq!(
            reviews(&env),
            vec![("recognition-year".into(), "1924".into(), 1)],
            "{signal:?}"
        );
    }
}

/// A study folder of one basic card, so that the first screen is its reveal.
fn one_basic_card() -> Env {
    let mut env = Env::new(&[]);
    let decks = env.dir.path().join("decks");
    std::fs::create_dir_all(&decks).unwrap();
    std::fs::write(
        decks.join("basic.toml"),
        "format = 1\n\n[deck]\nid = \"basic\"\ntitle = \"One basic card\"\n\n\
         [[cards]]\nid = \"rezanov\"\ntype = \"basic\"\n\
         q = \"Which tsar sent Rezanov to Japan?\"\na = \"Alexander I\"\n",
    )
    .unwrap();
    env.decks = vec![decks];
    env
}

#[test]
fn an_ungraded_basic_reveal_is_not_saved_on_q_or_a_signal() {
    for how in ["q", "SIGTERM", "SIGHUP"] {
        let env = one_basic_card();
        let mut pty = Pty::spawn(&env, &["study", "--seed", "1"]);
        pty.wait_for("Which tsar sent Rezanov to Japan?");
        pty.keys(ENTER);
        pty.wait_for("Alexander I");
        match how {
            "q" => pty.keys("q"),
            "SIGTERM" => pty.signal(Signal::SIGTERM),
            _ => pty.signal(Signal::SIGHUP),
        }
        let status = pty.wait_exit();
        assert!(status.success(), "{how}: {status:?}");
        let out = pty.output();
        let leave = out
            .rfind(LEAVE_ALTERNATE_SCREEN)
            .expect("the alternate screen was left");
        assert!(
            out[leave..].contains("Nothing answered this time."),
            "{how}: the report does not count the reveal:\n{}",
            &out[leave..]
        );
        assert_eq!(reviews(&env), vec![], "{how}");
    }
}

#[test]
fn suspending_or_burying_an_ungraded_basic_reveal_does_not_save_it() {
    for (key, done) in [("s", "suspended"), ("b", "buried until tomorrow")] {
        let env = one_basic_card();
        let mut pty = Pty::spawn(&env, &["study", "--seed", "1"]);
        pty.wait_for("Which tsar sent Rezanov to Japan?");
        pty.keys(ENTER);
        pty.wait_for("Alexander I");
        pty.keys(key);
        // The only card is set aside: the report is on screen.
        pty.wait_for("Set aside: basic/rezanov");
        pty.keys(ENTER);
        let status = pty.wait_exit();
        assert!(status.success(), "{key}: {status:?}");
        let out = pty.output();
        let leave = out
            .rfind(LEAVE_ALTERNATE_SCREEN)
            .expect("the alternate screen was left");
        let report = &out[leave..];
        assert!(
            report.contains("Nothing answered this time."),
            "{key}:\n{report}"
        );
        assert!(
            report.contains("Set aside: basic/rezanov"),
            "{key} ({done}):\n{report}"
        );
        assert_eq!(reviews(&env), vec![], "{key}");
    }
}

#[test]
fn closing_the_window_keeps_what_was_answered() {
    let env = Env::new(&["tests/fixtures/mini"]);
    let mut pty = Pty::spawn(&env, &["study", "--seed", "1"]);
    pty.wait_for("In which year did Japan");
    pty.keys("1925");
    pty.keys(ENTER);
    pty.wait_for("Correct");
    pty.keys(ENTER);
    pty.wait_for("Which Russian navigator");
    // The terminal goes away (every copy of the master closed): the session
    // leader gets SIGHUP.
    let Pty {
        mut child,
        master,
        io,
        ..
    } = pty;
    drop(io);
    drop(master);
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        assert!(
            Instant::now() < deadline,
            "kioku kept running after its terminal closed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        reviews(&env),
        vec![("recognition-year".into(), "1925".into(), 3)]
    );
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
}

#[test]
fn the_stats_view_is_full_screen_and_scrolls() {
    let env = Env::new(&["tests/fixtures/mini"]);
    let (code, _, _) = env.run(&["study", "--seed", "1"], "1925\n\n");
    assert_eq!(code, 0);
    let mut pty = Pty::spawn(&env, &["stats", "--days", "60"]);
    pty.wait_for("Reviews per day, 60 days");
    pty.wait_for("↑↓ pgup pgdn scroll · q quit");
    pty.keys("\u{1b}[6~"); // page down
    pty.wait_for("Weakest cards");
    pty.keys("q");
    let status = pty.wait_exit();
    assert!(status.success(), "{status:?}");
    pty.wait_output(LEAVE_ALTERNATE_SCREEN);
}

#[test]
fn i_was_right_saves_the_answer_as_correct_and_it_is_right_the_next_day() {
    let mut env = crate::study::one_typed_card();
    let mut pty = Pty::spawn(&env, &["study"]);
    pty.wait_for("Which Russian navigator");
    pty.keys("Rakusuman");
    pty.keys(ENTER);
    pty.wait_for("Wrong");
    pty.wait_for("r I was right");
    pty.keys("r");
    // The card comes back as a learning card; the note says what was kept.
    pty.wait_for("accepted from now on");
    pty.keys("\u{3}");
    let status = pty.wait_exit();
    assert!(status.success(), "{status:?}");
    assert_eq!(
        reviews(&env),
        vec![("laxman".into(), "Rakusuman".into(), 3)]
    );
    env.at("2026-03-03T09:00:00+00:00");
    let mut pty = Pty::spawn(&env, &["study"]);
    pty.wait_for("Which Russian navigator");
    pty.keys("rakusuman");
    pty.keys(ENTER);
    pty.wait_for("Correct");
    assert!(!pty.screen().contains("I was right"), "{}", pty.screen());
    pty.keys(ENTER);
    pty.keys("\u{3}");
    assert!(pty.wait_exit().success());
    assert_eq!(reviews(&env).len(), 2);
    assert_eq!(reviews(&env)[1].2, 3);
}
