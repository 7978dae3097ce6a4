//! `kioku completions SHELL` and `kioku man [COMMAND]`: made from the
//! command line's own definition, so every command is in them; neither
//! touches the database.

use clap::CommandFactory;
use kioku::cli::Cli;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_kioku");

/// Runs kioku with a database path in a fresh folder, which must stay
/// empty: neither command opens the database.
fn run(args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(args)
        .env("KIOKU_DB", dir.path().join("kioku.db"))
        .env("KIOKU_DECKS", dir.path())
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "{args:?} wrote a file"
    );
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Every command's name, and its subcommands' (`deck import`), from the
/// definition itself, so a new command is checked without editing this.
fn commands() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, path: &[String], out: &mut Vec<Vec<String>>) {
        for sub in cmd.get_subcommands() {
            let mut p = path.to_vec();
            p.push(sub.get_name().to_string());
            out.push(p.clone());
            walk(sub, &p, out);
        }
    }
    let mut out = Vec::new();
    walk(&Cli::command(), &[], &mut out);
    out
}

#[test]
fn bash_completions_offer_every_command() {
    let (code, script, err) = run(&["completions", "bash"]);
    assert_eq!(code, 0, "{err}");
    assert!(script.contains("complete -F _kioku"), "{script}");
    let top: Vec<Vec<String>> = commands().into_iter().filter(|p| p.len() == 1).collect();
    assert!(top.len() >= 15, "{top:?}");
    for name in ["study", "quiz", "deck", "history", "completions", "man"] {
        assert!(top.iter().any(|p| p[0] == name), "{name}");
    }
    for path in &top {
        // Each is offered after `kioku`, and has its own case.
        assert!(
            script.contains(&format!("kioku,{}", path[0])),
            "no case for {}",
            path[0]
        );
    }
    // A subcommand's subcommands have their cases too.
    for path in commands().iter().filter(|p| p.len() == 2 && p[0] == "deck") {
        let case = format!("kioku__subcmd__deck,{})", path[1]);
        assert!(script.contains(&case), "no case for deck {}", path[1]);
    }
}

#[test]
fn every_shell_gets_a_script_naming_kioku() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let (code, script, err) = run(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(
            script.contains("kioku") && script.contains("study"),
            "{shell}"
        );
        // fish names a long flag with `-l`.
        assert!(
            script.contains("--decks") || script.contains("-l decks"),
            "{shell}: the global flags"
        );
    }
    let (code, _, err) = run(&["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("possible values: bash, elvish, fish, powershell, zsh"),
        "{err}"
    );
}

#[test]
fn the_man_page_names_every_command() {
    let (code, page, err) = run(&["man"]);
    assert_eq!(code, 0, "{err}");
    assert!(page.contains(".TH kioku 1"), "{page}");
    assert!(page.contains(".SH SYNOPSIS") && page.contains(".SH SUBCOMMANDS"));
    assert!(page.contains(&format!("\"kioku {}\"", env!("CARGO_PKG_VERSION"))));
    for path in commands().iter().filter(|p| p.len() == 1) {
        // roff writes `-` as `\-`.
        let name = format!("kioku\\-{}(1)", path[0]);
        assert!(page.contains(&name), "{name} is not listed");
    }
}

#[test]
fn each_command_has_its_own_page() {
    for path in commands() {
        let mut args = vec!["man"];
        args.extend(path.iter().map(String::as_str));
        let (code, page, err) = run(&args);
        assert_eq!(code, 0, "{path:?}: {err}");
        let title = format!(".TH kioku-{} 1", path.join("-"));
        assert!(page.contains(&title), "{path:?}: {page}");
    }
    let (code, page, err) = run(&["man", "deck", "import"]);
    assert_eq!(code, 0);
    assert!(page.contains("\\-\\-out"), "{page}{err}");
    let (code, out, err) = run(&["man", "deck", "nope"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "kioku: error: no command `deck nope`; `kioku man` lists them\n"
    );
}
