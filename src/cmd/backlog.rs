//! `kioku postpone [N]` and `kioku advance [N]`: review cards moved later
//! to get out of a backlog, or made due today to get ahead, by the
//! scheduler's rules ([`Scheduler::postpone`], [`Scheduler::advance`]),
//! each move written as an append-only entry beside the log.

use super::{select_decks, Context};
use crate::cli::BacklogArgs;
use crate::human::{plural, thousands};
use crate::scheduler::{Plan, Scheduler, SAFE_ADVANCE, SAFE_POSTPONE};
use crate::store::{Move, MoveReason, ReviewCard};
use anyhow::Result;
use chrono::{DateTime, Utc};
use serde_json::json;
use std::io::{self, Write};
use std::process::ExitCode;

/// Which way the cards move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shift {
    Postpone,
    Advance,
}

impl Shift {
    fn name(self) -> &'static str {
        match self {
            Shift::Postpone => "postpone",
            Shift::Advance => "advance",
        }
    }
}

pub fn run(args: BacklogArgs, shift: Shift, ctx: &Context) -> Result<ExitCode> {
    let mut store = ctx.open_store()?;
    let synced = ctx.sync_decks(&mut store)?;
    let decks = select_decks(&synced, &args.deck)?;
    let settings = store.settings()?;
    let scheduler = ctx.scheduler(&settings)?;
    let cards = store.review_cards(&decks, ctx.now)?;
    let states: Vec<_> = cards.iter().map(|c| (c.state, c.seed)).collect();
    let limit = args.count.map(|n| n as usize);
    let plan = match shift {
        Shift::Postpone => scheduler.postpone(&states, limit, ctx.now),
        Shift::Advance => scheduler.advance(&states, limit, ctx.now),
    };
    let reason = match shift {
        Shift::Postpone => MoveReason::Postpone,
        Shift::Advance => MoveReason::Advance,
    };
    let moves: Vec<Move> = plan
        .moved
        .iter()
        .map(|m| Move {
            card_row: cards[m.index].row,
            at: ctx.now,
            due: m.due,
            reason,
        })
        .collect();
    let written = if args.dry_run {
        0
    } else {
        store.record_moves(&moves)?
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        let doc = report_json(shift, &plan, &cards, &scheduler, written, args.dry_run);
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
    } else {
        report(
            &mut out,
            shift,
            &plan,
            &scheduler,
            written,
            args.dry_run,
            ctx.now,
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn percent(r: f64) -> String {
    format!("{:.1}%", r * 100.0)
}

#[allow(clippy::too_many_arguments)]
fn report(
    out: &mut impl Write,
    shift: Shift,
    plan: &Plan,
    scheduler: &Scheduler,
    written: usize,
    dry_run: bool,
    now: DateTime<Utc>,
) -> io::Result<()> {
    let (what, threshold) = match shift {
        Shift::Postpone => ("due", SAFE_POSTPONE),
        Shift::Advance => ("not yet due", SAFE_ADVANCE),
    };
    if plan.candidates == 0 {
        return match shift {
            Shift::Postpone => writeln!(out, "No review is due: nothing to postpone."),
            Shift::Advance => writeln!(out, "Every review is due already: nothing to advance."),
        };
    }
    let n = plan.moved.len();
    if n == 0 {
        return writeln!(
            out,
            "None of the {} reviews {what} can be {}d safely; `kioku {} N` moves N of them anyway.",
            thousands(plan.candidates),
            shift.name(),
            shift.name()
        );
    }
    let verb = match (shift, dry_run) {
        (Shift::Postpone, true) => "Would postpone",
        (Shift::Postpone, false) => "Postponed",
        (Shift::Advance, true) => "Would advance",
        (Shift::Advance, false) => "Advanced",
    };
    let safely = match shift {
        Shift::Postpone => format!(
            "can wait safely (their odds of forgetting stay within {:.0}% of what your desired retention allows)",
            threshold * 100.0
        ),
        Shift::Advance => format!(
            "can be reviewed early at little cost (their odds of forgetting are already within {:.0}% of the odds they are scheduled at)",
            threshold * 100.0
        ),
    };
    writeln!(
        out,
        "{verb} {} review{} of the {} {what}; {} {safely}.",
        thousands(n),
        plural(n),
        thousands(plan.candidates),
        thousands(plan.safe),
    )?;
    effect(out, shift, plan, scheduler, now)?;
    if dry_run {
        writeln!(out, "Nothing was changed (--dry-run).")?;
    } else if written < n {
        let left = n - written;
        writeln!(
            out,
            "{} {} answered meanwhile and left as {}.",
            thousands(left),
            if left == 1 { "was" } else { "were" },
            if left == 1 { "it was" } else { "they were" }
        )?;
    }
    Ok(())
}

/// What the moves do: past the safe line, the predicted recall, and when
/// postponed cards come back.
fn effect(
    out: &mut impl Write,
    shift: Shift,
    plan: &Plan,
    scheduler: &Scheduler,
    now: DateTime<Utc>,
) -> io::Result<()> {
    let n = plan.moved.len();
    if n > plan.safe {
        let past = n - plan.safe;
        let (verb, them) = if past == 1 {
            ("is", "it")
        } else {
            ("are", "them")
        };
        match shift {
            Shift::Postpone => writeln!(
                out,
                "{} of them {verb} past that line: expect to forget {them} more often than you aim to.",
                thousands(past)
            )?,
            Shift::Advance => writeln!(
                out,
                "{} of them {verb} past that line: reviewed this early, {them} gain less from the review.",
                thousands(past)
            )?,
        }
    }
    if let Some((before, after)) = plan.recall() {
        writeln!(
            out,
            "Predicted recall at their reviews: {} as scheduled, {} {}.",
            percent(before),
            percent(after),
            match shift {
                Shift::Postpone => "after postponing",
                Shift::Advance => "reviewed today",
            }
        )?;
    }
    if shift == Shift::Postpone && n > 0 {
        let clock = scheduler.clock();
        let days: Vec<i64> = plan.moved.iter().map(|m| clock.day(m.due)).collect();
        let today = clock.day(now);
        let (first, last) = (days.iter().min(), days.iter().max());
        if let (Some(first), Some(last)) = (first, last) {
            let (first, last) = (first - today, last - today);
            let days = |d: i64| format!("{d} day{}", if d == 1 { "" } else { "s" });
            if first == last {
                writeln!(out, "They come due again in {}.", days(first))?;
            } else {
                writeln!(out, "They come due again in {first} to {}.", days(last))?;
            }
        }
    }
    Ok(())
}

fn report_json(
    shift: Shift,
    plan: &Plan,
    cards: &[ReviewCard],
    scheduler: &Scheduler,
    written: usize,
    dry_run: bool,
) -> serde_json::Value {
    let clock = scheduler.clock();
    let (before, after) = plan.recall().unzip();
    let moved: Vec<serde_json::Value> = plan
        .moved
        .iter()
        .map(|m| {
            let c = &cards[m.index];
            json!({
                "deck": c.deck_id,
                "card": c.key,
                "due_before": clock.day_start(clock.day(c.state.due)).to_rfc3339(),
                "due_after": m.due.to_rfc3339(),
                "recall_before": m.recall_before,
                "recall_after": m.recall_after,
            })
        })
        .collect();
    json!({
        "command": shift.name(),
        "candidates": plan.candidates,
        "safe": plan.safe,
        "moved": moved.len(),
        "written": written,
        "dry_run": dry_run,
        "recall_before": before,
        "recall_after": after,
        "cards": moved,
    })
}

/// Every review card given the due day `scheduler` (new parameters, a new
/// desired retention) chooses for it from its last review, balanced across
/// the days ahead, each change written as a move. A card whose day Anki
/// chose keeps it until its next review, as Anki keeps it when its own
/// parameters change. Returns how many moved.
pub fn reschedule_all(
    store: &mut crate::store::Store,
    scheduler: &Scheduler,
    now: DateTime<Utc>,
) -> Result<usize> {
    let clock = scheduler.clock();
    let today = clock.day(now);
    let mut load = store.load_ahead(now, clock)?;
    let mut moves = Vec::new();
    for card in store.all_review_cards()? {
        if card.due_from_elsewhere {
            continue;
        }
        let old = clock.day(card.state.due);
        if card.counted && old >= today {
            load.remove(old);
        }
        let Some(due) = scheduler.rescheduled(&card.state, card.seed, now, &mut load) else {
            continue;
        };
        // A card out of the load (suspended, retired) is placed by it, and
        // taken out of it again.
        if !card.counted && clock.day(due) >= today {
            load.remove(clock.day(due));
        }
        if clock.day(due) != old {
            moves.push(Move {
                card_row: card.row,
                at: now,
                due,
                reason: MoveReason::Reschedule,
            });
        }
    }
    Ok(store.record_moves(&moves)?)
}
