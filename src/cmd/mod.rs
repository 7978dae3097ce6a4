//! The command layer: reads the clock and the environment once, opens the
//! database, syncs the decks, and hands plain values to the pure core.

mod backlog;
mod backup;
mod card;
mod completions;
mod config;
mod deck;
mod decks;
mod fit;
mod history;
mod man;
mod merge;
mod quiz;
mod rebuild;
mod simulate;
mod stats;
mod study;

use crate::cli::{Command, GlobalArgs};
use crate::deck::{builtin_sources, load_sources, DeckSource, LoadError};
use crate::files::{self, Existing};
use crate::scheduler::{DayClock, Scheduler};
use crate::settings::Settings;
use crate::store::{self, Store, StoreError, SyncedDeck};
use crate::text;
use anyhow::{bail, Context as _, Result};
use backlog::Shift;
use chrono::{DateTime, FixedOffset, Local, Offset, Utc};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Where "now" comes from: the system clock, or `KIOKU_NOW`.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => *t,
        }
    }
}

/// Everything a command needs from the outside world, read once.
pub struct Context {
    pub clock: Clock,
    /// The moment this command runs.
    pub now: DateTime<Utc>,
    /// The learner's UTC offset (from `KIOKU_NOW` when set).
    pub offset: FixedOffset,
    pub db: PathBuf,
    /// `--decks` folders; empty means the default set.
    pub deck_dirs: Vec<PathBuf>,
}

impl Context {
    pub fn from_env(global: &GlobalArgs) -> Result<Context> {
        let (clock, offset) = match std::env::var("KIOKU_NOW") {
            Ok(v) if !v.trim().is_empty() => {
                let t = DateTime::parse_from_rfc3339(v.trim()).with_context(|| {
                    format!(
                        "KIOKU_NOW `{v}` is not an RFC 3339 time like 2026-03-01T09:00:00+09:00"
                    )
                })?;
                (Clock::Fixed(t.with_timezone(&Utc)), *t.offset())
            }
            _ => {
                let now = Utc::now();
                (Clock::System, now.with_timezone(&Local).offset().fix())
            }
        };
        let db = match &global.db {
            Some(p) => p.clone(),
            None => store::default_path()
                .context("cannot find a data folder for the database; pass --db PATH")?,
        };
        Ok(Context {
            now: clock.now(),
            clock,
            offset,
            db,
            deck_dirs: global.decks.clone(),
        })
    }

    /// Opens the database, and takes the day's backup if it is due (a
    /// failed backup is a warning: studying goes on).
    ///
    /// A merge, history import or change of parameters that was cut short
    /// left the card states behind the log; they are brought up to date
    /// here, before anything reads them.
    pub fn open_store(&self) -> Result<Store> {
        let mut store = Store::open(&self.db, self.now)?;
        // States first: the day's backup should be of a whole database.
        self.finish_pending(&mut store)?;
        let (keep, rollover) = store
            .settings()
            .map(|s| (s.backups, s.rollover_hour))
            .unwrap_or((0, 0));
        let clock = DayClock::new(self.offset, rollover);
        if let Err(e) = store.daily_backup(self.now, &clock, keep) {
            eprintln!("kioku: warning: the daily backup failed: {e:#}");
        }
        Ok(store)
    }

    /// Brings the card states up to date with the log when a command that
    /// was cut short (or a restore) left them behind. With settings that do
    /// not read, the mark stays for later: `kioku config` must still run to
    /// set them right.
    pub fn finish_pending(&self, store: &mut Store) -> Result<()> {
        let Some(what) = store.pending_rebuild()? else {
            return Ok(());
        };
        let scheduler = match store
            .settings()
            .map_err(anyhow::Error::from)
            .and_then(|s| self.scheduler(&s))
        {
            Ok(scheduler) => scheduler,
            Err(e) => {
                eprintln!(
                    "kioku: warning: the card states are behind the review log, and are not rebuilt until the settings read: {}",
                    text::clean_line(&format!("{e:#}"))
                );
                return Ok(());
            }
        };
        if store.finish_pending(&scheduler)?.is_some() {
            if what == store::RESTORED {
                eprintln!("kioku: the card states of the restored database were rebuilt from its review log");
            } else {
                eprintln!(
                    "kioku: an earlier {} was cut short; the card states have been brought up to date with the review log",
                    text::clean_line(&what)
                );
            }
        }
        Ok(())
    }

    /// The deck files this run uses: `--decks`, or the built-in decks and the
    /// learner's deck folder. A missing `--decks` folder is an error; other
    /// files that cannot be read are reported and skipped.
    pub fn deck_sources(&self) -> Result<Vec<DeckSource>> {
        let (sources, errors) = if self.deck_dirs.is_empty() {
            let mut sources = builtin_sources();
            let (user, errors) = match store::default_deck_dir() {
                Some(dir) => load_sources(&[dir], false),
                None => (Vec::new(), Vec::new()),
            };
            sources.extend(user);
            (sources, errors)
        } else {
            load_sources(&self.deck_dirs, true)
        };
        if let Some(folder) = errors
            .iter()
            .find(|e| matches!(e, LoadError::Missing(_) | LoadError::Folder(..)))
        {
            bail!("{folder}; check the --decks / KIOKU_DECKS path");
        }
        for e in &errors {
            eprintln!("kioku: warning: {}", text::clean_line(&e.to_string()));
        }
        Ok(sources)
    }

    /// Writes a file the learner asked for (an export, a report) atomically.
    /// An existing file is replaced only with `force`, and a deck file this
    /// run would load never is: exporting a deck over itself would destroy it.
    pub fn write_output(&self, path: &Path, contents: &[u8], force: bool) -> Result<PathBuf> {
        if self.is_deck_file(path) {
            bail!(
                "{} is one of your deck files; choose another name with --out",
                text::path(path)
            );
        }
        let existing = if force {
            Existing::Replace
        } else {
            Existing::Refuse
        };
        write_file(path, contents, existing, "pass --force to replace it")
    }

    /// Whether `path` names a deck file this run loads (through any link).
    fn is_deck_file(&self, path: &Path) -> bool {
        let Ok(target) = path.canonicalize() else {
            return false;
        };
        let dirs: Vec<PathBuf> = if self.deck_dirs.is_empty() {
            store::default_deck_dir().into_iter().collect()
        } else {
            self.deck_dirs.clone()
        };
        let (sources, _) = load_sources(&dirs, false);
        sources
            .iter()
            .any(|s| Path::new(&s.origin).canonicalize().ok().as_ref() == Some(&target))
    }

    /// Reads the deck set and syncs it; problems with single files are
    /// printed as warnings and those files skipped.
    pub fn sync_decks(&self, store: &mut Store) -> Result<Vec<SyncedDeck>> {
        let sources = self.deck_sources()?;
        let report = store.sync(&sources, self.now)?;
        for problem in &report.problems {
            // A problem quotes its deck file, which may come from anyone.
            eprintln!("{}", text::clean(problem));
        }
        if !report.problems.is_empty() {
            eprintln!("kioku: warning: skipped deck files with errors (above); the other decks are loaded");
        }
        Ok(report.decks)
    }

    pub fn scheduler(&self, settings: &Settings) -> Result<Scheduler> {
        let clock = DayClock::new(self.offset, settings.rollover_hour);
        Ok(Scheduler::new(
            &settings.fsrs_parameters,
            settings.scheduler_config(),
            clock,
        )?)
    }
}

/// Decks to filter by (`--deck`), checked against the synced set; none named
/// means no filter (every deck in the database).
/// Writes `contents` to `path` atomically, with a message that names the
/// file and says that nothing was changed when it fails. `refused` is the
/// advice when the file exists and `existing` says not to replace it.
pub fn write_file(
    path: &Path,
    contents: &[u8],
    existing: Existing,
    refused: &str,
) -> Result<PathBuf> {
    let shown = text::path(path);
    files::write(path, contents, existing).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => anyhow::anyhow!("{shown} already exists; {refused}"),
        _ if path.exists() => anyhow::anyhow!(
            "cannot write {shown}: {}; the file was left as it was",
            crate::deck::describe_io(&e)
        ),
        _ => anyhow::anyhow!("cannot write {shown}: {}", crate::deck::describe_io(&e)),
    })
}

/// Decks to narrow a report to: the ones named, checked as
/// [`select_decks`] checks them, or none at all when none is named — an
/// empty filter, which the store reads as every deck it has ever kept,
/// retired ones too, so that statistics and history never drop old
/// reviews. Choosing what to study or quiz is [`select_decks`].
pub fn deck_filter(synced: &[SyncedDeck], wanted: &[String]) -> Result<Vec<String>> {
    if wanted.is_empty() {
        Ok(Vec::new())
    } else {
        select_decks(synced, wanted)
    }
}

/// Decks to study or quiz: the ones named, or when none is named every deck
/// synced from the deck files now (retired decks have nothing to ask).
pub fn select_decks(synced: &[SyncedDeck], wanted: &[String]) -> Result<Vec<String>> {
    if wanted.is_empty() {
        return Ok(synced.iter().map(|d| d.id.clone()).collect());
    }
    let mut out = Vec::new();
    for w in wanted {
        if synced.iter().any(|d| &d.id == w) {
            if !out.contains(w) {
                out.push(w.clone());
            }
            continue;
        }
        let ids: Vec<&str> = synced.iter().map(|d| d.id.as_str()).collect();
        let close = crate::fold::close_matches(w, &ids);
        if close.is_empty() {
            bail!("no deck `{w}`; the decks are: {}", ids.join(", "));
        }
        bail!(
            "no deck `{w}`; did you mean {}?",
            close
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        );
    }
    Ok(out)
}

pub fn run(command: Command, ctx: &Context) -> Result<ExitCode> {
    match command {
        Command::Study(args) => study::run(args, ctx),
        Command::Quiz(args) => quiz::run(args, ctx),
        Command::Decks(args) => decks::run(args, ctx),
        Command::Deck(command) => deck::run(command, ctx),
        Command::Stats(args) => stats::run(args, ctx),
        Command::History(args) => history::run(args, ctx),
        Command::Rebuild(args) => rebuild::run(args, ctx),
        Command::Optimize(args) => fit::optimize(args, ctx),
        Command::Evaluate(args) => fit::evaluate(args, ctx),
        Command::Simulate(args) => simulate::run(args, ctx),
        Command::Postpone(args) => backlog::run(args, Shift::Postpone, ctx),
        Command::Advance(args) => backlog::run(args, Shift::Advance, ctx),
        Command::Merge(args) => merge::run(args, ctx),
        Command::Backup(args) => backup::backup(args, ctx),
        Command::Restore(args) => backup::restore(args, ctx),
        Command::Card(args) => card::run(args, ctx),
        Command::Config(args) => config::run(args, ctx),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
    }
}

/// What a database error means for the learner, and what to do: a damaged
/// file, a full disk, a read-only file, another kioku holding the lock.
/// Every write is one transaction, so in each case nothing was half
/// written; a `bulk` command (see [`is_bulk`]) writes in many, and may have
/// saved some of them, which the message says.
///
/// Only errors of the learner's own database are explained: an error about
/// another file (one being merged) names that file itself, and is left as
/// it is.
pub fn explain(e: &anyhow::Error, db: &std::path::Path, bulk: bool) -> Option<String> {
    use rusqlite::ErrorCode as C;
    // A bulk write commits in runs: what failed is the run in progress.
    let unsaved = if bulk {
        "the part in progress was not saved; what was saved before it stays, the next command \
         brings the card states up to date, and running the same command again finishes it"
    } else {
        "this last step was not saved and the database is as it was"
    };
    let unchanged = if bulk { unsaved } else { "nothing was changed" };
    if e.chain().any(|c| {
        matches!(
            c.downcast_ref::<StoreError>(),
            Some(StoreError::OtherFile { .. })
        )
    }) {
        return None;
    }
    let sqlite = e
        .chain()
        .find_map(|c| c.downcast_ref::<rusqlite::Error>())?;
    let code = sqlite.sqlite_error_code()?;
    let db = db.display();
    let backups = store::backup_dir(std::path::Path::new(&db.to_string()));
    Some(match code {
        C::DatabaseCorrupt | C::NotADatabase => format!(
            "the database {db} is damaged ({sqlite}); nothing was changed. \
             Restore a backup with `kioku restore FILE` (kioku keeps copies in {}), \
             or move the file aside to start afresh",
            backups.display()
        ),
        C::DiskFull => format!(
            "the disk holding {db} is full; {unsaved}. Free some space and try again"
        ),
        C::ReadOnly => format!("the database {db} cannot be written (a read-only file or file system); {unchanged}"),
        C::SystemIoFailure => format!(
            "could not write the database {db} ({sqlite}): the disk may be full or a file size limit reached; {unsaved}"
        ),
        C::DatabaseBusy | C::DatabaseLocked => format!(
            "another kioku kept the database {db} busy for more than 10 seconds; {unchanged}; try again"
        ),
        C::CannotOpen => format!("cannot open the database {db}; check that its folder exists and can be written"),
        _ => return None,
    })
}

/// Whether `command` writes in runs of many transactions (merge, history
/// import, an Anki import with its history, rebuild, optimize), so that a
/// failure may leave part of it done.
pub fn is_bulk(command: &Command) -> bool {
    matches!(
        command,
        Command::Merge(_) | Command::Rebuild(_) | Command::Optimize(_)
    ) || matches!(
        command,
        Command::History(h) if matches!(h.command, Some(crate::cli::HistoryCommand::Import(_)))
    ) || matches!(
        command,
        Command::Deck(crate::cli::DeckCommand::Import(i)) if i.with_history
    ) || matches!(
        command,
        Command::Config(c) if c.key.as_deref() == Some("fsrs_parameters") && c.value.is_some()
    )
}

/// A closed pipe (`kioku decks | head`) is not an error.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
