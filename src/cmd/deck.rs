//! `kioku deck new | check | fmt | export | generate | import`: writing,
//! checking and converting decks.

use super::{write_file, Context};
use crate::cli::{
    DeckCheckArgs, DeckCommand, DeckExportArgs, DeckFmtArgs, DeckGenerateArgs, DeckImportArgs,
    DeckNewArgs, ExportFormat,
};
use crate::deck::source::SourceText;
use crate::deck::{export, fmt, generate, write, Deck};
use crate::deck::{is_valid_id, load_sources, parse_deck, Severity, MAX_DECK_BYTES};
use crate::files::Existing;
use crate::human::plural;
use crate::store;
use crate::text::clean_line;
use anyhow::{bail, Result};
use std::collections::HashSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(command: DeckCommand, ctx: &Context) -> Result<ExitCode> {
    match command {
        DeckCommand::New(args) => new(args),
        DeckCommand::Check(args) => check(args, ctx),
        DeckCommand::Fmt(args) => fmt(args, ctx),
        DeckCommand::Export(args) => export(args, ctx),
        DeckCommand::Generate(args) => generate(args),
        DeckCommand::Import(args) => import(args),
    }
}

fn generate(args: DeckGenerateArgs) -> Result<ExitCode> {
    let raw = read_source_text(&args.from)?;
    let text = String::from_utf8(raw).map_err(|e| {
        let (line, column) = crate::deck::line_col(
            &String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]),
            usize::MAX,
        );
        anyhow::anyhow!(
            "{}:{line}:{column}: the text is not UTF-8; save it as UTF-8 and try again",
            args.from.display()
        )
    })?;
    let source = SourceText::read(&text);
    let stem = file_stem_slug(&args.from);
    let deck_id = args.id.unwrap_or_else(|| format!("{stem}-draft"));
    if !is_valid_id(&deck_id) {
        bail!("`{deck_id}` is not a valid deck id: use a-z, 0-9 and -; choose one with --id");
    }
    let source_name = args
        .source_name
        .or(source.title.clone())
        .unwrap_or_else(|| sentence_case(&stem.replace('-', " ")));
    let draft = generate::generate(
        &source,
        &generate::Naming {
            deck_id: deck_id.clone(),
            source: source_name,
        },
    );
    if draft.deck.cards.is_empty() {
        bail!(
            "{}: no sentence with a year, a name or a figure to make a card from ({} sentences read)",
            args.from.display(),
            draft.sentences
        );
    }
    let comment = format!(
        "DRAFT made by `kioku deck generate` from {}.\n\
         Every card quotes the sentence it was made from. Read each one: keep\n\
         what is worth learning, reword it in your own words, delete the rest,\n\
         then take `draft` out of the deck's tags.",
        args.from
            .file_name()
            .map_or("".into(), |n| n.to_string_lossy())
    );
    let path = write_deck(&draft.deck, &comment, args.out)?;
    let sections = draft
        .deck
        .cards
        .iter()
        .filter_map(|c| c.section.as_deref())
        .collect::<HashSet<_>>()
        .len();
    eprintln!(
        "{} candidates ({} year questions, {} cloze cards) from {} sentences in {} of {} sections{}",
        draft.deck.cards.len(),
        draft.year_cards,
        draft.cloze_cards,
        draft.sentences,
        sections,
        source.sections.iter().filter(|s| !s.end_matter).count(),
        match &path {
            Some(p) => format!(
                "\nwrote {}; check it with `kioku deck check {} --source {}`",
                p.display(),
                p.display(),
                args.from.display()
            ),
            None => String::new(),
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// A source text larger than this is refused before it is read: a whole
/// book is a few megabytes, and the draft it makes must fit in one deck.
const MAX_SOURCE_TEXT: u64 = crate::import::MAX_TEXT;

/// A source text given from outside, read only if it is a regular file of
/// at most [`MAX_SOURCE_TEXT`] bytes.
fn read_source_text(path: &Path) -> Result<Vec<u8>> {
    crate::files::read_input(path, MAX_SOURCE_TEXT).map_err(|e| {
        anyhow::anyhow!(
            "cannot read the source text {}: {e}",
            crate::import::shown_path(path)
        )
    })
}

fn import(args: DeckImportArgs) -> Result<ExitCode> {
    let imported = crate::import::read(&args.file)?;
    let shown = crate::import::shown_path(&args.file);
    let (deck, skips) = imported
        .to_deck(args.id.as_deref())
        .map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
    let comment = format!(
        "Imported by `kioku deck import` from {}.\n\
         Ids come from the questions: keep them once you study the deck,\n\
         because an id is how kioku keeps a card's history.",
        args.file
            .file_name()
            .map_or("".into(), |n| n.to_string_lossy())
    );
    // Checked before anything is written: a deck file larger than this is
    // one that no command would load.
    let size = write::to_toml(&deck, &comment).len() as u64;
    if size > crate::deck::MAX_DECK_BYTES {
        bail!(
            "{shown}: the deck made would be {} MB, and a deck file holds at most {} MB; \
             export the collection from Anki in parts (one deck at a time) and import each",
            size >> 20,
            crate::deck::MAX_DECK_BYTES >> 20
        );
    }
    let path = write_deck(&deck, &comment, args.out)?;
    let report = imported.report(&deck, &skips);
    eprintln!(
        "{report}{}",
        match &path {
            Some(p) => format!(
                "\nwrote {}; study it with `kioku --decks {} study`",
                p.display(),
                p.parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .map_or(".".into(), |d| d.display().to_string())
            ),
            None => String::new(),
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes a made deck to `out` (`-`: standard output; none: `ID.toml`
/// here), refusing to overwrite a file, after checking that it reads back
/// without an error. Returns the path written, if any.
fn write_deck(deck: &Deck, comment: &str, out: Option<PathBuf>) -> Result<Option<PathBuf>> {
    let text = write::to_toml(deck, comment);
    let outcome = parse_deck(&text);
    if let Some(d) = outcome
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)
    {
        bail!(
            "internal error: the deck made does not read back ({}:{}: {})",
            d.line,
            d.column,
            d.message
        );
    }
    if out.as_deref() == Some(Path::new("-")) {
        io::stdout().lock().write_all(text.as_bytes())?;
        return Ok(None);
    }
    if text.len() as u64 > MAX_DECK_BYTES {
        bail!(
            "the deck would be {:.1} MB, and kioku reads deck files of up to {} MB; \
             nothing was written (split the input into smaller parts)",
            text.len() as f64 / 1e6,
            MAX_DECK_BYTES / (1 << 20)
        );
    }
    let path = out.unwrap_or_else(|| format!("{}.toml", deck.id).into());
    let path = write_file(
        &path,
        text.as_bytes(),
        Existing::Refuse,
        "choose another name with --out",
    )?;
    Ok(Some(path))
}

/// A path as shown in a message: on one line, with nothing a terminal would run.
fn shown(path: &Path) -> String {
    crate::text::clean_line(&path.display().to_string())
}

/// A file's name as an id: lower case, words joined by `-`.
fn file_stem_slug(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let slug = stem
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() {
        "deck".to_string()
    } else {
        slug
    }
}

fn sentence_case(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn fmt(args: DeckFmtArgs, ctx: &Context) -> Result<ExitCode> {
    let paths = if !args.paths.is_empty() {
        args.paths
    } else if !ctx.deck_dirs.is_empty() {
        ctx.deck_dirs.clone()
    } else {
        store::default_deck_dir().into_iter().collect()
    };
    let (sources, errors) = load_sources(&paths, true);
    if let Some(e) = errors.first() {
        bail!("{e}");
    }
    let mut changed = 0;
    let mut failed = 0;
    for source in &sources {
        let text = source.read()?;
        match fmt::format(&text) {
            Ok(formatted) if formatted == *text => {}
            Ok(_) if args.check => {
                println!("{} would be reformatted", shown(Path::new(&source.origin)));
                changed += 1;
            }
            Ok(formatted) => {
                // Written whole beside the deck and renamed over it: a kill
                // or a full disk leaves the old file, never a cut-off one.
                let path = Path::new(&source.origin);
                match write_file(path, formatted.as_bytes(), Existing::Replace, "") {
                    Ok(_) => {
                        println!("formatted {}", shown(path));
                        changed += 1;
                    }
                    Err(e) => {
                        eprintln!("kioku: error: {e:#}");
                        failed += 1;
                    }
                }
            }
            Err(e) => {
                eprintln!(
                    "{}: cannot format: {}",
                    shown(Path::new(&source.origin)),
                    crate::text::clean(e.trim())
                );
                failed += 1;
            }
        }
    }
    let verb = if args.check {
        "to reformat"
    } else {
        "reformatted"
    };
    println!(
        "{changed} of {} file{} {verb}",
        sources.len(),
        plural(sources.len())
    );
    Ok(if failed > 0 || (args.check && changed > 0) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn export(args: DeckExportArgs, ctx: &Context) -> Result<ExitCode> {
    let mut ids = Vec::new();
    for source in ctx.deck_sources()? {
        let Some(deck) = parse_deck(&source.read()?).deck else {
            continue;
        };
        if deck.id == args.deck {
            let text = match args.format {
                ExportFormat::Csv => export::csv(&deck),
                ExportFormat::Md => export::markdown(&deck),
            };
            match &args.out {
                Some(path) => {
                    let written = ctx.write_output(path, text.as_bytes(), args.force)?;
                    println!("wrote {} ({} cards)", shown(&written), deck.cards.len());
                }
                None => io::stdout()
                    .lock()
                    .write_all(crate::text::clean(&text).as_bytes())?,
            }
            return Ok(ExitCode::SUCCESS);
        }
        ids.push(deck.id);
    }
    bail!("no deck `{}`; the decks are: {}", args.deck, ids.join(", "))
}

fn new(args: DeckNewArgs) -> Result<ExitCode> {
    if !is_valid_id(&args.id) {
        bail!("`{}` is not a valid deck id: use a-z, 0-9 and -", args.id);
    }
    let path = args
        .out
        .unwrap_or_else(|| format!("{}.toml", args.id).into());
    let title = title_of(&args.id);
    let text = include_str!("../deck/template.toml")
        .replace("{ID}", &args.id)
        .replace("{TITLE}", &title);
    let path = write_file(
        &path,
        text.as_bytes(),
        Existing::Refuse,
        "choose another name with --out",
    )?;
    println!(
        "wrote {} with one example of every card type; check it with `kioku deck check {}`",
        shown(&path),
        shown(&path)
    );
    Ok(ExitCode::SUCCESS)
}

/// A readable title from a deck id: `meiji-era` becomes "Meiji Era". Ids
/// may hold empty segments (`a--b`, `x-`, `-`), which are skipped; an id of
/// dashes alone keeps itself as the title, so the deck still has one.
fn title_of(id: &str) -> String {
    let words: Vec<String> = id
        .split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        })
        .collect();
    if words.is_empty() {
        id.to_string()
    } else {
        words.join(" ")
    }
}

fn check(args: DeckCheckArgs, ctx: &Context) -> Result<ExitCode> {
    let sources = if args.paths.is_empty() {
        ctx.deck_sources()?
    } else {
        let (sources, errors) = load_sources(&args.paths, true);
        if let Some(e) = errors.first() {
            bail!("{e}");
        }
        sources
    };
    let texts: Vec<String> = args
        .source
        .iter()
        .map(|p| {
            String::from_utf8(read_source_text(p)?).map_err(|_| {
                anyhow::anyhow!(
                    "the source text {} is not UTF-8; save it as UTF-8 and try again",
                    crate::import::shown_path(p)
                )
            })
        })
        .collect::<Result<_>>()?;
    let files: Vec<(String, String)> = sources
        .iter()
        .map(|s| Ok((s.origin.clone(), s.read()?.into_owned())))
        .collect::<Result<_>>()?;
    let found = crate::deck::check::check(&files, &texts);
    let n_err = found.iter().filter(|f| f.is_error()).count();
    let n_warn = found.len() - n_err;
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        crate::json::write_pretty(
            &mut out,
            &serde_json::json!({ "files": sources.len(), "errors": n_err, "warnings": n_warn, "diagnostics": found }),
        )?;
        writeln!(out)?;
    } else {
        // File names and messages quote the deck, which may come from
        // anyone: nothing in them reaches the terminal as a control.
        for f in &found {
            writeln!(
                out,
                "{}:{}:{}: {}: {}",
                shown(Path::new(&f.file)),
                f.line,
                f.column,
                f.severity,
                clean_line(&f.message)
            )?;
            if let Some(h) = &f.hint {
                writeln!(out, "  hint: {}", clean_line(h))?;
            }
        }
        let files = sources.len();
        writeln!(
            out,
            "{n_err} error{}, {n_warn} warning{} in {files} file{}",
            plural(n_err),
            plural(n_warn),
            plural(files)
        )?;
    }
    out.flush()?;
    Ok(if n_err > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
