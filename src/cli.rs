//! The command line, as clap types. Names here are a contract: tests, docs
//! and scripts rely on them.

use chrono::format::{Parsed, StrftimeItems};
use chrono::FixedOffset;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

mod deck;
mod retention;
pub use deck::*;
pub use retention::*;

/// Learn anything with spaced repetition, in the terminal.
///
/// kioku asks today's cards from TOML decks, checks your answers, and lets
/// FSRS-6 decide when to ask each card again. Every answer is kept in SQLite.
#[derive(Debug, Parser)]
#[command(
    name = "kioku",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(
    after_help = "Examples:\n  kioku study                 study today's cards in every deck\n  kioku study tsarist-era     study one deck\n  kioku decks                 what is due in each deck\n  kioku card timeline/treaties-in-order --json"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The database file [default: kioku.db in the platform data folder]
    #[arg(long, global = true, env = "KIOKU_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// A folder of deck files to use instead of the built-in decks and your
    /// deck folder (repeatable; in KIOKU_DECKS, separate folders with `:`)
    #[arg(
        long = "decks",
        global = true,
        env = "KIOKU_DECKS",
        value_name = "DIR",
        value_delimiter = ':'
    )]
    pub decks: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Study today's due and new cards.
    ///
    /// Example: kioku study tsarist-era --new 10
    Study(StudyArgs),
    /// Test yourself: a scored quiz that leaves the schedule alone.
    ///
    /// Example: kioku quiz war-and-neutrality --count 10 --type year --type typed
    Quiz(QuizArgs),
    /// List decks with their new, learning and due counts.
    ///
    /// Example: kioku decks
    Decks(DecksArgs),
    /// Show one card: its content, its state and every review of it.
    ///
    /// Example: kioku card tsarist-era/shimoda-treaty-year --json
    Card(CardArgs),
    /// Write and check decks.
    ///
    /// Example: kioku deck check my-deck.toml
    #[command(subcommand)]
    Deck(DeckCommand),
    /// Scores and memory over time, as charts.
    ///
    /// Example: kioku stats --days 90 --html report.html
    Stats(StatsArgs),
    /// Export the review log, or import one.
    ///
    /// Example: kioku history --csv > reviews.csv
    History(HistoryArgs),
    /// Replay every review with the current parameters and rewrite the
    /// cached card states.
    ///
    /// Example: kioku rebuild
    Rebuild(RebuildArgs),
    /// Fit FSRS-6 to your own reviews; keep the fit if it predicts them better, and rebuild.
    ///
    /// Example: kioku optimize --dry-run
    Optimize(OptimizeArgs),
    /// How well FSRS predicts your reviews: fitted to earlier reviews and
    /// tested on later ones, then the current and default parameters on all.
    ///
    /// Example: kioku evaluate --revlog reviews.csv --timezone +09:00
    Evaluate(EvaluateArgs),
    /// Reviews, minutes and cards remembered at each desired retention, and
    /// the retention FSRS finds cheapest per card remembered.
    ///
    /// Example: kioku simulate --retention 0.80..0.95/0.05 --chart
    Simulate(SimulateArgs),
    /// Move the due reviews that can wait most safely a little later, to
    /// get out of a backlog.
    ///
    /// Example: kioku postpone 50 --deck tsarist-era
    Postpone(BacklogArgs),
    /// Make due today the reviews that cost least to review early, to get
    /// ahead (before an exam or a trip).
    ///
    /// Example: kioku advance 30
    Advance(BacklogArgs),
    /// Add the reviews of another kioku database (yours, on another machine).
    ///
    /// Example: kioku merge laptop-kioku.db
    Merge(MergeArgs),
    /// Copy the database now (or list the backups kept).
    ///
    /// Example: kioku backup ~/kioku-copy.db
    Backup(BackupArgs),
    /// Put a backup in place of the database, after checking it.
    ///
    /// Example: kioku restore ~/.local/share/kioku/backups/kioku-20261120-090000.db
    Restore(RestoreArgs),
    /// List settings, show one, or change one.
    ///
    /// Example: kioku config new_per_day 10
    Config(ConfigArgs),
    /// Print a completion script for a shell.
    ///
    /// Example: kioku completions bash > ~/.local/share/bash-completion/completions/kioku
    Completions(CompletionsArgs),
    /// Print a manual page, as roff, for `man` to show: kioku's own, or one
    /// command's (`kioku man deck import` is kioku-deck-import(1)).
    ///
    /// Example: kioku man > ~/.local/share/man/man1/kioku.1
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell the script is for
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print, like `study` or `deck import`
    /// [default: kioku's own page]
    #[arg(value_name = "COMMAND")]
    pub command: Vec<String>,
}

/// What study and quiz both take: which decks, line mode, and a seed.
#[derive(Debug, Args)]
pub struct SessionArgs {
    /// Decks to use, by id [default: all]
    #[arg(value_name = "DECK", id = "deck_ids")]
    pub deck_ids: Vec<String>,
    /// Line mode: one line per step from standard input, so a session can be
    /// scripted (the default when standard input or output is not a terminal)
    #[arg(long)]
    pub plain: bool,
    /// Seed for the order of cards and options, to replay a session
    #[arg(long, env = "KIOKU_SEED", value_name = "N")]
    pub seed: Option<u64>,
}

// Each command words the shared help for what it does with it.
#[derive(Debug, Args)]
#[command(mut_arg("deck_ids", |a| a.help("Decks to study, by id [default: all]")))]
#[command(mut_arg("seed", |a| a.help("Seed for card and option order, to replay a session")))]
pub struct StudyArgs {
    #[command(flatten)]
    pub session: SessionArgs,
    /// New cards for this session, instead of what is left of the daily limit
    #[arg(long, value_name = "N")]
    pub new: Option<u32>,
    /// Reviews for this session, instead of what is left of the daily limit
    #[arg(long, value_name = "N")]
    pub reviews: Option<u32>,
}

#[derive(Debug, Args)]
#[command(mut_arg("deck_ids", |a| a.help("Decks to draw from, by id [default: all]")))]
#[command(mut_arg("seed", |a| a.help("Seed for which cards are drawn and their order")))]
#[command(mut_arg("plain", |a| a.help(
    "Line mode: one line per step from standard input (the default when standard input or output is not a terminal)"
)))]
pub struct QuizArgs {
    #[command(flatten)]
    pub session: SessionArgs,
    /// How many questions
    #[arg(long, short = 'n', default_value_t = 20, value_name = "N")]
    pub count: usize,
    /// Only cards of this type (repeatable): basic, typed, choice, truefalse, year, cloze, order
    #[arg(long = "type", value_name = "T")]
    pub types: Vec<CardType>,
    /// Your weakest cards (lowest predicted recall, most lapses) instead of a random draw
    #[arg(long)]
    pub weak: bool,
}

/// A card type, as `quiz --type` and a deck's `type = "..."` spell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CardType {
    Basic,
    Typed,
    Choice,
    #[value(name = "truefalse")]
    TrueFalse,
    Year,
    Cloze,
    Order,
}

impl CardType {
    /// The name as decks write it.
    pub fn name(self) -> &'static str {
        match self {
            CardType::Basic => "basic",
            CardType::Typed => "typed",
            CardType::Choice => "choice",
            CardType::TrueFalse => "truefalse",
            CardType::Year => "year",
            CardType::Cloze => "cloze",
            CardType::Order => "order",
        }
    }
}

#[derive(Debug, Args)]
pub struct DecksArgs {
    /// Print the counts as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Only this deck (repeatable) [default: all]
    #[arg(long, value_name = "DECK")]
    pub deck: Vec<String>,
    /// How many days back the charts reach
    #[arg(long, default_value_t = 365, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub days: u32,
    /// Print the figures as one JSON document
    #[arg(long, conflicts_with = "html")]
    pub json: bool,
    /// Write a self-contained HTML report with the charts as SVG
    #[arg(long, value_name = "FILE")]
    pub html: Option<std::path::PathBuf>,
    /// Replace the --html FILE if it exists
    #[arg(long, requires = "html")]
    pub force: bool,
    /// Print the charts instead of the full-screen view
    #[arg(long)]
    pub plain: bool,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct HistoryArgs {
    #[command(subcommand)]
    pub command: Option<HistoryCommand>,
    /// CSV with the columns card_id,review_rating,review_time,review_duration,deck,card
    #[arg(long)]
    pub csv: bool,
    /// Only this deck (repeatable) [default: all]
    #[arg(long, value_name = "DECK")]
    pub deck: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum HistoryCommand {
    /// Add the reviews of a CSV file (as `history --csv` writes it) that the
    /// log does not have, then rebuild.
    ///
    /// Example: kioku history import reviews.csv
    Import(HistoryImportArgs),
}

#[derive(Debug, Args)]
pub struct HistoryImportArgs {
    /// card_id,review_rating,review_time,review_duration[,deck,card]
    pub file: PathBuf,
    /// For a file without deck and card columns: its card_id values are the
    /// card ids of this deck
    #[arg(long, value_name = "DECK")]
    pub deck: Option<String>,
}

#[derive(Debug, Args)]
pub struct RebuildArgs {
    /// Print what was done as JSON
    #[arg(long)]
    pub json: bool,
}

/// Where the reviews to fit or evaluate come from.
#[derive(Debug, Args)]
pub struct RevlogArgs {
    /// A review log in the interchange format (card_id,review_rating,
    /// review_time,review_duration) instead of your own reviews
    #[arg(long, value_name = "FILE.csv")]
    pub revlog: Option<PathBuf>,
    /// The UTC offset the log's days are counted in, like +09:00 or UTC
    /// [default: your own]; days roll over at the `rollover_hour` setting
    #[arg(
        long,
        value_name = "OFFSET",
        requires = "revlog",
        allow_hyphen_values = true,
        value_parser = utc_offset
    )]
    pub timezone: Option<FixedOffset>,
}

/// Reads `--timezone`: `UTC`, `Z` or `GMT`, an offset as chrono reads one
/// (`+09:00`, `-0530`), or whole hours alone (`+9`, `-05`). Offsets past
/// 14 hours are refused: no place on Earth keeps one.
pub fn utc_offset(s: &str) -> Result<FixedOffset, String> {
    // clap's message already quotes the value.
    let bad = || "it is not a UTC offset like +09:00, -05:30 or UTC".to_string();
    let t = s.trim();
    if matches!(t.to_ascii_uppercase().as_str(), "UTC" | "Z" | "GMT") {
        return Ok(FixedOffset::east_opt(0).expect("zero is an offset"));
    }
    let b = t.as_bytes();
    // chrono wants the minutes; whole hours alone are padded for it. The
    // sign is one byte, so slicing after it stays on a character boundary.
    let hours_only = matches!(b, [b'+' | b'-', rest @ ..] if (1..=2).contains(&rest.len())
        && rest.iter().all(u8::is_ascii_digit));
    let full = if hours_only {
        format!("{}{:0>2}:00", &t[..1], &t[1..])
    } else {
        t.to_string()
    };
    let mut parsed = Parsed::new();
    chrono::format::parse(&mut parsed, &full, StrftimeItems::new("%:z")).map_err(|_| bad())?;
    let offset = parsed.to_fixed_offset().map_err(|_| bad())?;
    if offset.local_minus_utc().abs() > 14 * 3600 {
        return Err(bad());
    }
    Ok(offset)
}

#[derive(Debug, Args)]
pub struct OptimizeArgs {
    #[command(flatten)]
    pub source: RevlogArgs,
    /// Only report: keep the current parameters
    #[arg(long)]
    pub dry_run: bool,
    /// Keep the new parameters even if they predict your reviews no better
    /// than the current ones
    #[arg(long, conflicts_with = "dry_run")]
    pub force: bool,
    /// Print the figures as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EvaluateArgs {
    #[command(flatten)]
    pub source: RevlogArgs,
    /// Print the figures as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// How many days ahead
    #[arg(long, default_value_t = 365, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub days: u32,
    /// Seed for the simulation
    #[arg(long, default_value_t = 42, value_name = "N")]
    pub seed: u64,
    /// The desired retentions to compare: one (0.9), a range (0.70..0.99,
    /// in steps of 0.01) or a range with a step (0.80..0.95/0.05), all
    /// within 0.70..0.99
    #[arg(long, value_name = "RANGE", default_value = "0.70..0.99", value_parser = retentions)]
    pub retention: Retentions,
    /// Also draw minutes a day and cards remembered against retention
    #[arg(long, conflicts_with = "json")]
    pub chart: bool,
    /// Print the figures as JSON
    #[arg(long)]
    pub json: bool,
}

/// How many reviews `postpone` or `advance` moves, and from which decks.
#[derive(Debug, Args)]
pub struct BacklogArgs {
    /// How many reviews to move [default: those that can be moved safely]
    #[arg(value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub count: Option<u32>,
    /// Only this deck (repeatable) [default: all]
    #[arg(long, value_name = "DECK")]
    pub deck: Vec<String>,
    /// Show what would move, and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Print the figures as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy [default: the backups folder beside the database]
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// List the backups kept instead
    #[arg(long, conflicts_with = "file")]
    pub list: bool,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup to restore; it is checked before anything is replaced
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The other kioku database (it is only read)
    pub other: PathBuf,
    /// Print what was added as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CardArgs {
    /// The card, as DECK/CARD
    #[arg(value_name = "DECK/CARD")]
    pub card: String,
    /// Print the card as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// The setting to show or change
    pub key: Option<String>,
    /// The new value
    pub value: Option<String>,
}

#[cfg(test)]
mod tests;
