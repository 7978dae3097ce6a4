//! `kioku card DECK/CARD`: one card's content, state and reviews.

use super::Context;
use crate::cli::CardArgs;
use crate::deck::CardKind;
use crate::text::{clean, clean_line};
use anyhow::{bail, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::json;
use std::io::{self, Write};
use std::process::ExitCode;

pub fn run(args: CardArgs, ctx: &Context) -> Result<ExitCode> {
    let Some((deck, key)) = args.card.split_once('/') else {
        bail!("name the card as DECK/CARD, for example tsarist-era/shimoda-treaty-year");
    };
    let mut store = ctx.open_store()?;
    ctx.sync_decks(&mut store)?;
    let Some(record) = store.find_card(deck, key)? else {
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
    };
    let settings = store.settings()?;
    let scheduler = ctx.scheduler(&settings)?;
    let reviews = store.card_reviews(record.row)?;
    let rfc = |t: DateTime<Utc>| {
        t.with_timezone(&ctx.offset)
            .to_rfc3339_opts(SecondsFormat::Secs, true)
    };
    let state = record.state;
    let phase = state.map_or("new", |s| s.phase.name());
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        let doc = json!({
            "deck": record.deck_id,
            "id": record.card.id,
            "type": record.card.kind.type_name(),
            "active": record.active,
            "question": record.card.kind.prompt(),
            "answer": record.card.kind.answer_text(),
            "card": record.card,
            "state": {
                "phase": phase,
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
        });
        crate::json::write_pretty(&mut out, &doc)?;
        writeln!(out)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let card = &record.card;
    writeln!(
        out,
        "{}/{} · {} · {phase}{}",
        clean_line(&record.deck_id),
        clean_line(&card.id),
        card.kind.type_name(),
        if record.active {
            ""
        } else {
            " · removed from its deck file"
        }
    )?;
    writeln!(out, "Q: {}", clean(&card.kind.prompt()))?;
    if let CardKind::Choice { wrong, .. } = &card.kind {
        writeln!(
            out,
            "   (wrong options: {})",
            clean_line(&wrong.join(" · "))
        )?;
    }
    let answer = clean(&card.kind.answer_text()).into_owned();
    if answer.contains('\n') {
        writeln!(
            out,
            "A:\n{}",
            answer
                .lines()
                .map(|l| format!("   {l}"))
                .collect::<Vec<_>>()
                .join("\n")
        )?;
    } else {
        writeln!(out, "A: {answer}")?;
    }
    if let Some(why) = &card.why {
        writeln!(out, "why: {}", clean_line(why))?;
    }
    if let Some(section) = &card.section {
        writeln!(
            out,
            "source: {}{}",
            card.source
                .as_deref()
                .map(|s| format!("{} · ", clean_line(s)))
                .unwrap_or_default(),
            clean_line(section)
        )?;
    }
    match state {
        None => writeln!(out, "state: new, never reviewed")?,
        Some(s) => {
            let m = s.memory.unwrap_or(fsrs::MemoryState {
                stability: 0.0,
                difficulty: 0.0,
            });
            writeln!(
                out,
                "state: {} · due {} ({}) · stability {:.1}d · difficulty {:.1} · reps {} · lapses {}{}",
                s.phase,
                rfc(s.due),
                crate::human::until(ctx.now, s.due),
                m.stability,
                m.difficulty,
                s.reps,
                s.lapses,
                scheduler.retrievability(&s, ctx.now).map(|r| format!(" · recall now {:.0}%", r * 100.0)).unwrap_or_default()
            )?;
        }
    }
    if !reviews.is_empty() {
        writeln!(out, "reviews:")?;
        for r in &reviews {
            writeln!(
                out,
                "  {}  {:<5}  {:<7}  {:>4}d  {}",
                rfc(r.at),
                r.rating.name(),
                r.verdict.name(),
                r.interval_days,
                r.answer.as_deref().map(clean_line).unwrap_or_default()
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
