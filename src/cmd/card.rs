//! `kioku card DECK/CARD`: one card's content, state, reviews and due-date
//! moves, as text
//! through the card presenter (`ui::present`) or as a JSON document. It
//! must never word a card's fields itself; the presenter does, for every
//! front-end.

use super::Context;
use crate::cli::CardArgs;
use crate::scheduler::Scheduler;
use crate::settings::Settings;
use crate::store::{CardRecord, MoveRecord, ReviewRecord, Store};
use crate::ui::present::{self, ReviewFigures, Role, Shown};
use anyhow::{bail, Result};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use std::io::{self, Write};
use std::process::ExitCode;

pub fn run(args: CardArgs, ctx: &Context) -> Result<ExitCode> {
    let Some((deck, key)) = args.card.split_once('/') else {
        bail!("name the card as DECK/CARD, for example tsarist-era/shimoda-treaty-year");
    };
    let mut store = ctx.open_store()?;
    ctx.sync_decks(&mut store)?;
    let record = find(&store, deck, key)?;
    let settings = store.settings()?;
    let scheduler = ctx.scheduler(&settings)?;
    let reviews = store.card_reviews(record.row)?;
    let accepted = store.accepted_answers(record.row)?;
    let moves = store.card_moves(record.row)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        let mut doc = document(&record, &reviews, &accepted, &settings, &scheduler, ctx);
        doc["moves"] = moves
            .iter()
            .map(|m| {
                json!({
                    "at": present::timestamp(m.at, ctx.offset),
                    "due": present::timestamp(m.due, ctx.offset),
                    "reason": m.reason.as_str(),
                })
            })
            .collect();
        crate::json::write_pretty(&mut out, &doc)?;
        writeln!(out)?;
    } else {
        let recall = record
            .state
            .and_then(|s| scheduler.retrievability(&s, ctx.now));
        print(
            &mut out,
            &present::record(&figures(&record, &reviews, &accepted, recall, ctx)),
        )?;
        print_moves(&mut out, &moves, ctx)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The card named, or an error that names the close ones.
fn find(store: &Store, deck: &str, key: &str) -> Result<CardRecord> {
    if let Some(record) = store.find_card(deck, key)? {
        return Ok(record);
    }
    let keys = store.card_keys(deck)?;
    if keys.is_empty() {
        bail!("no deck `{deck}` in the database");
    }
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let close: Vec<&str> = crate::fold::close_matches(key, &keys)
        .into_iter()
        .take(5)
        .collect();
    if close.is_empty() {
        bail!("no card `{key}` in deck `{deck}`");
    }
    bail!(
        "no card `{key}` in deck `{deck}`; did you mean {}?",
        close
            .iter()
            .map(|k| format!("`{deck}/{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

/// The card, its state and its reviews for `--json`.
fn document(
    record: &CardRecord,
    reviews: &[ReviewRecord],
    accepted: &[String],
    settings: &Settings,
    scheduler: &Scheduler,
    ctx: &Context,
) -> Value {
    let rfc = |t| present::timestamp(t, ctx.offset);
    let state = record.state;
    json!({
        "deck": record.deck_id,
        "id": record.card.id,
        "type": record.card.kind.type_name(),
        "active": record.active,
        "question": record.card.kind.prompt(),
        "answer": record.card.kind.answer_text(),
        "card": record.card,
        "accepted": accepted,
        "state": {
            "phase": state.map_or("new", |s| s.phase.name()),
            "due": state.map(|s| rfc(s.due)),
            "stability": state.and_then(|s| s.memory).map(|m| m.stability),
            "difficulty": state.and_then(|s| s.memory).map(|m| m.difficulty),
            "reps": state.map_or(0, |s| s.reps),
            "lapses": state.map_or(0, |s| s.lapses),
            "retrievability": state.and_then(|s| scheduler.retrievability(&s, ctx.now)),
            "leech": state.is_some_and(|s| crate::types::is_leech(s.lapses, settings.leech_threshold)),
            "suspended": record.suspended,
        },
        "reviews": reviews.iter().map(|r| json!({
            "id": r.id,
            "at": rfc(r.at),
            "rating": r.rating.number(),
            "verdict": r.verdict.name(),
            "answer": r.answer,
            "duration_ms": r.duration_ms,
            "interval_days": r.interval_days,
            "phase_before": r.phase_before.name(),
            "phase_after": r.phase_after.name(),
            "due_after": rfc(r.due_after),
        })).collect::<Vec<_>>(),
    })
}

/// What the presenter needs of a stored card.
fn figures<'a>(
    record: &'a CardRecord,
    reviews: &'a [ReviewRecord],
    accepted: &'a [String],
    recall: Option<f32>,
    ctx: &Context,
) -> present::Record<'a> {
    let card = &record.card;
    present::Record {
        deck_id: &record.deck_id,
        card_id: &card.id,
        kind: &card.kind,
        why: card.why.as_deref(),
        source: card.source.as_deref(),
        section: card.section.as_deref(),
        active: record.active,
        state: record.state,
        recall,
        reviews: reviews
            .iter()
            .map(|r| ReviewFigures {
                at: r.at,
                rating: r.rating,
                verdict: r.verdict,
                interval_days: r.interval_days,
                answer: r.answer.as_deref(),
            })
            .collect(),
        accepted,
        now: ctx.now,
        offset: ctx.offset,
    }
}

/// The due moments changed without a review (`postpone`, `advance`, a
/// reschedule after new parameters), under the reviews.
fn print_moves(out: &mut impl Write, moves: &[MoveRecord], ctx: &Context) -> io::Result<()> {
    if moves.is_empty() {
        return Ok(());
    }
    writeln!(out, "due date moved:")?;
    for m in moves {
        let day = |t: DateTime<Utc>| t.with_timezone(&ctx.offset).format("%Y-%m-%d");
        writeln!(
            out,
            "  {}  {:<10}  now due {}",
            day(m.at),
            m.reason.as_str(),
            day(m.due)
        )?;
    }
    Ok(())
}

/// The presenter's lines, each under its short label; an answer of several
/// lines (an order) goes under its label, indented.
fn print(out: &mut impl Write, lines: &[Shown]) -> io::Result<()> {
    let mut reviews = false;
    for l in lines {
        match l.role {
            Role::Heading => writeln!(out, "{}", l.text)?,
            Role::Question => writeln!(out, "Q: {}", l.text)?,
            Role::WrongOptions => writeln!(out, "   (wrong options: {})", l.text)?,
            Role::Answer if l.text.contains('\n') => {
                let indented: Vec<String> = l.text.lines().map(|l| format!("   {l}")).collect();
                writeln!(out, "A:\n{}", indented.join("\n"))?
            }
            Role::Answer => writeln!(out, "A: {}", l.text)?,
            Role::Accepted => writeln!(out, "also accepted here: {}", l.text)?,
            Role::Why => writeln!(out, "why: {}", l.text.replace('\n', " "))?,
            Role::Source => writeln!(out, "source: {}", l.text)?,
            Role::State => writeln!(out, "state: {}", l.text)?,
            Role::Review => {
                if !reviews {
                    writeln!(out, "reviews:")?;
                    reviews = true;
                }
                writeln!(out, "  {}", l.text)?
            }
            _ => {}
        }
    }
    Ok(())
}
