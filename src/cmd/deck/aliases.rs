//! `kioku deck aliases` and `kioku deck fmt --with-aliases`: the answers
//! the learner said were right ("I was right"), kept on this database,
//! handed back to the deck's author — printed per deck file as TOML to
//! paste, or written into the files' `accept` lists and cloze gaps.
//!
//! It must never judge an answer: two answers are one when the session's
//! key for accepted answers (`session::accepted_key`) says so, and the
//! file's comments and layout are kept by editing it with `toml_edit`.

use crate::cli::DeckAliasesArgs;
use crate::cmd::{deck_filter, Context};
use crate::deck::CardKind;
use crate::session::accepted_key;
use crate::store::{AcceptedAnswer, Store};
use anyhow::Result;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::process::ExitCode;
use toml_edit::{Array, DocumentMut, Item, Value};

/// The answers accepted for one card, by card key, in the store's order.
type ByCard = BTreeMap<String, Vec<String>>;

/// The accepted answers of each deck, by deck id.
fn by_deck(rows: Vec<AcceptedAnswer>) -> BTreeMap<String, (Vec<String>, ByCard)> {
    let mut decks: BTreeMap<String, (Vec<String>, ByCard)> = BTreeMap::new();
    for row in rows {
        let (order, cards) = decks.entry(row.deck_id).or_default();
        if !cards.contains_key(&row.card_key) {
            order.push(row.card_key.clone());
        }
        cards.entry(row.card_key).or_default().push(row.answer);
    }
    decks
}

/// `forms` with each of `new` added that is not one of them already (nor
/// the answer itself), in order.
pub(super) fn merged(answer: &str, forms: &[String], new: &[String]) -> Vec<String> {
    let mut keys: Vec<String> = std::iter::once(answer)
        .chain(forms.iter().map(String::as_str))
        .map(accepted_key)
        .collect();
    let mut out = forms.to_vec();
    for n in new {
        let key = accepted_key(n);
        if !key.is_empty() && !keys.contains(&key) {
            keys.push(key);
            out.push(n.clone());
        }
    }
    out
}

/// A TOML string, quoted and escaped.
fn toml_string(s: &str) -> String {
    Value::from(s).to_string().trim().to_string()
}

/// A cloze gap written with its accepted answers: `{{Etorofu|Iturup}}`.
fn gap_text(answer: &str, forms: &[String]) -> String {
    let mut all = vec![answer.to_string()];
    all.extend(forms.iter().cloned());
    format!("{{{{{}}}}}", all.join("|"))
}

/// An answer that can go into a cloze gap as written: one that holds the
/// gap's own marks cannot.
fn fits_a_gap(s: &str) -> bool {
    !s.contains('|') && !s.contains("{{") && !s.contains("}}") && !s.contains('\n')
}

pub(super) fn run(args: DeckAliasesArgs, ctx: &Context) -> Result<ExitCode> {
    let mut store = ctx.open_store()?;
    let synced = ctx.sync_decks(&mut store)?;
    let decks = deck_filter(&synced, &args.ids)?;
    let all = by_deck(store.accepted_in(&decks)?);
    let mut out = String::new();
    for (deck_id, (order, cards)) in &all {
        let origin = synced
            .iter()
            .find(|d| &d.id == deck_id)
            .map_or("not in the deck files now", |d| d.origin.as_str());
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("# {origin} (deck {deck_id})\n"));
        out.push_str(&card_blocks(&store, deck_id, order, cards)?);
    }
    let mut stdout = io::stdout().lock();
    if out.is_empty() {
        writeln!(
            stdout,
            "# no answers have been accepted on this database yet"
        )?;
    } else {
        stdout.write_all(crate::text::clean(&out).as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// One `[[cards]]` block per card (per cloze text, for its gaps) that
/// gains an answer, ready to paste over the card's own `accept`.
fn card_blocks(store: &Store, deck_id: &str, order: &[String], cards: &ByCard) -> Result<String> {
    let mut out = String::new();
    let mut notes_done: Vec<String> = Vec::new();
    for key in order {
        let Some(record) = store.find_card(deck_id, key)? else {
            continue;
        };
        let card = &record.card;
        match &card.kind {
            CardKind::Typed { a, accept, .. } => {
                let forms = merged(a, accept, &cards[key]);
                let list: Vec<String> = forms.iter().map(|f| toml_string(f)).collect();
                out.push_str(&format!(
                    "[[cards]]\nid = {}\naccept = [{}]\n",
                    toml_string(&card.id),
                    list.join(", ")
                ));
            }
            CardKind::Cloze { gaps, .. } => {
                if notes_done.contains(&card.note) {
                    continue;
                }
                notes_done.push(card.note.clone());
                out.push_str(&format!("[[cards]]\nid = {}\n", toml_string(&card.note)));
                for (i, gap) in gaps.iter().enumerate() {
                    let gap_key = format!("{}.{}", card.note, i + 1);
                    let Some(new) = cards.get(&gap_key) else {
                        continue;
                    };
                    let forms = merged(&gap.answer, &gap.accept, new);
                    out.push_str(&format!(
                        "# gap {} of `text`, written with the answers accepted here: {}\n",
                        i + 1,
                        gap_text(&gap.answer, &forms)
                    ));
                }
            }
            // Only typed answers are ever accepted.
            _ => {}
        }
    }
    Ok(out)
}

/// The deck file `text` with the answers accepted on this database added to
/// its cards' `accept` lists and cloze gaps; the text as it was when there
/// is nothing to add (or it is not a deck this can read).
pub(super) fn write_into(text: &str, store: &Store) -> Result<String> {
    let Some(deck) = crate::deck::parse_deck(text).deck else {
        return Ok(text.to_string());
    };
    let rows = store.accepted_in(std::slice::from_ref(&deck.id))?;
    if rows.is_empty() {
        return Ok(text.to_string());
    }
    let Some((_, cards)) = by_deck(rows).remove(&deck.id) else {
        return Ok(text.to_string());
    };
    let Ok(mut doc) = text.parse::<DocumentMut>() else {
        return Ok(text.to_string());
    };
    let mut changed = false;
    if let Some(tables) = doc.get_mut("cards").and_then(Item::as_array_of_tables_mut) {
        for table in tables.iter_mut() {
            let Some(id) = table.get("id").and_then(Item::as_str).map(str::to_string) else {
                continue;
            };
            for card in deck.cards.iter().filter(|c| c.note == id) {
                let Some(new) = cards.get(&card.id) else {
                    continue;
                };
                match &card.kind {
                    CardKind::Typed { a, accept, .. } => {
                        let forms = merged(a, accept, new);
                        let added = &forms[accept.len()..];
                        if added.is_empty() {
                            continue;
                        }
                        match table.get_mut("accept").and_then(Item::as_array_mut) {
                            Some(list) => added.iter().for_each(|f| list.push(f.as_str())),
                            None => {
                                let list: Array = added.iter().map(String::as_str).collect();
                                table.insert("accept", toml_edit::value(list));
                            }
                        }
                        changed = true;
                    }
                    CardKind::Cloze { gaps, gap, .. } => {
                        let Some(g) = gaps.get(*gap) else {
                            continue;
                        };
                        let fitting: Vec<String> =
                            new.iter().filter(|n| fits_a_gap(n)).cloned().collect();
                        let forms = merged(&g.answer, &g.accept, &fitting);
                        let added = &forms[g.accept.len()..];
                        if added.is_empty() {
                            continue;
                        }
                        let Some(item) = table.get_mut("text") else {
                            continue;
                        };
                        let Some(old) = item.as_str().map(str::to_string) else {
                            continue;
                        };
                        let Some(written) = with_gap_forms(&old, *gap, added) else {
                            continue;
                        };
                        let decor = item.as_value().map(|v| v.decor().clone());
                        let mut value = Value::from(written);
                        if let Some(decor) = decor {
                            *value.decor_mut() = decor;
                        }
                        *item = Item::Value(value);
                        changed = true;
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(if changed {
        doc.to_string()
    } else {
        text.to_string()
    })
}

/// `text` with `forms` added before the closing braces of gap `gap`
/// (0-based), gaps read as the cloze grammar reads them: each `{{` up to
/// the next `}}`.
fn with_gap_forms(text: &str, gap: usize, forms: &[String]) -> Option<String> {
    let mut from = 0;
    for i in 0..=gap {
        let open = from + text[from..].find("{{")?;
        let close = open + 2 + text[open + 2..].find("}}")?;
        if i == gap {
            let extra: String = forms.iter().map(|f| format!("|{f}")).collect();
            return Some(format!("{}{extra}{}", &text[..close], &text[close..]));
        }
        from = close + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_already_accepted_in_other_letters_is_not_added_again() {
        let forms = merged(
            "Adam Laxman",
            &["Laxman".into()],
            &[
                "laxman".into(),
                "Rakusuman".into(),
                "RAKUSUMAN".into(),
                "adam-laxman".into(),
            ],
        );
        assert_eq!(forms, ["Laxman", "Rakusuman"]);
    }

    #[test]
    fn a_gap_gains_its_forms_before_its_closing_braces() {
        let text = "Iturup is {{Etorofu|Etorofu-to}} and Kunashir {{Kunashiri}}.";
        assert_eq!(
            with_gap_forms(text, 1, &["Kunashiri-to".into()]).unwrap(),
            "Iturup is {{Etorofu|Etorofu-to}} and Kunashir {{Kunashiri|Kunashiri-to}}."
        );
        assert_eq!(
            with_gap_forms(text, 0, &["Iturup".into()]).unwrap(),
            "Iturup is {{Etorofu|Etorofu-to|Iturup}} and Kunashir {{Kunashiri}}."
        );
        assert_eq!(with_gap_forms(text, 2, &["x".into()]), None);
        assert!(!fits_a_gap("a|b") && !fits_a_gap("}}") && fits_a_gap("Iturup"));
    }
}
