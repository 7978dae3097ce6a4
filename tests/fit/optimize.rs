//! `kioku optimize` keeps new parameters only when they predict the same
//! reviews better than the current ones (or with `--force`), and says which
//! it kept and why.

use super::import_a_better_learner;
use crate::common::Env;

fn f(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// The log loss the decision was made on, new and current.
fn decided_on(report: &serde_json::Value) -> (f64, f64) {
    (
        f(&report["after"]["evaluation"]["crate_log_loss"]),
        f(&report["before"]["evaluation"]["crate_log_loss"]),
    )
}

/// The kept parameters are the better ones, and only new ones are saved.
fn assert_decision_follows_the_figures(report: &serde_json::Value) {
    let (new, current) = decided_on(report);
    let better = new < current;
    assert_eq!(report["new_predict_better"], better, "{report}");
    assert_eq!(
        report["kept"],
        if better { "new" } else { "current" },
        "{report}"
    );
    assert_eq!(report["saved"], better, "{report}");
}

#[test]
fn optimize_keeps_new_parameters_only_when_they_predict_better() {
    let mut env = Env::new(&[]);
    import_a_better_learner(&mut env);

    // From the defaults, the fit predicts this learner better: kept.
    let first = env.json(&["optimize", "--json"]);
    assert_decision_follows_the_figures(&first);
    assert_eq!(first["kept"], "new");
    let saved = env.ok(&["config", "fsrs_parameters"]);

    // Fitted again to the same reviews, the new parameters are no better
    // than the ones fitted last time (the fit is deterministic: they are
    // the same): the current ones stay, and nothing is saved or rebuilt.
    let second = env.json(&["optimize", "--json"]);
    assert_decision_follows_the_figures(&second);
    assert_eq!(second["kept"], "current", "{second}");
    assert!(second["rebuilt"].is_null(), "{second}");
    assert_eq!(env.ok(&["config", "fsrs_parameters"]), saved);

    let text = env.ok(&["optimize"]);
    let (new, current) = decided_on(&second);
    let said = format!(
        "kept the current parameters: the new ones predict these reviews no better \
         (log loss {new:.4} for the new ones against {current:.4} for the current ones, \
         weighted by recency as Anki compares them);\n\
         `kioku optimize --force` keeps the new ones anyway\nnothing saved\n"
    );
    assert!(text.ends_with(&said), "{text}");

    // --force keeps them anyway, and says so.
    let forced = env.ok(&["optimize", "--force"]);
    assert!(
        forced.contains(
            "kept the new parameters (--force), though they predict these reviews no better"
        ),
        "{forced}"
    );
    assert!(
        forced.contains("saved as fsrs_parameters; replayed "),
        "{forced}"
    );
    let (code, _, err) = env.run(&["optimize", "--force", "--dry-run"], "");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot be used with"), "{err}");
}

#[test]
fn worse_current_parameters_are_replaced_and_the_reason_given() {
    let mut env = Env::new(&[]);
    import_a_better_learner(&mut env);
    // Parameters far from this learner: first stabilities a tenth of the defaults'.
    let mut w = fsrs::DEFAULT_PARAMETERS.to_vec();
    for p in &mut w[0..4] {
        *p /= 10.0;
    }
    let far: Vec<String> = w.iter().map(|p| p.to_string()).collect();
    let far = far.join(", ");
    env.ok(&["config", "fsrs_parameters", &far]);
    assert_eq!(env.ok(&["config", "fsrs_parameters"]).trim(), far);
    let dry = env.json(&["optimize", "--dry-run", "--json"]);
    assert_eq!(dry["kept"], "new", "{dry}");
    assert_eq!(dry["saved"], false, "{dry}");
    let (new, current) = decided_on(&dry);
    assert!(new < current, "{dry}");
    let text = env.ok(&["optimize", "--dry-run"]);
    assert!(
        text.contains("would keep the new parameters: they predict these reviews better")
            && text.ends_with("nothing saved (--dry-run)\n"),
        "{text}"
    );

    let text = env.ok(&["optimize"]);
    let said = format!(
        "kept the new parameters: they predict these reviews better \
         (log loss {new:.4} for the new ones against {current:.4} for the current ones, \
         weighted by recency as Anki compares them)\nsaved as fsrs_parameters; replayed "
    );
    assert!(text.contains(&said), "{text}");
    assert!(
        text.contains("current (fitted)") && text.contains("new (fitted now)"),
        "{text}"
    );
    assert_ne!(
        env.ok(&["config", "fsrs_parameters"]).trim(),
        far,
        "replaced"
    );
}
