//! Whole-output checks: a scripted session compared line by line with a
//! committed transcript. Set KIOKU_BLESS=1 to rewrite the transcripts after
//! an intended change, then read the diff.

use crate::common::{golden, Env};

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
