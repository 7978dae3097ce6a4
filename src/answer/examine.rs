//! The examiner: a typed answer or cloze gap against the key (the answer
//! and its aliases) as a knowledgeable teacher would mark it.
//!
//! The stages, each a small function below or in [`super::tokens`] and
//! [`super::lexicon`]: read both sides into tokens; match them as a bag
//! (word order is free); pair what is left as typos where a typo is
//! allowed; set aside what a learner may add or leave out (titles, head
//! words, the question's own words); and decide. Pure: it must never do
//! I/O or know about scheduling.

use super::lexicon::builtin;
use super::tokens::Tok;
use crate::fold::{edit_distance, normalize, squeeze};
use crate::types::Verdict;
use std::collections::HashSet;

/// What an answer is judged against.
#[derive(Debug, Clone, Copy)]
pub struct Key<'a> {
    pub answer: &'a str,
    pub accept: &'a [String],
    /// The card's question (a cloze's text with the gap hidden): words it
    /// already says may be added to an answer or left out of it.
    pub question: &'a str,
    /// The deck's own groups of names for the same thing.
    pub synonyms: &'a [Vec<String>],
}

/// An answer this many tokens longer than the longest form of the key and
/// the question together (twice that, plus this) is a pasted page, not an
/// answer: it can at best be close, and is judged without typo pairing.
const PASTE_SLACK: usize = 8;

/// Judges `given` against every form of the key and keeps the best verdict.
/// The answer is read once, whatever the number of forms.
pub fn judge(given: &str, key: &Key) -> Verdict {
    let lex = builtin();
    let whole = lex.tokens(given, key.synonyms);
    let question_toks = lex.tokens(key.question, key.synonyms);
    let asked = asked_kind(&question_toks);
    let forms: Vec<Form> = std::iter::once(key.answer)
        .chain(key.accept.iter().map(String::as_str))
        .filter(|c| !normalize(c).is_empty())
        .flat_map(readings)
        .map(|r| Form::new(lex.tokens(&r, key.synonyms), &r))
        .collect();
    let longest = forms.iter().map(|f| f.toks.len()).max().unwrap_or(0);
    let pasted = whole.len() > 2 * (longest + question_toks.len()) + PASTE_SLACK;
    let answer = if pasted {
        // The whole-line comparisons need the letters of both sides within
        // a few of each other: they have nothing to do here.
        Answer {
            squeezed: String::new(),
            words: 0,
            pasted,
        }
    } else {
        let norm = normalize(given);
        if norm.is_empty() {
            return Verdict::Wrong;
        }
        Answer {
            squeezed: squeeze(&norm),
            words: norm.split_whitespace().count(),
            pasted,
        }
    };
    let mut givens = vec![whole];
    if !pasted {
        givens.extend(
            readings(given)
                .iter()
                .skip(1)
                .map(|g| lex.tokens(g, key.synonyms)),
        );
    }
    let question: HashSet<Tok> = question_toks.into_iter().collect();
    let ctx = Context {
        question: &question,
        asked: &asked,
        person: looks_like_a_person(&question),
        given: &answer,
    };
    let mut best = Verdict::Wrong;
    for form in &forms {
        for g in &givens {
            match compare(g, form, &ctx) {
                Verdict::Correct => return Verdict::Correct,
                // A pasted page is close at best: no need to look further.
                Verdict::Close if pasted => return Verdict::Close,
                Verdict::Close => best = Verdict::Close,
                _ => {}
            }
        }
    }
    best
}

/// One form of the key (the answer, an alias, or a reading of one of them),
/// read once.
struct Form {
    toks: Vec<Tok>,
    /// Its letters, folded, without spaces.
    squeezed: String,
    /// Its words, folded.
    words: usize,
    /// How many letters the whole may be off ([`super::typo_allowance`]).
    allowance: usize,
}

impl Form {
    fn new(toks: Vec<Tok>, text: &str) -> Form {
        let norm = normalize(text);
        Form {
            toks,
            squeezed: squeeze(&norm),
            words: norm.split_whitespace().count(),
            allowance: super::typo_allowance(&norm),
        }
    }
}

/// The learner's answer as the whole-line comparisons need it, read once.
struct Answer {
    squeezed: String,
    words: usize,
    /// Far longer than every form of the key: close at best.
    pasted: bool,
}

/// A text with a part in brackets is read three ways: without the bracket,
/// the bracket alone, and both together (`Republic of Sakha (Yakutia)`
/// names Sakha and Yakutia; either is the answer).
pub fn readings(s: &str) -> Vec<String> {
    let (Some(open), Some(close)) = (s.find('('), s.rfind(')')) else {
        return vec![s.to_string()];
    };
    if close < open {
        return vec![s.to_string()];
    }
    let outside = format!("{} {}", &s[..open], &s[close + 1..]);
    let inside = s[open + 1..close].to_string();
    vec![s.to_string(), outside, inside]
}

/// A question that asks for a person ("who", or a title such as "prime
/// minister" or "ruler"): then a surname alone names them.
fn looks_like_a_person(question: &HashSet<Tok>) -> bool {
    question.contains(&Tok::Title)
        || [
            "who", "whom", "whose", "ruler", "leader", "person", "spy", "man", "woman",
        ]
        .iter()
        .any(|w| question.contains(&Tok::Word((*w).to_string())))
}

/// The kinds the question asks for: a head word shortly after `which` or
/// `what` ("which 1939 battle", "what other kind of agreement").
fn asked_kind(question: &[Tok]) -> Vec<Tok> {
    let asking = |t: &Tok| matches!(t, Tok::Word(w) if w == "which" || w == "what");
    question
        .iter()
        .enumerate()
        .filter(|(_, t)| asking(t))
        .flat_map(|(i, _)| question[i + 1..].iter().take(4))
        .filter(|t| matches!(t, Tok::Head(_)))
        .cloned()
        .collect()
}

struct Context<'a> {
    question: &'a HashSet<Tok>,
    asked: &'a [Tok],
    person: bool,
    given: &'a Answer,
}

/// What is left of the two sides after matching them as bags of tokens.
#[derive(Debug, Default)]
struct Leftover<'t> {
    /// The key's tokens the answer has.
    matched: Vec<&'t Tok>,
    /// The key's tokens the answer lacks.
    missing: Vec<&'t Tok>,
    /// The answer's tokens the key lacks.
    extra: Vec<&'t Tok>,
    /// Letters edited in the pairs taken as typos.
    typos: usize,
}

/// Bag matching: word order is free, so `Joint Soviet-Japanese
/// Declaration` and `Soviet-Japanese Joint Declaration`, or a name in
/// either order, are the same words.
fn match_bags<'t>(given: &'t [Tok], key: &'t [Tok]) -> Leftover<'t> {
    let mut left = Leftover {
        missing: key.iter().collect(),
        ..Leftover::default()
    };
    for t in given {
        match left.missing.iter().position(|m| *m == t) {
            Some(i) => left.matched.push(left.missing.remove(i)),
            None => left.extra.push(t),
        }
    }
    left
}

/// How many letters a word may be off and still be that word: none up to
/// three letters, one up to seven, two beyond.
fn word_allowance(word: &str) -> usize {
    match word.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// One word is the other with a negating prefix (`friendly`,
/// `unfriendly`): never a typo, always the opposite.
fn negates(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    ["un", "non", "in", "im", "il", "ir", "dis", "anti", "a"]
        .iter()
        .any(|p| long.strip_prefix(p) == Some(short))
}

/// Typo pairing: an extra word of the answer is taken as a slip for a
/// missing word of the key when it is within that word's allowance. Only
/// plain words: numbers, dates, marks and known names never get a typo
/// allowance, so `Alexander II` stays apart from `Alexander I` and `North`
/// from `South`.
fn pair_typos(left: &mut Leftover) {
    let mut i = 0;
    while i < left.extra.len() {
        let Tok::Word(a) = left.extra[i] else {
            i += 1;
            continue;
        };
        let found = left.missing.iter().enumerate().find_map(|(j, m)| match m {
            Tok::Word(b) if !negates(a, b) => {
                let d = edit_distance(a, b);
                (d <= word_allowance(b)).then_some((j, d))
            }
            _ => None,
        });
        match found {
            Some((j, d)) => {
                left.typos += d;
                left.matched.push(left.missing.remove(j));
                left.extra.remove(i);
            }
            None => i += 1,
        }
    }
}

/// Words a learner may add or leave out without changing what they name:
/// titles, head words and anything the question already says (a
/// negation never is).
fn optional(t: &Tok, question: &HashSet<Tok>) -> bool {
    matches!(t, Tok::Title | Tok::Head(_)) || (*t != Tok::Neg && question.contains(t))
}

/// The decision, from what is left over. A different head word, mark or
/// negation in place of the key's is a different thing: wrong. An added
/// number or date is a different number or year: wrong. Nothing missing is
/// correct (close with typos, or with added words that are not generic);
/// most of the key's own words there is close; less is wrong.
fn compare(given: &[Tok], form: &Form, ctx: &Context) -> Verdict {
    let key = &form.toks[..];
    if given.is_empty() || key.is_empty() {
        return Verdict::Wrong;
    }
    // Titles stand in for one another in front of a name; an answer that
    // is a title alone ("diplomats") asks for that title, letter by letter.
    if key.iter().all(|t| *t == Tok::Title) {
        return title_alone(ctx.given, form);
    }
    if given == key || run_together(ctx.given, form) {
        return Verdict::Correct;
    }
    match compare_bags(given, form, ctx) {
        Verdict::Correct if ctx.given.pasted => Verdict::Close,
        verdict => verdict,
    }
}

/// [`compare`] past the exact matches: the bags, their leftovers, and the
/// rules that decide from them.
fn compare_bags(given: &[Tok], form: &Form, ctx: &Context) -> Verdict {
    let key = &form.toks[..];
    let mut left = match_bags(given, key);
    let plain_words_only = left
        .extra
        .iter()
        .all(|t| matches!(t, Tok::Word(_) | Tok::Head(_) | Tok::Title))
        && left
            .missing
            .iter()
            .all(|t| matches!(t, Tok::Word(_) | Tok::Head(_) | Tok::Title | Tok::Same(_)));
    // A slip inside a name the lexicon knows (`Untied States`) leaves
    // that name missing as a whole.
    let broke_a_name = left.missing.iter().any(|t| matches!(t, Tok::Same(_)));
    if !ctx.given.pasted {
        // Every extra word of a pasted page against every missing word
        // would be the costliest step, for an answer that is close at best.
        pair_typos(&mut left);
    }
    if names_another_thing(&left, ctx) {
        return Verdict::Wrong;
    }
    let added_head = left.extra.iter().any(|t| matches!(t, Tok::Head(_)));
    left.extra.retain(|t| !optional(t, ctx.question));
    if left
        .extra
        .iter()
        .any(|t| matches!(t, Tok::Num(_) | Tok::Date(..) | Tok::Month(_)))
    {
        return Verdict::Wrong;
    }
    // The key's core: its own words (all of it when that would leave
    // nothing).
    let core = own_words(key, ctx.question);
    let core_total = if core.is_empty() {
        key.len()
    } else {
        core.len()
    };
    if !core.is_empty() {
        left.missing.retain(|t| core.contains(t));
    }
    let within = left.typos <= form.allowance;
    if left.missing.is_empty() {
        return nothing_missing(&left, within);
    }
    let slip = plain_words_only
        && (ctx.given.words != form.words || broke_a_name)
        && spelling_slip(ctx.given, form);
    if added_head && !slip {
        // A head word in place of one of the key's own words: a treaty
        // where a war was asked.
        return Verdict::Wrong;
    }
    let matched_core = core_total - left.missing.len();
    if surname_alone(&left, key, ctx) {
        let slips = Leftover {
            typos: left.typos,
            ..Leftover::default()
        };
        return nothing_missing(&slips, true);
    }
    // Part of the key and nothing else: close when it is most of it and
    // more than a mark (`northern` names nothing). Part of the key with
    // other words in place of the rest names something else.
    let named = core
        .iter()
        .any(|t| !matches!(t, Tok::Mark(_)) && !left.missing.contains(t));
    if left.extra.is_empty() && named && matched_core * 2 >= core_total && within {
        return Verdict::Close;
    }
    if slip {
        return Verdict::Close;
    }
    Verdict::Wrong
}

/// The key's own words: all but the optional ones. A mark alone names
/// nothing, so where the rest are only marks (`Northern Territories`), the
/// head word they mark is the key's own too, and may be neither left out
/// nor swapped for another name (`northern Sakhalin`).
fn own_words<'k>(key: &'k [Tok], question: &HashSet<Tok>) -> Vec<&'k Tok> {
    let own: Vec<&Tok> = key.iter().filter(|t| !optional(t, question)).collect();
    if !own.is_empty() && own.iter().all(|t| matches!(t, Tok::Mark(_))) {
        return key
            .iter()
            .filter(|t| !optional(t, question) || matches!(t, Tok::Head(_)))
            .collect();
    }
    own
}

/// Nothing of the key is missing: correct, or close with typos or with
/// added words that are not generic.
fn nothing_missing(left: &Leftover, within: bool) -> Verdict {
    if left.extra.is_empty() && left.typos == 0 {
        Verdict::Correct
    } else if within {
        Verdict::Close
    } else {
        Verdict::Wrong
    }
}

/// What is left names another thing than the key: a different head word,
/// mark or negation in place of the key's, a mark the question contradicts,
/// a head of another kind than the question asks for, or a word and its
/// negated form.
fn names_another_thing(left: &Leftover, ctx: &Context) -> bool {
    let swapped =
        |f: fn(&Tok) -> bool| left.extra.iter().any(|t| f(t)) && left.missing.iter().any(|t| f(t));
    if swapped(|t| matches!(t, Tok::Head(_))) || swapped(|t| matches!(t, Tok::Mark(_))) {
        return true;
    }
    // A mark the question contradicts: `North Sakhalin` where the question
    // asks for the southern part, `Prince` where it asks for a princess.
    let question_marks = || ctx.question.iter().filter(|t| matches!(t, Tok::Mark(_)));
    if question_marks().next().is_some()
        && left
            .extra
            .iter()
            .any(|t| matches!(t, Tok::Mark(_)) && !ctx.question.contains(t))
    {
        return true;
    }
    // A head of another kind than the one the question asks for: a
    // treaty where a battle is asked.
    if !ctx.asked.is_empty()
        && left
            .extra
            .iter()
            .any(|t| matches!(t, Tok::Head(_)) && !ctx.asked.contains(t))
    {
        return true;
    }
    let opposite = left.extra.iter().any(|e| {
        left.missing
            .iter()
            .any(|m| matches!((e, m), (Tok::Word(a), Tok::Word(b)) if negates(a, b)))
    });
    if opposite {
        return true;
    }
    if left
        .extra
        .iter()
        .chain(&left.missing)
        .any(|t| **t == Tok::Neg)
    {
        return true;
    }
    false
}

/// A surname alone for a full name, when the question asks for a person:
/// the answer is the key's last word and nothing else, and what it leaves
/// out are plain words (a given name), not a number (`Alexander` is not
/// `Alexander II`).
fn surname_alone(left: &Leftover, key: &[Tok], ctx: &Context) -> bool {
    ctx.person
        && left.extra.is_empty()
        && left
            .missing
            .iter()
            .all(|t| matches!(t, Tok::Word(_) | Tok::Same(_)))
        && key
            .iter()
            .rev()
            .find(|t| matches!(t, Tok::Word(_)))
            .is_some_and(|last| {
                left.matched
                    .iter()
                    .filter(|t| matches!(t, Tok::Word(_)))
                    .eq([&last])
            })
}

/// The same letters with the spaces in other places (`sovietunion`):
/// correct, unless a digit is among them, where a space or a point can
/// make another number.
/// A key that is a title alone: the same letters (one or many:
/// `diplomat`, `diplomats`), or a slip within the allowance; another title
/// is another thing.
fn title_alone(given: &Answer, key: &Form) -> Verdict {
    let one = |s: &str| -> String {
        let s = s.strip_suffix('s').filter(|r| r.len() >= 3).unwrap_or(s);
        s.to_string()
    };
    if one(&given.squeezed) == one(&key.squeezed) {
        Verdict::Correct
    } else if !given.pasted && edit_distance(&given.squeezed, &key.squeezed) <= key.allowance {
        Verdict::Close
    } else {
        Verdict::Wrong
    }
}

fn run_together(given: &Answer, key: &Form) -> bool {
    !given.pasted
        && given.squeezed == key.squeezed
        && !given.squeezed.chars().any(|c| c.is_ascii_digit())
}

/// The old whole-line slip, for words run together or split apart
/// (`Laxm an`): the letters of both, spaces aside, within the allowance.
/// Only called when nothing but plain words differ.
fn spelling_slip(given: &Answer, key: &Form) -> bool {
    let allowed = key.allowance;
    let apart = key
        .squeezed
        .chars()
        .count()
        .abs_diff(given.squeezed.chars().count());
    !given.pasted
        && allowed > 0
        && apart <= allowed
        && edit_distance(&key.squeezed, &given.squeezed) <= allowed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key<'a>(answer: &'a str, accept: &'a [String], question: &'a str) -> Key<'a> {
        Key {
            answer,
            accept,
            question,
            synonyms: &[],
        }
    }

    #[test]
    fn a_pasted_page_is_close_at_best() {
        let none: Vec<String> = Vec::new();
        let q = "Which treaty of 1855 first set a border between Japan and Russia?";
        let k = key("Treaty of Shimoda", &none, q);
        // The right answer, said again and again: it is in there, but a page
        // is not an answer.
        let again = "the Treaty of Shimoda ".repeat(40);
        assert_eq!(judge(&again, &k), Verdict::Close);
        // A page that names another year beside the answer.
        let dated = "Treaty of Shimoda signed in 1856 ".repeat(30);
        assert_eq!(judge(&dated, &k), Verdict::Wrong);
        let other = "Rezanov and the Nadezhda at Nagasaki ".repeat(25);
        assert_eq!(judge(&other, &k), Verdict::Wrong);
        // A long answer that restates the question is not a page.
        let restated =
            "the 1855 Treaty of Shimoda, which first set a border between Japan and Russia";
        assert_eq!(judge(restated, &k), Verdict::Correct);
    }
}
