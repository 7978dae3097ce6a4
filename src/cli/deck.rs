//! The `kioku deck` subcommands' arguments: the authoring tools, each a
//! clap type. Names here are a contract, as in the rest of `cli`.

use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum DeckCommand {
    /// Write a new deck file with one commented example of every card type.
    ///
    /// Example: kioku deck new meiji-era
    New(DeckNewArgs),
    /// Report every problem in every deck file, with its line and column.
    ///
    /// Example: kioku deck check decks/ --source article.txt
    Check(DeckCheckArgs),
    /// Show which sentences of a source text state a fact that no card tests.
    ///
    /// A fact sentence has a number, a name inside it or a cause. A card
    /// covers one when it cites that text and section and either its
    /// `quote` is most of the sentence, or its answer stands in it and so do
    /// at least two of its question's distinctive key words (and 30% of them,
    /// or four; a true statement needs three and 60%). A word in over a tenth
    /// of the text's sentences is not distinctive. False statements and
    /// order cards cover nothing.
    ///
    /// Example: kioku deck coverage decks/ --source article.txt
    Coverage(DeckCoverageArgs),
    /// Give every card an id and put keys in a canonical order, keeping comments.
    ///
    /// Example: kioku deck fmt my-deck.toml --check
    Fmt(DeckFmtArgs),
    /// Print the answers you said were right ("I was right"), per deck file, as TOML to paste.
    ///
    /// Each card that gained one is printed as `[[cards]]` with its id and
    /// its whole `accept` list; a cloze gap is printed as it would be
    /// written, `{{answer|alias}}`. `kioku deck fmt --with-aliases` writes
    /// them into the files instead.
    ///
    /// Example: kioku deck aliases tsarist-era
    Aliases(DeckAliasesArgs),
    /// Judge answers on one card as a session would: correct, close or wrong.
    ///
    /// For writing `accept` lists: try what learners will type. Answers are
    /// the arguments, or one a line on standard input. Typed, cloze, year,
    /// choice (by the option's text) and true/false cards.
    ///
    /// Example: kioku deck try tsarist-era rezanov-commissioned-by "Tsar Alexander"
    Try(DeckTryArgs),
    /// Write a deck as CSV that Anki imports, or as a printable Markdown sheet.
    ///
    /// Example: kioku deck export tsarist-era --format md --out tsarist-era.md
    Export(DeckExportArgs),
    /// Draft candidate cards from a plain-text source, for you to edit.
    ///
    /// Sentences with years become year questions; sentences with names and
    /// figures become cloze cards. Every card cites its section and quotes
    /// its sentence.
    ///
    /// Example: kioku deck generate --from article.txt --out meiji-draft.toml
    Generate(DeckGenerateArgs),
    /// Turn an Anki package (.apkg) or Anki text export into a kioku deck.
    ///
    /// Basic notes become basic cards, "type in the answer" notes typed
    /// cards, cloze notes cloze cards; HTML becomes plain text.
    ///
    /// Example: kioku deck import Japanese.apkg --out japanese.toml
    Import(DeckImportArgs),
}

#[derive(Debug, Args)]
pub struct DeckGenerateArgs {
    /// The plain-text source
    #[arg(long, value_name = "TEXT")]
    pub from: PathBuf,
    /// Where to write the draft, or - for standard output [default: ID.toml here]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The draft deck's id [default: from the file name, ending in -draft]
    #[arg(long)]
    pub id: Option<String>,
    /// The source as cards cite it [default: the text's title line, or its file name]
    #[arg(long, value_name = "NAME")]
    pub source_name: Option<String>,
}

#[derive(Debug, Args)]
pub struct DeckImportArgs {
    /// An Anki package (.apkg, .colpkg) or an Anki text export (.txt, .csv)
    pub file: PathBuf,
    /// Where to write the deck, or - for standard output [default: ID.toml here; with --with-history, your deck folder]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The deck's id [default: from the Anki deck's name]
    #[arg(long)]
    pub id: Option<String>,
    /// Also bring over the cards' reviews from a package exported with scheduling (or a .colpkg backup), so they keep their memory and due dates
    #[arg(long)]
    pub with_history: bool,
    /// Replace a deck file of that name that differs from what the package makes
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct DeckFmtArgs {
    /// Deck files or folders [default: --decks, or your deck folder]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Only report the files that would change (exit 1 if any)
    #[arg(long)]
    pub check: bool,
    /// Also write the answers you said were right ("I was right") into the cards' `accept` lists and cloze gaps
    #[arg(long)]
    pub with_aliases: bool,
}

#[derive(Debug, Args)]
pub struct DeckAliasesArgs {
    /// Deck ids [default: every deck]
    #[arg(value_name = "DECK")]
    pub ids: Vec<String>,
}

#[derive(Debug, Args)]
pub struct DeckTryArgs {
    /// A deck file, or the id of a deck kioku would load
    #[arg(value_name = "DECK")]
    pub deck: String,
    /// The card's id (a cloze gap as `ID.N`)
    #[arg(value_name = "CARD")]
    pub card: String,
    /// Answers to judge [default: one a line on standard input]
    #[arg(value_name = "ANSWER")]
    pub answers: Vec<String>,
    /// Print the verdicts as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DeckExportArgs {
    /// The deck's id
    pub deck: String,
    /// csv (Anki's text import: front, back, tags) or md (a study sheet)
    #[arg(long, value_enum, default_value_t = ExportFormat::Md)]
    pub format: ExportFormat,
    /// Where to write it [default: standard output]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace FILE if it exists (never one of your deck files)
    #[arg(long, requires = "out")]
    pub force: bool,
}

/// What `deck export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Md,
}

#[derive(Debug, Args)]
pub struct DeckNewArgs {
    /// The deck's id (a-z, 0-9 and -)
    pub id: String,
    /// Where to write it [default: ID.toml here]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DeckCheckArgs {
    /// Deck files or folders [default: the decks kioku would load]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print the diagnostics as JSON, for editors
    #[arg(long)]
    pub json: bool,
    /// A source text: every `section` must be one of its headings (lines of
    /// their own; "Introduction" means the text before the first) and every
    /// `quote` must appear in it word for word (repeatable)
    #[arg(long, value_name = "FILE")]
    pub source: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DeckCoverageArgs {
    /// Deck files, folders or deck ids [default: the decks kioku would load]
    #[arg(value_name = "DECK")]
    pub paths: Vec<String>,
    /// A source text whose fact sentences are counted (repeatable)
    #[arg(long, value_name = "FILE", required = true)]
    pub source: Vec<PathBuf>,
    /// Print the figures and every fact sentence with the cards that cover it as JSON
    #[arg(long)]
    pub json: bool,
    /// Fail (exit 1) when less than this percentage of fact sentences is covered
    #[arg(long, value_name = "PERCENT", value_parser = clap::value_parser!(u8).range(0..=100))]
    pub min: Option<u8>,
}
