//! The key table's own rules: no key means two things in one place, every
//! binding can be pressed where it applies, every footer fits the screen,
//! and line mode's prompts read as they always have.

use super::*;

/// Every place in study and in a quiz.
fn everywhere() -> Vec<At> {
    Place::ALL
        .iter()
        .flat_map(|&place| [false, true].map(|quiz| At { place, quiz }))
        .collect()
}

#[test]
fn no_two_actions_share_a_key_or_a_word_in_one_place() {
    for at in everywhere() {
        let bindings: Vec<&Binding> = here(at).collect();
        for (i, a) in bindings.iter().enumerate() {
            for b in &bindings[i + 1..] {
                if a.action == b.action {
                    continue;
                }
                for key in a.keys {
                    assert!(
                        !(key.usable(at.place) && b.keys.contains(key)),
                        "{key:?} is both {:?} and {:?} at {at:?}",
                        a.action,
                        b.action
                    );
                }
                for word in a.line {
                    assert!(
                        !b.line.iter().any(|w| w.eq_ignore_ascii_case(word)),
                        "{word:?} is both {:?} and {:?} at {at:?}",
                        a.action,
                        b.action
                    );
                }
            }
        }
    }
}

#[test]
fn every_binding_can_be_pressed_where_it_applies() {
    for at in everywhere() {
        for b in here(at) {
            // A binding of line mode only (the hint) has no keys at all.
            if b.keys.is_empty() {
                assert!(
                    !b.line.is_empty(),
                    "{:?} can be neither pressed nor typed",
                    b.action
                );
                continue;
            }
            let usable: Vec<Key> = b
                .keys
                .iter()
                .copied()
                .filter(|k| k.usable(at.place))
                .collect();
            assert!(
                !usable.is_empty(),
                "{:?} has no key that works at {at:?}",
                b.action
            );
            for key in usable {
                assert_eq!(action(key, at), Some(b.action), "{key:?} at {at:?}");
            }
        }
    }
}

#[test]
fn letters_are_typed_not_commands_while_an_answer_is_typed() {
    for quiz in [false, true] {
        let at = At {
            place: Place::Typing,
            quiz,
        };
        for c in ['q', 'u', 's', 'b', '?', '1', ' '] {
            assert_eq!(action(Key::Char(c), at), None, "{c:?}");
        }
        assert_eq!(action(Key::Ctrl('z'), at), Some(Action::Undo));
        assert_eq!(action(Key::Ctrl('c'), at), Some(Action::Quit));
        assert_eq!(action(Key::F1, at), Some(Action::Help));
        assert_eq!(action(Key::Enter, at), Some(Action::Check));
    }
}

#[test]
fn a_quiz_neither_suspends_nor_buries_nor_regrades_a_checked_answer() {
    let at = At {
        place: Place::Checked,
        quiz: true,
    };
    assert_eq!(action(Key::Char('s'), at), None);
    assert_eq!(action(Key::Char('b'), at), None);
    // A grade key only goes on.
    assert_eq!(action(Key::Char('3'), at), Some(Action::Next));
    assert_eq!(line_action("g", at), None);
    let footer = footer_line(at, 200);
    assert!(
        !footer.contains("suspend") && !footer.contains("bury") && !footer.contains("grade"),
        "{footer}"
    );
}

#[test]
fn every_footer_fits_80_columns_and_keeps_the_main_action_quit_and_help() {
    for at in everywhere()
        .into_iter()
        .filter(|at| at.place != Place::Help)
    {
        let line = footer_line(at, 80);
        assert!(line.chars().count() <= 80, "{at:?}: {line}");
        let main = here(at)
            .filter_map(|b| b.footer.filter(|f| f.keep == 9))
            .count();
        assert!(main >= 1, "{at:?} has no main action in its footer");
        // The pager has no help to open.
        let needed: &[&str] = if at.place == Place::Pager {
            &["quit"]
        } else {
            &["quit", "help"]
        };
        for word in needed {
            assert!(line.contains(word), "{at:?}: {line}");
        }
    }
}

#[test]
fn a_narrow_footer_leaves_out_the_least_needed_first() {
    let at = At {
        place: Place::Checked,
        quiz: false,
    };
    assert_eq!(
        footer_line(at, 200),
        " enter accept · 1-4 regrade · s suspend · b bury · u undo · q quit · ? help"
    );
    assert_eq!(
        footer_line(at, 60),
        " enter accept · 1-4 regrade · u undo · q quit · ? help"
    );
    assert_eq!(footer_line(at, 30), " enter accept · q quit");
    assert_eq!(footer_line(at, 5), "");
    let pager = At {
        place: Place::Pager,
        quiz: false,
    };
    assert_eq!(footer_line(pager, 60), " ↑↓ pgup pgdn scroll · q quit");
    // While typing, the Ctrl forms are the ones named.
    let typing = At {
        place: Place::Typing,
        quiz: false,
    };
    assert_eq!(
        footer_line(typing, 80),
        " enter check · ctrl-s suspend · ctrl-z undo · ctrl-c quit · F1 help"
    );
}

#[test]
fn line_mode_reads_its_words_from_the_table() {
    let question = At {
        place: Place::Typing,
        quiz: false,
    };
    assert_eq!(line_action(":q", question), Some(Action::Quit));
    assert_eq!(line_action(" :hint ", question), Some(Action::Hint));
    assert_eq!(line_action(":s", question), Some(Action::Suspend));
    // An answer is never a command, and a command needs its colon.
    assert_eq!(line_action("q", question), None);
    assert_eq!(line_action(":", question), None);
    assert_eq!(
        line_action(
            ":s",
            At {
                quiz: true,
                ..question
            }
        ),
        None
    );
    let checked = At {
        place: Place::Checked,
        quiz: false,
    };
    assert_eq!(line_action("", checked), Some(Action::Accept));
    assert_eq!(line_action("h", checked), Some(Action::Grade));
    assert_eq!(line_action("Easy", checked), Some(Action::Grade));
    assert_eq!(line_action("u", checked), Some(Action::Undo));
    assert_eq!(line_action(":q", checked), None);
}

#[test]
fn line_mode_prompts_are_built_from_the_table() {
    let checked = At {
        place: Place::Checked,
        quiz: false,
    };
    assert_eq!(
        line_prompt(checked, "hard"),
        "[enter = hard, a/h/g/e = regrade, s = suspend, b = bury, u = undo, q = quit]: "
    );
    assert_eq!(
        line_prompt(
            At {
                quiz: true,
                ..checked
            },
            "good"
        ),
        "[enter = next, u = undo, q = quit]: "
    );
    assert_eq!(
        line_prompt(
            At {
                place: Place::SelfGraded,
                quiz: true
            },
            "good"
        ),
        "grade [enter = good, 1-4 or a/h/g/e, u = undo, q = quit]: "
    );
    assert_eq!(
        line_reminder(checked),
        "press enter or type a/h/g/e, s, b, u or q"
    );
    assert_eq!(
        line_reminder(At {
            quiz: true,
            ..checked
        }),
        "press enter or type u or q"
    );
}

#[test]
fn the_help_overlay_has_a_row_for_every_key_it_names_and_fits() {
    for quiz in [false, true] {
        let rows = help_rows(quiz);
        assert!(rows.len() + 2 <= 24, "{} rows", rows.len());
        assert_eq!(rows[0], ("Answering", ""));
        for (keys, what) in &rows {
            // Drawn as two spaces, the keys in 20 columns, and what they
            // do, inside a box 76 wide.
            assert!(keys.chars().count() < 20, "{keys}");
            assert!(what.chars().count() <= 52, "{what}");
        }
        let suspends = rows.iter().any(|(_, what)| what.contains("suspend"));
        assert_eq!(suspends, !quiz);
    }
}

#[test]
fn i_was_right_is_offered_only_on_a_typed_answer_judged_wrong_or_close() {
    for quiz in [false, true] {
        let disputable = At {
            place: Place::Disputable,
            quiz,
        };
        let checked = At {
            place: Place::Checked,
            quiz,
        };
        assert_eq!(action(Key::Char('r'), disputable), Some(Action::Overrule));
        assert_eq!(line_action("r", disputable), Some(Action::Overrule));
        assert_eq!(line_action("Right", disputable), Some(Action::Overrule));
        assert_eq!(action(Key::Char('r'), checked), None);
        assert_eq!(line_action("r", checked), None);
        assert!(footer_line(disputable, 200).contains("r I was right"));
        assert!(!footer_line(checked, 200).contains("right"));
        // Everything a checked answer takes works on a disputable one.
        assert_eq!(line_action("", disputable), line_action("", checked));
        assert_eq!(line_action("u", disputable), Some(Action::Undo));
        let typing = At {
            place: Place::Typing,
            quiz,
        };
        assert_eq!(line_action(":r", typing), None);
        assert!(help_rows(quiz).iter().any(|(keys, _)| *keys == "r"));
    }
    let study = At {
        place: Place::Disputable,
        quiz: false,
    };
    assert_eq!(
        line_prompt(study, "again"),
        "[enter = again, a/h/g/e = regrade, r = I was right, s = suspend, b = bury, u = undo, q = quit]: "
    );
    assert_eq!(
        footer_line(study, 80),
        " enter accept · 1-4 regrade · r I was right · u undo · q quit · ? help"
    );
    assert_eq!(
        line_prompt(
            At {
                quiz: true,
                ..study
            },
            "again"
        ),
        "[enter = next, r = I was right, u = undo, q = quit]: "
    );
}
