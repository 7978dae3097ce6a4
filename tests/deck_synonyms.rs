//! A deck's own `synonyms` through the real binary: a name of a group is
//! judged right in study and quiz while the deck file lists it, wrong again
//! once it is gone, and `deck check` places a bad group.

use crate::common::Env;
use std::path::Path;

const WITH: &str = "synonyms = [[\"sakoku\", \"closed country\"]]\n";

/// A deck with one typed card whose answer is `sakoku`, with `synonyms`
/// as given (a line, or nothing).
fn write_deck(dir: &Path, synonyms: &str) {
    let text = format!(
        "format = 1\n\n[deck]\nid = \"edo\"\ntitle = \"Edo\"\n{synonyms}\n[[cards]]\nid = \"policy\"\ntype = \"typed\"\nq = \"What was the Tokugawa policy of keeping foreigners out called?\"\na = \"sakoku\"\nwhy = \"Few foreigners could come in, and few Japanese leave.\"\nsection = \"Edo period\"\n"
    );
    std::fs::write(dir.join("edo.toml"), text).unwrap();
}

fn env_with_deck(synonyms: &str) -> Env {
    let mut env = Env::new(&[]);
    let dir = env.dir.path().join("decks");
    std::fs::create_dir(&dir).unwrap();
    write_deck(&dir, synonyms);
    env.decks = vec![dir];
    env
}

/// The verdict line of the first answer of a line-mode session.
fn verdict(env: &Env, command: &str, answer: &str) -> String {
    let (code, out, err) = env.run(&[command, "--plain"], &format!("{answer}\n\nq\n"));
    assert_eq!(code, 0, "{out}\n{err}");
    out.lines()
        .find(|l| l.trim_start().starts_with(['✓', '~', '✗']))
        .unwrap_or_else(|| panic!("no verdict in:\n{out}"))
        .trim()
        .to_string()
}

#[test]
fn a_name_of_the_decks_own_group_is_right_in_study_and_quiz_until_the_list_is_gone() {
    let mut env = env_with_deck(WITH);
    assert_eq!(
        verdict(&env, "study", "closed country"),
        "✓ correct — sakoku"
    );
    assert_eq!(
        verdict(&env, "quiz", "Closed Country"),
        "✓ correct — sakoku"
    );
    // The list removed from the file: the same answer is wrong again.
    write_deck(&env.decks[0], "");
    env.at("2026-03-04T09:00:00+00:00");
    let study = verdict(&env, "study", "closed country");
    assert!(study.starts_with("✗ wrong"), "{study}");
    let quiz = verdict(&env, "quiz", "closed country");
    assert!(quiz.starts_with("✗ wrong"), "{quiz}");
    // Put back, it is right again.
    write_deck(&env.decks[0], WITH);
    assert_eq!(
        verdict(&env, "quiz", "closed country"),
        "✓ correct — sakoku"
    );
}

#[test]
fn deck_check_places_a_bad_group_and_fails() {
    let env = env_with_deck("synonyms = [[\"sakoku\"], [\"closed country\", \"Sakoku\"]]\n");
    let file = env.decks[0].join("edo.toml");
    let shown = file.to_str().unwrap();
    let (code, out, _) = env.run(&["deck", "check", shown], "");
    assert_eq!(code, 1, "{out}");
    let errors: Vec<&str> = out.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(
        errors,
        [
            format!("{shown}:6:13: error: group 1 of `synonyms` has 1 name(s); a group needs at least 2"),
            format!("{shown}:6:44: error: `Sakoku` of group 2 of `synonyms` is also in group 1"),
        ]
    );
    let (code, out, _) = env.run(&["deck", "check", "--json", shown], "");
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let text = v.to_string();
    assert!(text.contains("is also in group 1"), "{text}");
    // A study session skips the broken file and says where it is wrong.
    let (_, out, err) = env.run(&["study", "--plain"], "");
    assert!(
        format!("{out}{err}").contains("edo.toml:6:13: error: group 1 of `synonyms`"),
        "{out}\n{err}"
    );
}
