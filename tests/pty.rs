//! The full-screen mode end to end: the real binary in a real pseudo-terminal
//! (posix_openpt), driven by keystrokes; then the database is read.

#![cfg(unix)]

mod common;

use common::Env;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A child process on the slave side of a pty, 80×24.
struct Pty {
    child: Child,
    master: File,
    screen: Arc<Mutex<Vec<u8>>>,
    stop: Arc<AtomicBool>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Pty {
    fn spawn(env: &Env, args: &[&str]) -> Pty {
        // Both ends close-on-exec from the start: tests run in parallel, and a
        // process spawned by another test must not inherit this terminal.
        let size = libc::winsize {
            ws_row: 24,
            ws_col: 80,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: plain libc calls on descriptors created and owned here; the
        // name buffer outlives the calls that use it.
        let (master, slave) = unsafe {
            let master = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC);
            assert!(master >= 0, "posix_openpt failed");
            assert_eq!(libc::grantpt(master), 0);
            assert_eq!(libc::unlockpt(master), 0);
            let mut name = [0 as libc::c_char; 128];
            assert_eq!(libc::ptsname_r(master, name.as_mut_ptr(), name.len()), 0);
            let slave = libc::open(
                name.as_ptr(),
                libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC,
            );
            assert!(slave >= 0, "cannot open the pty's slave side");
            assert_eq!(libc::ioctl(slave, libc::TIOCSWINSZ, &size), 0);
            (File::from_raw_fd(master), OwnedFd::from_raw_fd(slave))
        };
        let mut cmd = env.cmd();
        cmd.env("TERM", "xterm-256color").args(args);
        cmd.stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave));
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                libc::setsid();
                libc::ioctl(0, libc::TIOCSCTTY, 0);
                Ok(())
            });
        }
        let child = cmd.spawn().unwrap();
        let screen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        // Non-blocking, so that the reader can be stopped and every copy of
        // the master closed (that is what closing a terminal window does).
        // SAFETY: fcntl on a descriptor we own.
        unsafe {
            let fd = master.as_raw_fd();
            libc::fcntl(
                fd,
                libc::F_SETFL,
                libc::fcntl(fd, libc::F_GETFL) | libc::O_NONBLOCK,
            );
        }
        let mut reader = master.try_clone().unwrap();
        let (sink, halt) = (Arc::clone(&screen), Arc::clone(&stop));
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while !halt.load(Ordering::Relaxed) {
                match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => sink.lock().unwrap().extend_from_slice(&buf[..n]),
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(10))
                    }
                    Err(_) => break,
                }
            }
        });
        Pty {
            child,
            master,
            screen,
            stop,
            reader: Some(reader),
        }
    }

    fn output(&self) -> String {
        String::from_utf8_lossy(&self.screen.lock().unwrap()).into_owned()
    }

    /// What the terminal shows now: the output replayed on an 80×24 grid.
    fn screen(&self) -> String {
        render(&self.output())
    }

    /// Waits until the screen shows `text`.
    fn wait_for(&self, text: &str) {
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
    fn wait_output(&self, bytes: &str) -> String {
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
        self.master.write_all(keys.as_bytes()).unwrap();
        self.master.flush().unwrap();
        std::thread::sleep(Duration::from_millis(60));
    }

    fn wait_exit(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
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

/// A minimal terminal: cursor positioning, erasing, and text, which is all
/// a full-screen program needs to be read back. Other sequences are skipped.
fn render(output: &str) -> String {
    const ROWS: usize = 24;
    const COLS: usize = 80;
    let mut grid = vec![vec![' '; COLS]; ROWS];
    let (mut row, mut col) = (0usize, 0usize);
    let mut chars = output.chars();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => {
                if chars.next() != Some('[') {
                    continue;
                }
                {
                    let mut params = String::new();
                    let mut last = ' ';
                    for p in chars.by_ref() {
                        if p.is_ascii_alphabetic() || p == '@' || p == '~' {
                            last = p;
                            break;
                        }
                        params.push(p);
                    }
                    let nums: Vec<usize> = params
                        .trim_start_matches('?')
                        .split(';')
                        .map(|n| n.parse().unwrap_or(0))
                        .collect();
                    match last {
                        'H' | 'f' => {
                            row = nums.first().copied().unwrap_or(1).max(1) - 1;
                            col = nums.get(1).copied().unwrap_or(1).max(1) - 1;
                        }
                        'J' if nums.first() == Some(&2) => grid = vec![vec![' '; COLS]; ROWS],
                        'K' => (col..COLS).for_each(|x| grid[row.min(ROWS - 1)][x] = ' '),
                        'h' | 'l' if params == "?1049" => grid = vec![vec![' '; COLS]; ROWS],
                        _ => {}
                    }
                }
            }
            '\r' => col = 0,
            '\n' => row = (row + 1).min(ROWS - 1),
            c if c.is_control() => {}
            c => {
                if row < ROWS && col < COLS {
                    grid[row][col] = c;
                }
                col += 1;
            }
        }
    }
    grid.iter()
        .map(|r| r.iter().collect::<String>().trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
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
    for signal in [libc::SIGTERM, libc::SIGINT] {
        let env = Env::new(&["tests/fixtures/mini"]);
        let mut pty = Pty::spawn(&env, &["study", "--seed", "1"]);
        pty.wait_for("In which year did Japan");
        pty.keys("1924");
        pty.keys(ENTER);
        pty.wait_for("Wrong");
        // SAFETY: signalling our own child.
        unsafe { libc::kill(pty.child.id() as i32, signal) };
        let status = pty.wait_exit();
        assert!(status.success(), "signal {signal}: {status:?}");
        pty.wait_output(LEAVE_ALTERNATE_SCREEN);
        assert_eq!(
            reviews(&env),
            vec![("recognition-year".into(), "1924".into(), 1)],
            "signal {signal}"
        );
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
    pty.stop.store(true, Ordering::Relaxed);
    pty.reader.take().unwrap().join().unwrap();
    let Pty {
        mut child, master, ..
    } = pty;
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
