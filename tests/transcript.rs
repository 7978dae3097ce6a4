//! Whole-output checks: a scripted session compared line by line with a
//! committed transcript. Set KIOKU_BLESS=1 to rewrite the transcripts after
//! an intended change, then read the diff.

mod common;

use common::Env;
use std::path::PathBuf;

fn golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("KIOKU_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing; run with KIOKU_BLESS=1", path.display()));
    if expected != actual {
        let diff: Vec<String> = expected
            .lines()
            .zip(actual.lines())
            .enumerate()
            .filter(|(_, (e, a))| e != a)
            .take(5)
            .map(|(i, (e, a))| format!("line {}:\n  expected: {e}\n  actual:   {a}", i + 1))
            .collect();
        panic!(
            "{name} differs ({} vs {} lines)\n{}\n--- actual ---\n{actual}",
            expected.lines().count(),
            actual.lines().count(),
            diff.join("\n")
        );
    }
}

/// Time spent depends on the machine; everything else must not.
fn mask_time(out: &str) -> String {
    out.lines()
        .map(|l| match (l.starts_with("Session: "), l.rfind(" · ")) {
            (true, Some(i)) => format!("{} · <time>", &l[..i]),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn a_session_of_every_card_type() {
    let env = Env::new(&["tests/fixtures/mini"]);
    // Right, close, wrong, a regrade, a take-back, bad input, a hint request and a basic card.
    let input = "1925\n\nLaxmann\n\n2\ne\nmaybe\nf\n\n:h\netorofu\nu\nEtorofu\n\n1 2 3\n\n\n2\n";
    let (code, out, err) = env.run(&["study", "--seed", "1"], input);
    assert_eq!(code, 0, "{err}");
    golden("session-every-type.txt", &mask_time(&out));
}

#[test]
fn decks_and_card_views() {
    let env = Env::new(&["tests/fixtures/mini"]);
    env.run(&["study", "--seed", "1"], "1925\n\nLaxmann\n\n");
    let out = format!(
        "$ kioku decks\n{}\n$ kioku card mini/laxman\n{}",
        env.ok(&["decks"]),
        env.ok(&["card", "mini/laxman"])
    );
    // Review ids are random.
    golden("decks-and-card.txt", &out);
}
