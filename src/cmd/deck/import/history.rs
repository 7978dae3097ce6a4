//! `kioku deck import FILE --with-history`: the deck written where kioku
//! loads decks, synced, and Anki's review log added to kioku's, so that
//! every card keeps its memory (kioku's replay of the same answers) and
//! its due date (Anki's). Run twice, it adds nothing.

use super::{check_size, history_target};
use crate::cli::DeckImportArgs;
use crate::cmd::{write_file, Context};
use crate::deck::write;
use crate::files::Existing;
use crate::human::{plural, thousands};
use crate::import::history::{carry, History};
use crate::import::{Built, Imported};
use crate::store::{outside, Added, Imported as Review};
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
    let mut store = ctx.open_store()?;
    let scheduler = ctx.scheduler(&store.settings()?)?;
    let imported_cards: HashMap<i64, bool> = imported
        .cards
        .iter()
        .map(|c| (c.id, built.cards.contains_key(&c.id)))
        .collect();
    let history = carry(imported, &imported_cards, scheduler.clock());
    // A card whose reviews are here already keeps the id that holds them,
    // however its note was edited in Anki since.
    let studied = studied_before(&store, &history, &built.deck.id)?;
    let mut built = built.clone();
    built.keep_ids(&studied);
    let text = write::to_toml(&built.deck, comment);
    check_size(&text, &crate::text::path(&args.file))?;
    let kept = place_deck(&path, &text, args.force)?;
    let synced = ctx.sync_decks(&mut store)?;
    let ours = |d: &&crate::store::SyncedDeck| {
        let (a, b) = (Path::new(&d.origin).canonicalize(), path.canonicalize());
        d.id == built.deck.id && matches!((a, b), (Ok(a), Ok(b)) if a == b)
    };
    if !synced.iter().any(|d| ours(&d)) {
        bail!(
            "{} holds the deck, but this run loads another deck `{}` (or none) in its place, \
             so its history cannot be added; give the deck its own id with --id",
            crate::text::path(&path),
            crate::text::quote(&built.deck.id)
        );
    }
    // Each Anki card's row here, looked up once rather than per review.
    let mut rows = store.card_rows()?;
    let by_anki: HashMap<i64, CardRowId> = built
        .cards
        .iter()
        .filter_map(|(anki, key)| {
            Some((*anki, rows.remove(&(built.deck.id.clone(), key.clone()))?))
        })
        .collect();
    let row_of = |anki: i64| by_anki.get(&anki).copied();
    let (reviews, refused) = reviews(&history, &row_of, Millis::from(ctx.now));
    let added = store.import_reviews(&reviews, &scheduler)?;
    // Suspended as in Anki, once: a card studied here before is the
    // learner's to suspend or not.
    let mut suspended = 0;
    for row in history
        .suspended
        .iter()
        .filter(|c| !studied.contains_key(c))
        .filter_map(|&c| row_of(c))
    {
        store.set_suspended(row, true)?;
        suspended += 1;
    }
    eprintln!(
        "{}{}{}{}",
        imported.report(&built),
        placed(&path, kept, &built.deck.id, ctx),
        carried(&history, &added, refused, suspended),
        parameters_advice(&imported.fsrs_parameters, scheduler.parameters())
    );
    Ok(ExitCode::SUCCESS)
}

/// Anki's card id → the id of the kioku card in `deck` that already holds
/// one of its reviews.
fn studied_before(
    store: &crate::store::Store,
    history: &History,
    deck: &str,
) -> Result<HashMap<i64, String>> {
    let moments = store.review_moments(deck)?;
    let mut out = HashMap::new();
    for r in &history.reviews {
        if let Some(key) = moments.get(&r.at) {
            out.entry(r.card).or_insert_with(|| key.clone());
        }
    }
    Ok(out)
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
        if outside::check_time(r.at, now).is_err() {
            refused += 1;
            continue;
        }
        // A due moment that cannot be is Anki's to have got wrong; the
        // answer itself still counts, and kioku chooses the due moment.
        let kept_due = r
            .kept_due
            .filter(|&due| outside::check_kept_due(due, r.at).is_ok());
        out.push(Review {
            card_row,
            at: r.at,
            rating: r.rating,
            // Anki's timer stops at minutes; longer is kept as the most
            // kioku believes of any answer, as a merge keeps it.
            duration_ms: r.duration_ms.map(|d| d.min(outside::MAX_DURATION_MS)),
            utc_offset: None,
            kept_due,
            balanced_due: None,
        });
    }
    (out, refused)
}

/// What the history import did, in a few lines.
fn carried(history: &History, added: &Added, refused: usize, suspended: usize) -> String {
    let (added, known) = (added.added, added.known);
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
    if history.incomplete > 0 {
        out.push_str(&format!(
            "\n{} card{}' Anki logs start after their first learning (cleared, or brought in with a schedule): \
             kioku counts their memory from the first answer there is, Anki from its old ease",
            thousands(history.incomplete),
            plural(history.incomplete)
        ));
    }
    if refused > 0 {
        out.push_str(&format!(
            "\nrefused {} review{} dated in the future",
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
