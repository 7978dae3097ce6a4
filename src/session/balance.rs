//! What a study session weighs each review's day against: the review
//! cards due on each day ahead, counted when the session starts and kept up
//! to date with its own answers (a card's siblings' days read at each
//! answer), and the backlog its header tells of.

use super::{Result, Session};
use crate::scheduler::Outcome;
use crate::store::{LoadAhead, QueueCard};
use crate::types::{CardState, Phase};
use chrono::{DateTime, Utc};

/// More reviews due than a day's limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backlog {
    pub due: u32,
    pub limit: u32,
}

impl Session<'_> {
    /// Waits for the load of the days ahead, if it is still being counted.
    pub(super) fn wait_for_load(&mut self) -> Result<()> {
        if let Some(load) = self.load.as_mut() {
            load.wait(self.store, self.scheduler.clock())?;
        }
        Ok(())
    }

    /// The load after a card moved from `before` to `after`.
    pub(super) fn count_in_load(
        &mut self,
        before: Option<&CardState>,
        after: &CardState,
    ) -> Result<()> {
        let clock = *self.scheduler.clock();
        let Some(load) = self.load.as_mut() else {
            return Ok(());
        };
        let load = load.wait(self.store, &clock)?;
        if let Some(b) = before.filter(|s| s.phase == Phase::Review) {
            load.remove(clock.day(b.due));
        }
        if after.phase == Phase::Review {
            load.add(clock.day(after.due));
        }
        Ok(())
    }

    /// What each rating would do to `item` now: its review days chosen for
    /// the load of the days ahead, when the settings balance them.
    pub(super) fn outcomes(&self, item: &QueueCard, now: DateTime<Utc>) -> Result<[Outcome; 4]> {
        let state = item.state_or_new(now);
        if !self.scheduler.balances() {
            return Ok(self.scheduler.preview(&state, now, item.seed)?);
        }
        let clock = *self.scheduler.clock();
        // Counted by now: every answer waits for it first.
        let mut load = self
            .load
            .as_ref()
            .and_then(LoadAhead::counted)
            .cloned()
            .unwrap_or_default();
        // The card's own day is the one being chosen again.
        if let Some(s) = item.state.filter(|s| s.phase == Phase::Review) {
            load.remove(clock.day(s.due));
        }
        load.set_siblings(self.store.sibling_days(
            (item.row, &item.deck_id, &item.card.note),
            now,
            &clock,
        )?);
        Ok(self
            .scheduler
            .preview_with_load(&state, now, item.seed, &load)?)
    }
}
