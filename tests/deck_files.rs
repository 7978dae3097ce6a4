//! The author's files through the real binary: `deck fmt`, `deck new`,
//! `deck import`, `deck export` and `stats --html` write whole files or
//! none, never over a file they did not make unless asked, never over a
//! deck; and nothing a deck holds reaches the terminal as a control.

use crate::common::Env;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A deck folder of its own in the test's directory.
fn deck_dir(env: &Env) -> PathBuf {
    let dir = env.dir.path().join("decks");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `n` cards without ids: `deck fmt` gives each one and so rewrites the file.
fn unformatted_deck(n: usize) -> String {
    let mut text = String::from("format = 1\n\n[deck]\nid = \"big\"\ntitle = \"Big\"\n");
    for i in 0..n {
        text.push_str(&format!(
            "\n[[cards]]\ntype = \"typed\"\nq = \"Question number {i} about a treaty?\"\na = \"Answer {i}\"\nwhy = \"Because {i}.\"\nsection = \"S\"\n"
        ));
    }
    text
}

/// Runs `cmd` with writes beyond `limit` bytes in any one file failing, as
/// on a full disk.
fn with_file_size_limit(cmd: &Command, limit: u64) -> (i32, String, String) {
    let out = crate::common::with_file_size_limit(cmd, limit)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn d1_deck_fmt_on_a_full_disk_leaves_the_deck_as_it_was() {
    let env = Env::new(&[]);
    let dir = deck_dir(&env);
    let deck = dir.join("big.toml");
    let text = unformatted_deck(2_000);
    std::fs::write(&deck, &text).unwrap();
    let mut cmd = env.cmd_without_decks();
    cmd.args(["deck", "fmt"]).arg(&deck);
    // Room for a file the size of the deck, not for the formatted one.
    let (code, _, err) = with_file_size_limit(&cmd, text.len() as u64 + 1024);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("the file was left as it was"), "{err}");
    assert_eq!(std::fs::read_to_string(&deck).unwrap(), text);
    assert_eq!(names_in(&dir), ["big.toml"], "no half-written file is left");
    // With room, it is formatted, and keeps its permissions.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&deck, std::fs::Permissions::from_mode(0o600)).unwrap();
    env.ok(&["deck", "fmt", deck.to_str().unwrap()]);
    let formatted = std::fs::read_to_string(&deck).unwrap();
    assert_eq!(formatted.matches("\nid = ").count(), 2_001);
    let mode = std::fs::metadata(&deck).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn d1_deck_fmt_through_a_link_formats_the_target_and_keeps_the_link() {
    let env = Env::new(&[]);
    let dir = deck_dir(&env);
    let real = env.dir.path().join("real.toml");
    std::fs::write(&real, unformatted_deck(3)).unwrap();
    let link = dir.join("linked.toml");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    env.ok(&["deck", "fmt", link.to_str().unwrap()]);
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    assert_eq!(
        std::fs::read_to_string(&real)
            .unwrap()
            .matches("\nid = ")
            .count(),
        4
    );
}

#[test]
fn d5_export_and_report_never_overwrite_unasked_and_never_a_deck() {
    let mut env = Env::new(&[]);
    let dir = deck_dir(&env);
    std::fs::write(dir.join("f.toml"), unformatted_deck(3)).unwrap();
    env.ok(&["deck", "fmt", dir.join("f.toml").to_str().unwrap()]);
    env.decks = vec![dir.clone()];
    let deck_file = dir.join("f.toml");
    let before = std::fs::read_to_string(&deck_file).unwrap();

    // Over the deck's own file: refused, with or without --force.
    for force in [false, true] {
        let mut args = vec![
            "deck",
            "export",
            "big",
            "--out",
            deck_file.to_str().unwrap(),
        ];
        if force {
            args.push("--force");
        }
        let (code, _, err) = env.run(&args, "");
        assert_eq!(code, 1, "{err}");
        assert!(err.contains("is one of your deck files"), "{err}");
        assert_eq!(std::fs::read_to_string(&deck_file).unwrap(), before);
    }

    // Over another existing file: refused unless --force.
    let other = env.dir.path().join("sheet.md");
    std::fs::write(&other, "my notes").unwrap();
    let out = other.to_str().unwrap();
    let (code, _, err) = env.run(&["deck", "export", "big", "--out", out], "");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("already exists; pass --force"), "{err}");
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "my notes");
    env.ok(&["deck", "export", "big", "--out", out, "--force"]);
    assert!(std::fs::read_to_string(&other)
        .unwrap()
        .starts_with("# Big"));

    let report = env.dir.path().join("report.html");
    std::fs::write(&report, "keep me").unwrap();
    let html = report.to_str().unwrap();
    let (code, _, err) = env.run(&["stats", "--html", html], "");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("already exists; pass --force"), "{err}");
    assert_eq!(std::fs::read_to_string(&report).unwrap(), "keep me");
    env.ok(&["stats", "--html", html, "--force"]);
    assert!(std::fs::read_to_string(&report).unwrap().contains("<svg"));
}

#[test]
fn r8_deck_import_on_a_full_disk_leaves_nothing_and_can_be_retried() {
    let env = Env::new(&[]);
    let input = env.dir.path().join("many.txt");
    let notes: String = (0..3_000)
        .map(|i| format!("Front number {i}\tBack number {i}\n"))
        .collect();
    std::fs::write(&input, notes).unwrap();
    let made = env.dir.path().join("made");
    std::fs::create_dir_all(&made).unwrap();
    let out = made.join("imp.toml");
    let args = [
        "deck",
        "import",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let mut cmd = env.cmd_without_decks();
    cmd.args(args);
    let (code, _, err) = with_file_size_limit(&cmd, 64 << 10);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("cannot write"), "{err}");
    assert!(names_in(&made).is_empty(), "{:?}", names_in(&made));
    // The retry is not refused because a broken file "already exists".
    env.ok(&args);
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        kioku::deck::parse_deck(&text).deck.unwrap().cards.len(),
        3_000
    );
    // And a second import over it is refused, touching nothing.
    let (code, _, err) = env.run(&args, "");
    assert_eq!(code, 1);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), text);
}

#[test]
fn deck_new_never_overwrites() {
    let env = Env::new(&[]);
    let out = env.dir.path().join("mine.toml");
    std::fs::write(&out, "my own").unwrap();
    let (code, _, err) = env.run(&["deck", "new", "mine", "--out", out.to_str().unwrap()], "");
    assert_eq!(code, 1);
    assert!(err.contains("already exists; choose another name"), "{err}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "my own");
}

#[test]
fn i1_diagnostics_reach_the_terminal_without_control_sequences() {
    let mut env = Env::new(&[]);
    let dir = deck_dir(&env);
    let hostile = "format = 1\n[deck]\nid = \"a\"\ntitle = \"A\"\n\
        [[cards]]\nid = \"c1\"\ntype = \"basic\\u001b]0;TYPE\\u0007\\u001b[2J\"\nq = \"q\"\na = \"a\"\n\
        [[cards]]\nid = \"c2\"\ntype = \"basic\"\nq = \"q2\"\na = \"a\"\n\"\\u001b]0;KEY\\u0007\\u001b[31m\" = 1\n\
        [[cards]]\nid = \"bad id \\u001b[5m\\u009b\"\ntype = \"basic\"\nq = \"q3\"\na = \"a\"\n";
    std::fs::write(dir.join("a.toml"), hostile).unwrap();
    std::fs::write(
        dir.join("name\u{1b}]0;FILENAME\u{7}.toml"),
        "format = 1\n[deck]\nid = \"b\"\ntitle = \"B\"\n[[cards]]\nid = \"c\"\ntype = \"basic\"\nq = \"q\"\na = \"a\"\nbogus = 1\n",
    )
    .unwrap();
    env.decks = vec![dir.clone()];
    let (code, out, err) = env.run(&["deck", "check"], "");
    assert_eq!(code, 1, "{out}{err}");
    for (what, text) in [("stdout", &out), ("stderr", &err)] {
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{what} holds a control character: {text:?}"
        );
    }
    assert!(out.contains("unknown card type `basic]0;TYPE[2J`"), "{out}");
    assert!(out.contains("name]0;FILENAME.toml"), "{out}");
    assert!(out.contains("unknown key `bogus`"), "{out}");
    // Every command that loads the decks warns the same way, as cleanly.
    let (_, out, err) = env.run(&["decks"], "");
    assert!(err.contains("unknown key"), "{err}");
    assert!(
        !(out + &err).chars().any(|c| c.is_control() && c != '\n'),
        "{err:?}"
    );
}

#[test]
fn h1_a_cloze_with_thousands_of_gaps_is_refused_at_once_with_its_place() {
    let mut env = Env::new(&[]);
    let dir = deck_dir(&env);
    let gaps: String = (0..10_000).map(|i| format!("w{i} {{{{g{i}}}}} ")).collect();
    let deck = format!(
        "format = 1\n[deck]\nid = \"c\"\ntitle = \"C\"\n[[cards]]\nid = \"many\"\ntype = \"cloze\"\ntext = \"{gaps}\"\n\
         [[cards]]\nid = \"fine\"\ntype = \"cloze\"\ntext = \"Signed in {{{{1905}}}} at {{{{Portsmouth}}}}.\"\nwhy = \"w\"\nsection = \"s\"\n"
    );
    std::fs::write(dir.join("c.toml"), deck).unwrap();
    env.decks = vec![dir];
    let (code, out, _) = env.run(&["deck", "check"], "");
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "c.toml:8:8: error: card `many` has 10000 gaps; a cloze text may have at most 100"
        ),
        "{out}"
    );
    // The deck is skipped; the limit's neighbour, 100 gaps, is fine.
    let hundred: String = (0..100).map(|i| format!("w{i} {{{{g{i}}}}} ")).collect();
    let ok = format!(
        "format = 1\n[deck]\nid = \"c\"\ntitle = \"C\"\n[[cards]]\nid = \"many\"\ntype = \"cloze\"\ntext = \"{hundred}\"\nwhy = \"w\"\nsection = \"s\"\n"
    );
    std::fs::write(env.decks[0].join("c.toml"), ok).unwrap();
    let listed = env.ok(&["decks"]);
    assert!(listed.contains("c "), "{listed}");
    assert!(listed.contains(" 100 "), "{listed}");
}

#[test]
fn i4_export_to_the_terminal_is_cleaned() {
    let mut env = Env::new(&[]);
    let dir = deck_dir(&env);
    std::fs::write(
        dir.join("x.toml"),
        "format = 1\n[deck]\nid = \"x\"\ntitle = \"X\\u001b]0;T\\u0007\"\n[[cards]]\nid = \"c\"\ntype = \"basic\"\nq = \"Q\\u001b[2J\\u0000\"\na = \"=HYPERLINK(1)\"\n",
    )
    .unwrap();
    env.decks = vec![dir];
    for format in ["md", "csv"] {
        let out = env.ok(&["deck", "export", "x", "--format", format]);
        assert!(
            !out.chars().any(|c| c.is_control() && c != '\n'),
            "{format}: {out:?}"
        );
    }
    let csv = env.ok(&["deck", "export", "x", "--format", "csv"]);
    assert!(csv.contains("Q[2J,'=HYPERLINK(1),x"), "{csv}");
}
