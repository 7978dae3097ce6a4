//! Bad places to run in: each gives a clear message and a non-zero exit,
//! and leaves the database as it was.

use crate::common::{cards_in, study_correctly, with_file_size_limit, Env};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};

/// A database with a day of reviews in it.
fn studied() -> Env {
    let cards = cards_in("tests/fixtures/mini");
    let env = Env::new(&["tests/fixtures/mini"]);
    study_correctly(&env, &cards, &["--plain"]);
    env
}

/// Reviews (id, card, time), states (card, phase, due) and the integrity check.
type Contents = (Vec<(String, i64, i64)>, Vec<(i64, String, i64)>, String);

/// Everything in the database that matters, to compare before and after.
fn contents(db: &Path) -> Contents {
    let conn = rusqlite::Connection::open(db).unwrap();
    let reviews = conn
        .prepare("SELECT id, card_id, at FROM reviews ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let states = conn
        .prepare("SELECT card_id, phase, due FROM card_state ORDER BY card_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let check = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    (reviews, states, check)
}

/// Runs `cmd` to the end with nothing on standard input.
fn finish(cmd: &mut Command) -> (i32, String) {
    let out = cmd.stdin(Stdio::null()).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Root reads and writes everything; to meet a permission it must be
/// someone else, so as root the command runs as `nobody`.
fn as_nobody(cmd: &mut Command) -> &mut Command {
    if nix::unistd::geteuid().is_root() {
        cmd.uid(65534).gid(65534);
    }
    cmd
}

#[test]
fn a_folder_that_cannot_be_written() {
    let env = Env::new(&["tests/fixtures/mini"]);
    std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let locked = env.dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    let db = locked.join("kioku.db");
    let (code, err) = finish(as_nobody(env.cmd().env("KIOKU_DB", &db).arg("decks")));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("permission denied"), "{err}");
    assert!(err.contains("pass --db PATH"), "{err}");
    assert!(!db.exists());

    // A path through a file.
    let file = env.dir.path().join("plain-file");
    std::fs::write(&file, "x").unwrap();
    let (code, err) = finish(
        env.cmd()
            .env("KIOKU_DB", file.join("kioku.db"))
            .arg("decks"),
    );
    assert_eq!(code, 1);
    assert!(err.contains("plain-file is not a folder"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), b"x");
}

#[test]
fn a_read_only_file_system() {
    let env = studied();
    let before = contents(&env.db);
    let dir = env.dir.path();
    // A read-only bind mount of the folder, in a mount namespace of our own.
    let script = format!(
        "mount --bind {d} {d} && mount -o remount,bind,ro {d} && exec \"$@\"",
        d = dir.display()
    );
    let probe = Command::new("unshare")
        .args(["-rm", "sh", "-c", &script, "sh", "true"])
        .output();
    if !probe.as_ref().is_ok_and(|o| o.status.success()) {
        eprintln!(
            "skipped: this machine cannot make a mount namespace for a read-only file system"
        );
        return;
    }
    let inner = env.cmd();
    let mut cmd = Command::new("unshare");
    cmd.args(["-rm", "sh", "-c", &script, "sh"])
        .arg(inner.get_program())
        .args(inner.get_args());
    for (k, v) in inner.get_envs() {
        if let Some(v) = v {
            cmd.env(k, v);
        }
    }
    let (code, err) = finish(cmd.args(["study", "--plain"]));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("the file system is read-only"), "{err}");
    assert_eq!(contents(&env.db), before);
}

#[test]
fn a_full_disk() {
    let mut env = studied();
    env.at("2026-03-03T09:00:00+00:00");
    let before = contents(&env.db);
    for (limit, message) in [
        // No room even to open: the write-ahead log cannot start.
        (8 << 10, "it cannot be written"),
        // Room to start, none to save the first answer.
        (
            64 << 10,
            "this last step was not saved and the database is as it was",
        ),
    ] {
        let mut cmd = env.cmd();
        cmd.args(["study", "--plain"]);
        let out = with_file_size_limit(&cmd, limit)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                let _ = child.stdin.take().unwrap().write_all(b"1\n\n1\n\n1\n\n");
                child.wait_with_output()
            })
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "limit {limit}: {err}");
        assert!(err.contains(message), "limit {limit}: {err}");
        assert!(err.contains("file size limit"), "limit {limit}: {err}");
        let after = contents(&env.db);
        assert_eq!(after.2, "ok", "limit {limit}");
        if limit == 8 << 10 {
            assert_eq!(after, before, "nothing written at all");
        } else {
            // The answers saved before the disk filled are whole; the one
            // that did not fit is not there at all.
            assert!(before.0.iter().all(|r| after.0.contains(r)));
            let added = after.0.len() - before.0.len();
            assert!(
                added < 3,
                "three answers were given, the last failed: {added} saved"
            );
        }
    }
    // With room again, the log and the cache agree and kioku goes on.
    let rebuilt = env.json(&["rebuild", "--json"]);
    assert_eq!(rebuilt["changed"], 0, "{rebuilt}");
}

#[test]
fn a_damaged_database() {
    let env = studied();
    // Overwrite the middle of the second page, where the decks table lives.
    let mut bytes = std::fs::read(&env.db).unwrap();
    for b in &mut bytes[4096 + 8..4096 + 4000] {
        *b = 0x5a;
    }
    std::fs::write(&env.db, &bytes).unwrap();
    let (code, err) = finish(env.cmd().arg("decks"));
    assert_eq!(code, 1);
    assert!(err.contains("is damaged"), "{err}");
    assert!(err.contains("kioku restore"), "{err}");
    assert_eq!(std::fs::read(&env.db).unwrap(), bytes, "not a byte changed");
}

#[test]
fn not_a_database_and_a_newer_one() {
    let env = Env::new(&["tests/fixtures/mini"]);
    std::fs::write(
        &env.db,
        "these are my notes, not a database, and they are long enough",
    )
    .unwrap();
    let (code, err) = finish(env.cmd().arg("decks"));
    assert_eq!(code, 1);
    assert!(
        err.contains("is not a kioku database, or it is damaged"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&env.db).unwrap(),
        "these are my notes, not a database, and they are long enough"
    );

    let env = studied();
    rusqlite::Connection::open(&env.db)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let bytes = std::fs::read(&env.db).unwrap();
    let (code, err) = finish(env.cmd().args(["study", "--plain"]));
    assert_eq!(code, 1);
    assert!(
        err.contains("was written by a newer kioku (schema version 99"),
        "{err}"
    );
    assert_eq!(std::fs::read(&env.db).unwrap(), bytes);
}

#[test]
fn deck_folders_missing_unreadable_or_looping() {
    let env = studied();
    let before = contents(&env.db);
    let dir = env.dir.path();
    let run = |folder: &Path, nobody: bool| {
        let mut cmd = env.cmd_without_decks();
        cmd.arg("--decks").arg(folder).arg("decks");
        if nobody {
            as_nobody(&mut cmd);
        }
        finish(&mut cmd)
    };

    let (code, err) = run(&dir.join("no-such-folder"), false);
    assert_eq!(code, 1);
    assert!(
        err.contains("no-such-folder: deck folder not found"),
        "{err}"
    );

    // Two links pointing at each other.
    std::os::unix::fs::symlink(dir.join("b"), dir.join("a")).unwrap();
    std::os::unix::fs::symlink(dir.join("a"), dir.join("b")).unwrap();
    let (code, err) = run(&dir.join("a"), false);
    assert_eq!(code, 1);
    assert!(
        err.contains("its symbolic links go round in a loop"),
        "{err}"
    );

    // A folder its reader may not open (the database folder stays usable).
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o666)).unwrap();
    let closed = dir.join("closed");
    std::fs::create_dir(&closed).unwrap();
    std::fs::copy("tests/fixtures/mini/mini.toml", closed.join("mini.toml")).unwrap();
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o000)).unwrap();
    let (code, err) = run(&closed, true);
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("closed: deck folder cannot be read: permission denied"),
        "{err}"
    );

    assert_eq!(contents(&env.db), before);
}

#[test]
fn a_fifo_among_the_decks_is_skipped_not_waited_on() {
    let env = Env::new(&[]);
    let dir = env.dir.path().join("decks");
    std::fs::create_dir(&dir).unwrap();
    std::fs::copy("tests/fixtures/mini/mini.toml", dir.join("mini.toml")).unwrap();
    let fifo = dir.join("pipe.toml");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o644)).unwrap();
    let (code, out, err) = env.run(&["--decks", dir.to_str().unwrap(), "decks"], "");
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("pipe.toml: cannot read: not a regular file"),
        "{err}"
    );
    assert!(out.contains("mini"), "{out}");
}
