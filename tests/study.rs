//! Study sessions through the real binary: scripted days, undo, end of
//! input, and a kill in the middle of a session.

use crate::common::{card_for, cards_in, right_answer, study_correctly, Driver, Env};

const MINI: &str = "tests/fixtures/mini";

/// Answers every card right until the session ends; returns how many answers were given.
fn study_all_correct(env: &Env) -> usize {
    let (answered, out) = study_correctly(env, &cards_in(MINI), &["--seed", "7"]);
    assert!(out.contains("Session: "), "{out}");
    answered
}

fn deck_counts(env: &Env) -> (i64, i64, i64) {
    let v = env.json(&["decks", "--json"]);
    let d = &v["decks"][0];
    (
        d["new"].as_i64().unwrap(),
        d["learning"].as_i64().unwrap(),
        d["due"].as_i64().unwrap(),
    )
}

/// The due count `decks` should show at `now`: cards whose `due` (from
/// `card --json`) falls before the next 04:00.
fn expected_due(env: &Env, rollover: &str) -> i64 {
    let mut due = 0;
    for key in [
        "recognition-year",
        "laxman",
        "war-ended-by",
        "vladivostok",
        "islands.1",
        "islands.2",
        "pacts-order",
        "rezanov",
    ] {
        let card = env.json(&["card", &format!("mini/{key}"), "--json"]);
        if card["state"]["phase"] == "review" && card["state"]["due"].as_str().unwrap() < rollover {
            due += 1;
        }
    }
    due
}

#[test]
fn scripted_days_follow_the_scheduler() {
    let mut env = Env::new(&[MINI]);
    assert_eq!(deck_counts(&env), (8, 0, 0));

    // Day 1: every new card (one cloze gap waits: siblings are not shown on the same day).
    let answered = study_all_correct(&env);
    assert_eq!(answered, 14, "7 new cards, each seen twice (1m/10m steps)");
    assert_eq!(env.review_count(), 14);
    assert_eq!(deck_counts(&env), (1, 0, 0));

    let card = env.json(&["card", "mini/recognition-year", "--json"]);
    assert_eq!(card["deck"], "mini");
    assert_eq!(card["type"], "year");
    assert_eq!(card["state"]["phase"], "review");
    assert_eq!(card["state"]["reps"], 2);
    assert_eq!(card["state"]["lapses"], 0);
    assert!(card["state"]["stability"].as_f64().unwrap() > 2.0);
    let reviews = card["reviews"].as_array().unwrap();
    assert_eq!(reviews.len(), 2);
    assert_eq!(reviews[0]["rating"], 3);
    assert_eq!(reviews[0]["verdict"], "correct");
    assert_eq!(reviews[0]["answer"], "1925");
    assert_eq!(reviews[0]["interval_days"], 0);
    assert!(reviews[1]["interval_days"].as_u64().unwrap() >= 1);

    // Days 2, 4, 8: the due count is exactly what the card states say.
    for (day, rollover) in [
        ("2026-03-03T09:00:00+00:00", "2026-03-04T04:00:00Z"),
        ("2026-03-05T09:00:00+00:00", "2026-03-06T04:00:00Z"),
        ("2026-03-09T09:00:00+00:00", "2026-03-10T04:00:00Z"),
    ] {
        env.at(day);
        let (new, learning, due) = deck_counts(&env);
        assert_eq!(learning, 0);
        assert_eq!(new, 1);
        assert_eq!(due, expected_due(&env, rollover), "on {day}");
    }
    // A week on, everything learnt on day 1 is due, and studying clears it.
    env.at("2026-03-09T09:00:00+00:00");
    let before = deck_counts(&env).2;
    assert!(
        before >= 5,
        "most cards should be due after a week: {before}"
    );
    study_all_correct(&env);
    // The second cloze gap still waits: its sibling was reviewed today.
    assert_eq!(deck_counts(&env), (1, 0, 0));
    let card = env.json(&["card", "mini/islands.1", "--json"]);
    assert_eq!(card["reviews"].as_array().unwrap().len(), 3);
    // The next day it comes.
    env.at("2026-03-10T09:00:00+00:00");
    study_all_correct(&env);
    assert_eq!(deck_counts(&env), (0, 0, 0));
    let card = env.json(&["card", "mini/islands.2", "--json"]);
    assert_eq!(card["state"]["phase"], "review");
}

#[test]
fn killing_the_process_mid_session_loses_no_answered_card() {
    let env = Env::new(&[MINI]);
    let cards = cards_in(MINI);
    let mut driver = Driver::start(&env, &["--seed", "3"]);
    for _ in 0..4 {
        let block = driver.next_card().unwrap();
        let card = card_for(&cards, &block);
        driver.send(&right_answer(card, &block));
        driver.until(&["]: "]).unwrap();
        driver.send("");
    }
    // The fifth card is on screen, so the fourth answer has been saved.
    let block = driver.next_card().unwrap();
    // Answer it too, but kill before the action line: that answer is in flight.
    let card = card_for(&cards, &block);
    driver.send(&right_answer(card, &block));
    driver.until(&["]: "]).unwrap();
    driver.child.kill().unwrap();
    driver.child.wait().unwrap();
    assert_eq!(env.review_count(), 4);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    // The next run picks up where the learner was.
    let (new, _, _) = {
        let v = env.json(&["decks", "--json"]);
        (v["decks"][0]["new"].as_i64().unwrap(), 0, 0)
    };
    assert_eq!(new, 8 - 4);
}

#[test]
fn end_of_input_saves_the_answer_given() {
    let env = Env::new(&[MINI]);
    // Seed 1 asks the year card first; no action line follows the answer.
    let (code, out, _) = env.run(&["study", "--seed", "1"], "1925\n");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("✓ correct — 1925"), "{out}");
    assert_eq!(env.review_count(), 1);
    let card = env.json(&["card", "mini/recognition-year", "--json"]);
    assert_eq!(card["reviews"][0]["answer"], "1925");
}

#[test]
fn an_ungraded_basic_reveal_is_not_saved_at_end_of_input() {
    let env = Env::new(&[MINI]);
    // The every-type transcript's input without its last line: input ends
    // with the basic card revealed and not yet graded.
    let input = "1925\n\nLaxmann\n\n2\ne\nmaybe\nf\n\n:h\netorofu\nu\nEtorofu\n\n1 2 3\n\n\n";
    let (code, out, err) = env.run(&["study", "--seed", "1", "--plain"], input);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("  answer: Alexander I"), "{out}");
    assert!(
        out.contains("Session: 6 answered · 83% remembered (3 correct, 1 close, 2 wrong) · "),
        "the summary counts only what was saved:\n{out}"
    );
    assert_eq!(env.review_count(), 6);
    let card = env.json(&["card", "mini/rezanov", "--json"]);
    assert_eq!(card["reviews"].as_array().map_or(0, Vec::len), 0, "{card}");
}

#[test]
fn quitting_on_an_ungraded_basic_reveal_does_not_save_it() {
    let env = Env::new(&[MINI]);
    let input = "1925\n\nLaxmann\n\n2\ne\nmaybe\nf\n\n:h\netorofu\nu\nEtorofu\n\n1 2 3\n\n\nq\n";
    let (code, out, err) = env.run(&["study", "--seed", "1", "--plain"], input);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Session: 6 answered"), "{out}");
    assert_eq!(env.review_count(), 6);
}

#[test]
fn suspending_or_burying_an_ungraded_basic_reveal_does_not_save_it() {
    // The every-type transcript's input up to the basic card's reveal, then
    // s or b on its grade line.
    let before = "1925\n\nLaxmann\n\n2\ne\nmaybe\nf\n\n:h\netorofu\nu\nEtorofu\n\n1 2 3\n\n\n";
    for (key, done) in [("s", "suspended"), ("b", "buried until tomorrow")] {
        let env = Env::new(&[MINI]);
        let input = format!("{before}{key}\n:q\n");
        let (code, out, err) = env.run(&["study", "--seed", "1", "--plain"], &input);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains(&format!("  {done}: mini/rezanov")), "{out}");
        assert!(!out.contains("saved; "), "nothing was saved for it:\n{out}");
        assert!(out.contains("Session: 6 answered"), "{out}");
        assert_eq!(env.review_count(), 6, "{key}");
        let card = env.json(&["card", "mini/rezanov", "--json"]);
        assert_eq!(card["reviews"].as_array().map_or(0, Vec::len), 0, "{card}");
        if key == "s" {
            assert_eq!(card["state"]["suspended"], true, "{card}");
        }
    }
}

#[test]
fn regrade_on_the_action_line_is_what_is_saved() {
    let env = Env::new(&[MINI]);
    let (code, out, _) = env.run(&["study", "--seed", "1"], "1925\ne\n");
    assert_eq!(code, 0);
    assert!(out.contains("saved as easy"), "{out}");
    let card = env.json(&["card", "mini/recognition-year", "--json"]);
    assert_eq!(card["reviews"][0]["rating"], 4);
    assert_eq!(card["reviews"][0]["verdict"], "correct");
    assert_eq!(card["state"]["phase"], "review");
}

#[test]
fn undo_takes_back_answers() {
    let env = Env::new(&[MINI]);
    // A wrong answer taken back on the action line, then answered right.
    let (code, out, _) = env.run(
        &["study", "--seed", "1"],
        "1950\nu\n1925\n\n:u\n1925\n\n:q\n",
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("✗ wrong"), "{out}");
    assert!(out.contains("answer taken back"), "{out}");
    assert!(
        out.contains("undone: your answer to mini/recognition-year"),
        "{out}"
    );
    let card = env.json(&["card", "mini/recognition-year", "--json"]);
    let reviews = card["reviews"].as_array().unwrap();
    assert_eq!(reviews.len(), 1, "{card}");
    assert_eq!(reviews[0]["answer"], "1925");
    assert_eq!(env.review_count(), 1);
}

#[test]
fn bad_input_is_asked_again() {
    let env = Env::new(&[MINI]);
    let (code, out, _) = env.run(&["study", "--seed", "1"], "nineteen\n1925\n\n:q\n");
    assert_eq!(code, 0);
    assert!(out.contains("type a year, like 1905"), "{out}");
    assert_eq!(env.review_count(), 1);
}

#[test]
fn the_same_seed_replays_the_same_session() {
    let a = Env::new(&[MINI]);
    let b = Env::new(&[MINI]);
    let input = "x\n\nx\n\nx\n\nx\n\n";
    let (_, out_a, _) = a.run(&["study", "--seed", "99"], input);
    let (_, out_b, _) = b.run(&["study", "--seed", "99"], input);
    assert_eq!(
        out_a.replace(|c: char| c.is_ascii_digit(), "#"),
        out_b.replace(|c: char| c.is_ascii_digit(), "#")
    );
    let headers = |s: &str| {
        s.lines()
            .filter(|l| l.starts_with('['))
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert_eq!(headers(&out_a), headers(&out_b));
}

/// A study folder of one typed card, written into the test's own folder so
/// that `deck fmt --with-aliases` may write to it.
pub fn one_typed_card() -> Env {
    let mut env = Env::new(&[]);
    let decks = env.dir.path().join("decks");
    std::fs::create_dir_all(&decks).unwrap();
    std::fs::write(
        decks.join("navigators.toml"),
        "format = 1\n\n[deck]\nid = \"navigators\"\ntitle = \"Navigators\"\n\n\
         # Laxman's voyage of 1792.\n\
         [[cards]]\nid = \"laxman\"\ntype = \"typed\"\n\
         q = \"Which Russian navigator brought the castaway Kōdayū home?\"\n\
         a = \"Adam Laxman\"\naccept = [\"Laxman\"]  # his surname alone\n",
    )
    .unwrap();
    env.decks = vec![decks];
    env
}

#[test]
fn i_was_right_on_the_action_line_saves_the_answer_as_correct_and_accepts_it_next_time() {
    let mut env = one_typed_card();
    // The card comes back as a learning card in the same session: quit there.
    let (code, out, err) = env.run(&["study", "--plain"], "Rakusuman\nr\n:q\n");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("✗ wrong"), "{out}");
    assert!(out.contains("r = I was right"), "{out}");
    assert!(
        out.contains("saved as correct; Rakusuman is accepted for this card from now on"),
        "{out}"
    );
    let card = env.json(&["card", "navigators/laxman", "--json"]);
    let reviews = card["reviews"].as_array().unwrap();
    assert_eq!(reviews.len(), 1, "one review for one answer: {card}");
    assert_eq!(reviews[0]["verdict"], "correct", "{card}");
    assert_eq!(reviews[0]["rating"], 3, "{card}");
    assert_eq!(card["accepted"], serde_json::json!(["Rakusuman"]), "{card}");
    let shown = env.ok(&["card", "navigators/laxman"]);
    assert!(
        shown.contains("\nA: Adam Laxman\nalso accepted here: Rakusuman\n"),
        "{shown}"
    );
    // The author is handed it: as TOML to paste, then written into the file.
    let file = env.decks[0].join("navigators.toml");
    let aliases = env.ok(&["deck", "aliases"]);
    assert_eq!(
        aliases,
        format!(
            "# {} (deck navigators)\n[[cards]]\nid = \"laxman\"\naccept = [\"Laxman\", \"Rakusuman\"]\n",
            file.display()
        )
    );
    let before = std::fs::read_to_string(&file).unwrap();
    let out = env.ok(&["deck", "fmt", "--with-aliases", file.to_str().unwrap()]);
    assert!(out.contains("1 of 1 file reformatted"), "{out}");
    let after = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        after,
        before.replace(
            "accept = [\"Laxman\"]  # his surname alone",
            "accept = [\"Laxman\", \"Rakusuman\"]  # his surname alone"
        ),
        "comments and layout are kept"
    );
    let out = env.ok(&["deck", "fmt", "--with-aliases", file.to_str().unwrap()]);
    assert!(out.contains("0 of 1 file reformatted"), "{out}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), after);
    // The next day the same answer, however it is capitalised, is right.
    env.at("2026-03-03T09:00:00+00:00");
    let (code, out, err) = env.run(&["study", "--plain"], "RAKUSUMAN\n\n:q\n");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("✓ correct"), "{out}");
    assert!(!out.contains("I was right"), "{out}");
    // A right answer has nothing to overrule: `r` is not a word there.
    env.at("2026-03-20T09:00:00+00:00");
    let (code, out, err) = env.run(&["study", "--plain"], "Laxman\nr\n\n:q\n");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("press enter or type"), "{out}");
}

#[test]
fn a_cloze_gap_accepted_on_the_action_line_is_written_into_its_gap() {
    let mut env = Env::new(&[]);
    let decks = env.dir.path().join("decks");
    std::fs::create_dir_all(&decks).unwrap();
    let file = decks.join("islands.toml");
    std::fs::write(
        &file,
        "format = 1\n\n[deck]\nid = \"islands\"\ntitle = \"Islands\"\n\n\
         [[cards]]\nid = \"names\"\ntype = \"cloze\"\n\
         text = \"The Japanese call Iturup {{Etorofu}} and Kunashir {{Kunashiri}}.\"  # two gaps\n",
    )
    .unwrap();
    env.decks = vec![decks];
    // Gap 1 asked first; "Iturup" is the Russian name, accepted by the learner.
    let (code, out, err) = env.run(&["study", "--plain"], "Iturup\nr\n:q\n");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("saved as correct"), "{out}");
    let aliases = env.ok(&["deck", "aliases", "islands"]);
    assert!(
        aliases.contains(
            "[[cards]]\nid = \"names\"\n# gap 1 of `text`, written with the answers accepted here: {{Etorofu|Iturup}}\n"
        ),
        "{aliases}"
    );
    env.ok(&["deck", "fmt", "--with-aliases", file.to_str().unwrap()]);
    let after = std::fs::read_to_string(&file).unwrap();
    assert!(
        after.contains(
            "text = \"The Japanese call Iturup {{Etorofu|Iturup}} and Kunashir {{Kunashiri}}.\"  # two gaps\n"
        ),
        "{after}"
    );
    let out = env.ok(&["deck", "fmt", "--with-aliases", file.to_str().unwrap()]);
    assert!(out.contains("0 of 1 file reformatted"), "{out}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), after);
}
