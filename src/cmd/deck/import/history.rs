//! `kioku deck import FILE --with-history`: the deck written where kioku
//! loads decks, synced, and Anki's review log added to kioku's, so that
//! every card keeps its memory (kioku's replay of the same answers) and
//! its due date (Anki's). Run twice, it adds nothing.

use super::history_target;
use crate::cli::DeckImportArgs;
use crate::cmd::{write_file, Context};
use crate::deck::write;
use crate::files::Existing;
use crate::human::{plural, thousands};
use crate::import::history::{carry, History};
use crate::import::{Built, Imported};
use crate::store::{outside, Imported as Review};
use crate::types::{CardRowId, Millis};
use anyhow::{bail, Result};
use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

pub(super) fn run(
    args: &DeckImportArgs,
    ctx: &Context,
    imported: &Imported,
    built: &Built,
    comment: &str,
) -> Result<ExitCode> {
    if imported.timing.is_none() {
        bail!(
            "{}: an Anki text export holds no reviews; export an Anki package with \
             \"Include scheduling information\" (or a .colpkg backup) and import that",
            crate::text::path(&args.file)
        );
    }
    let path = history_target(args, ctx, &built.deck.id)?;
    let kept = place_deck(&path, &write::to_toml(&built.deck, comment), args.force)?;
    let mut store = ctx.open_store()?;
    let synced = ctx.sync_decks(&mut store)?;
    if !synced.iter().any(|d| d.id == built.deck.id) {
        bail!(
            "{} was written, but this run does not load it, so its history cannot be added; \
             leave out --out, or pass --decks with its folder",
            crate::text::path(&path)
        );
    }
    let scheduler = ctx.scheduler(&store.settings()?)?;
    let imported_cards: HashMap<i64, bool> = imported
        .cards
        .iter()
        .map(|c| (c.id, built.cards.contains_key(&c.id)))
        .collect();
    let history = carry(imported, &imported_cards, scheduler.clock());
    let rows = store.card_rows()?;
    let row_of = |anki: i64| {
        let key = built.cards.get(&anki)?;
        rows.get(&(built.deck.id.clone(), key.clone())).copied()
    };
    let (reviews, refused) = reviews(&history, &row_of, Millis::from(ctx.now));
    let added = store.import_reviews(&reviews, &scheduler)?;
    let mut suspended = 0;
    for row in history.suspended.iter().filter_map(|&c| row_of(c)) {
        store.set_suspended(row, true)?;
        suspended += 1;
    }
    eprintln!(
        "{}{}{}{}",
        imported.report(built),
        placed(&path, kept, &built.deck.id, ctx),
        carried(&history, added.added, added.known, refused, suspended),
        parameters_advice(&imported.fsrs_parameters, scheduler.parameters())
    );
    Ok(ExitCode::SUCCESS)
}

/// Where the deck went, and how to study it in the folders this run loads.
fn placed(path: &Path, kept: bool, id: &str, ctx: &Context) -> String {
    let shown = crate::text::path(path);
    let decks: String = ctx
        .deck_dirs
        .iter()
        .map(|d| format!("--decks {} ", crate::text::path(d)))
        .collect();
    if kept {
        format!("\n{shown} is already this deck; kept it")
    } else {
        format!("\nwrote {shown}; study it with `kioku {decks}study {id}`")
    }
}

/// Writes the deck file at `path`, unless it is already there as made
/// (then returns `true`). One that differs is replaced only with `force`.
fn place_deck(path: &Path, text: &str, force: bool) -> Result<bool> {
    if let Ok(existing) = std::fs::read(path) {
        if existing == text.as_bytes() {
            return Ok(true);
        }
        if !force {
            bail!(
                "{} already exists and differs from the deck this package makes; \
                 pass --force to replace it (each card whose id stays keeps its history)",
                crate::text::path(path)
            );
        }
    }
    let existing = if force {
        Existing::Replace
    } else {
        Existing::Refuse
    };
    write_file(
        path,
        text.as_bytes(),
        existing,
        "pass --force to replace it",
    )?;
    Ok(false)
}

/// The carried reviews as the store imports them, each checked as every
/// review from outside is; those refused are counted.
fn reviews(
    history: &History,
    row_of: &dyn Fn(i64) -> Option<CardRowId>,
    now: Millis,
) -> (Vec<Review>, usize) {
    let mut out = Vec::with_capacity(history.reviews.len());
    let mut refused = 0;
    for r in &history.reviews {
        let Some(card_row) = row_of(r.card) else {
            continue;
        };
        let fits = outside::check_time(r.at, now).is_ok()
            && outside::check_duration(r.duration_ms).is_ok()
            && r.kept_due
                .is_none_or(|due| outside::check_kept_due(due, r.at).is_ok());
        if !fits {
            refused += 1;
            continue;
        }
        out.push(Review {
            card_row,
            at: r.at,
            rating: r.rating,
            duration_ms: r.duration_ms,
            utc_offset: None,
            kept_due: r.kept_due,
        });
    }
    (out, refused)
}

/// What the history import did, in a few lines.
fn carried(
    history: &History,
    added: usize,
    known: usize,
    refused: usize,
    suspended: usize,
) -> String {
    let mut out = format!(
        "\ncarried {} review{} from Anki ({} already here)",
        thousands(added),
        plural(added),
        thousands(known)
    );
    for (why, n) in &history.left_out {
        out.push_str(&format!(
            "\nleft out {} log entr{} {why}",
            thousands(*n),
            if *n == 1 { "y" } else { "ies" }
        ));
    }
    if refused > 0 {
        out.push_str(&format!(
            "\nrefused {} review{} dated in the future or lasting over six hours",
            thousands(refused),
            plural(refused)
        ));
    }
    if suspended > 0 {
        out.push_str(&format!(
            "\n{} card{} suspended, as in Anki (`kioku card` shows them)",
            thousands(suspended),
            plural(suspended)
        ));
    }
    out
}

/// What to do when Anki's presets hold FSRS parameters other than the ones
/// kioku replayed the history with: the memories come out as Anki's only
/// with Anki's parameters.
fn parameters_advice(anki: &[Vec<f32>], ours: &[f32]) -> String {
    match anki {
        [one] if one.as_slice() != ours => format!(
            "\nAnki's preset has FSRS parameters of its own; to give these cards the memory Anki gives them, \
             use them here too: kioku config fsrs_parameters \"{}\"",
            one.iter().map(f32::to_string).collect::<Vec<_>>().join(", ")
        ),
        [_, _, ..] => "\nAnki's presets hold several sets of FSRS parameters; kioku uses one set for \
             every deck: `kioku optimize` fits one to the history just brought over"
            .to_string(),
        _ => String::new(),
    }
}
