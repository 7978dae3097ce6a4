//! The first stages of the examiner: a typed line folded, cut into words
//! and numbers, and each word spelt one way.
//!
//! Pure string work on one line at a time. It knows nothing of cards or
//! verdicts and must never look anything up beyond its own small tables
//! of number and month words; the lexicon comes after it.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// One piece of an answer after reading, the unit every comparison works on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Tok {
    /// A word, spelt in its one canonical way ([`canon_word`]).
    Word(String),
    /// A quantity in millionths, so that 1.9 and 19 stay apart and
    /// 4.4 billion equals 4,400 million.
    Num(i128),
    /// A month named alone.
    Month(u8),
    /// A day of a month, whatever order and form it was written in.
    Date(u8, u8),
    /// One of the lexicon's groups of names for the same thing.
    Same(u16),
    /// A head word that names the kind of a thing (battle, treaty, island).
    Head(u16),
    /// A title in front of a name.
    Title,
    /// A word that makes a different thing of the same words (north, prince).
    Mark(u16),
    /// A word that turns an answer into its opposite.
    Neg,
}

impl Tok {
    /// Numbers, dates and marks name a different thing when they differ:
    /// no typo allowance, and an added one is not a harmless extra word.
    pub fn is_protected(&self) -> bool {
        matches!(
            self,
            Tok::Num(_) | Tok::Month(_) | Tok::Date(..) | Tok::Mark(_) | Tok::Neg
        )
    }
}

/// Stage one: Unicode compatibility forms, accents and case dropped. A
/// decimal point between digits is kept (1.9 is not 19) and a comma before
/// three digits is a thousands separator; `$` and `%` become the words they
/// stand for (a `US` glued to `$` is part of the currency); every other mark
/// separates words, except apostrophes, which join them (`Sato's`).
pub fn fold(s: &str) -> String {
    let chars: Vec<char> = s.nfkd().filter(|c| !is_combining_mark(*c)).collect();
    let digit_at = |i: usize| chars.get(i).is_some_and(|c| c.is_ascii_digit());
    let mut out = String::with_capacity(s.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let between_digits = i > 0 && digit_at(i - 1) && digit_at(i + 1);
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if c == '.' && between_digits {
            out.push('.');
        } else if c == ',' && between_digits && (1..=3).all(|k| digit_at(i + k)) && !digit_at(i + 4)
        {
            // A thousands separator: dropped.
        } else if c == '$' {
            if out.ends_with("us") && !out[..out.len() - 2].ends_with(char::is_alphanumeric) {
                out.truncate(out.len() - 2);
            }
            out.push_str(" dollar ");
        } else if c == '%' {
            out.push_str(" percent ");
        } else if matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`') {
            // Apostrophes join: "Sato's" is one word.
        } else {
            out.push(' ');
        }
    }
    out
}

/// Stage two: the folded text cut into words, and a word that mixes
/// letters and digits cut where they meet (`8th`, `4.4bn`, `g7`), so that
/// a number is always a piece of its own.
pub fn raw_words(folded: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for word in folded.split_whitespace() {
        let mut start = 0;
        let mut prev_digit: Option<bool> = None;
        for (i, c) in word.char_indices() {
            let digit = c.is_ascii_digit() || (c == '.' && prev_digit == Some(true));
            if prev_digit.is_some_and(|p| p != digit) {
                out.push(&word[start..i]);
                start = i;
            }
            prev_digit = Some(digit);
        }
        out.push(&word[start..]);
    }
    out
}

const UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];
const ORDINALS: [&str; 10] = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
];
const ROMAN: [&str; 10] = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"];
const MONTHS: [&[&str]; 12] = [
    &["january", "jan"],
    &["february", "feb"],
    &["march", "mar"],
    &["april", "apr"],
    &["may"],
    &["june", "jun"],
    &["july", "jul"],
    &["august", "aug"],
    &["september", "sep", "sept"],
    &["october", "oct"],
    &["november", "nov"],
    &["december", "dec"],
];
const MILLION: i128 = 1_000_000;

/// A month's number (1 to 12) from its folded name or abbreviation.
pub fn month(word: &str) -> Option<u8> {
    MONTHS
        .iter()
        .position(|names| names.contains(&word))
        .map(|m| m as u8 + 1)
}

/// A multiplier word after a number: `70 thousand`, `4.4bn`.
fn magnitude(word: &str) -> Option<i128> {
    Some(match word {
        "hundred" => 100,
        "thousand" | "k" => 1_000,
        "million" | "mn" | "m" => 1_000_000,
        "billion" | "bn" => 1_000_000_000,
        "trillion" | "tn" => 1_000_000_000_000,
        _ => return None,
    })
}

/// A number word's value (`seventy`), not counting multipliers.
fn number_word(word: &str) -> Option<i128> {
    if let Some(i) = UNITS.iter().position(|u| *u == word) {
        return Some(i as i128);
    }
    TENS.iter()
        .position(|t| *t == word)
        .map(|i| (i as i128 + 2) * 10)
}

/// Digits, with a decimal point kept, as millionths.
fn parse_digits(s: &str) -> Option<i128> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.len() > 20 || frac.contains('.') {
        return None;
    }
    let mut value: i128 = whole.parse().ok()?;
    value *= MILLION;
    let mut scale = MILLION / 10;
    for d in frac.bytes().take(6) {
        value += i128::from(d - b'0') * scale;
        scale /= 10;
    }
    Some(value)
}

/// Stage three: numbers read whatever way they were written. Digits with
/// their decimal point, a group of three digits after a space (`70 000`),
/// an ordinal ending (`8th`), a multiplier (`4.4 billion`, `$4.4bn`), number
/// words (`seventy thousand`), ordinal words (`the First`), a Roman numeral
/// after a name (`Alexander II`), and month names. Everything else is a word.
pub fn numbers(raw: &[&str]) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let w = raw[i];
        i += 1;
        let in_words = number_word(w).is_some();
        let mut value = if w.starts_with(|c: char| c.is_ascii_digit()) {
            let Some(mut v) = parse_digits(w) else {
                out.push(Tok::Word(w.to_string()));
                continue;
            };
            while v % MILLION == 0
                && i < raw.len()
                && raw[i].len() == 3
                && raw[i].bytes().all(|b| b.is_ascii_digit())
            {
                v = v * 1000 + parse_digits(raw[i]).unwrap_or(0);
                i += 1;
            }
            if i < raw.len() && matches!(raw[i], "st" | "nd" | "rd" | "th") {
                i += 1;
            }
            v
        } else if let Some(n) = number_word(w) {
            n * MILLION
        } else if let Some(n) = ORDINALS.iter().position(|o| *o == w) {
            out.push(Tok::Num((n as i128 + 1) * MILLION));
            continue;
        } else if let Some(n) = ROMAN
            .iter()
            .position(|r| *r == w)
            .filter(|_| matches!(out.last(), Some(Tok::Word(_))))
        {
            out.push(Tok::Num((n as i128 + 1) * MILLION));
            continue;
        } else if let Some(m) = month(w) {
            out.push(Tok::Month(m));
            continue;
        } else {
            out.push(Tok::Word(w.to_string()));
            continue;
        };
        // Number words and multipliers that follow: "seventy thousand",
        // "four hundred and twenty", "4,400 million".
        let mut total: i128 = 0;
        while i < raw.len() {
            if let Some(m) = magnitude(raw[i]) {
                value = value.saturating_mul(m);
                if m >= 1000 {
                    total = total.saturating_add(value);
                    value = 0;
                }
            } else if let Some(n) = number_word(raw[i]).filter(|_| in_words) {
                value = value.saturating_add(n * MILLION);
            } else if in_words
                && raw[i] == "and"
                && raw.get(i + 1).is_some_and(|w| number_word(w).is_some())
            {
            } else {
                break;
            }
            i += 1;
        }
        out.push(Tok::Num(total.saturating_add(value)));
    }
    out
}

/// Stage four: one spelling for a word that is written several ways, applied
/// to the answer and the key alike so that it can only join spellings, never
/// tell them apart. Plurals (`Kurils`, `territories`); British and American
/// `-ise`/`-ize`; Japanese long vowels (`ō`, `ou`, `oo`, `oh`, `uu`: the
/// accent is already gone, so `Kōdayū`, `Koudayuu` and `Kodayu` meet; this
/// also joins `labour` and `labor`); the common transliterations of Russian
/// (`ks`/`x`, `kh`/`h`, a final `-ey`/`-ei`, `-iy`/`-i`, `-off`/`-ov`).
pub fn canon_word(word: &str) -> String {
    let mut w = word.to_string();
    if w.len() > 3 && w.is_ascii() {
        if let Some(stem) = w.strip_suffix("ies") {
            w = format!("{stem}y");
        } else if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") {
            w.pop();
        }
    }
    for (from, to) in [("isation", "ization"), ("ised", "ized"), ("ising", "izing")] {
        if let Some(stem) = w.strip_suffix(from) {
            w = format!("{stem}{to}");
        }
    }
    if let Some(stem) = w.strip_suffix("ise") {
        if stem.len() > 3 {
            w = format!("{stem}ize");
        }
    }
    let mut out = String::with_capacity(w.len());
    let b: Vec<char> = w.chars().collect();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        let after = b.get(i + 2).copied();
        let consonant_or_end = after.is_none_or(|a| !"aeiouy".contains(a));
        match (c, next) {
            ('o', Some('u' | 'o')) | ('u', Some('u')) => i += 1,
            ('o', Some('h')) if consonant_or_end => i += 1,
            ('k', Some('s')) => {
                out.push('x');
                i += 2;
                continue;
            }
            ('k', Some('h')) => {
                out.push('h');
                i += 2;
                continue;
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    for (from, to) in [("ey", "ei"), ("iy", "i"), ("off", "ov")] {
        if let Some(stem) = out.strip_suffix(from) {
            if !stem.is_empty() {
                out = format!("{stem}{to}");
            }
        }
    }
    out
}

/// Stage five, after the lexicon: a month next to a day number, either way
/// round (`8 August`, `August 8th`, `Aug. 8`, `8th of August`), is one date.
/// A year after it stays a number of its own.
pub fn dates(toks: Vec<Tok>) -> Vec<Tok> {
    let day = |t: &Tok| match t {
        Tok::Num(v) if v % MILLION == 0 && (1..=31).contains(&(v / MILLION)) => {
            Some((v / MILLION) as u8)
        }
        _ => None,
    };
    let mut out = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        match (&toks[i], toks.get(i + 1)) {
            (Tok::Month(m), Some(next)) if day(next).is_some() => {
                out.push(Tok::Date(*m, day(next).unwrap_or(0)));
                i += 2;
            }
            (first, Some(Tok::Month(m))) if day(first).is_some() => {
                out.push(Tok::Date(*m, day(first).unwrap_or(0)));
                i += 2;
            }
            (t, _) => {
                out.push(t.clone());
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nums(s: &str) -> Vec<Tok> {
        numbers(&raw_words(&fold(s)))
    }

    #[test]
    fn numbers_keep_their_value() {
        let m = |x: i128| Tok::Num(x);
        assert_eq!(nums("1.9"), vec![m(1_900_000)]);
        assert_eq!(nums("19"), vec![m(19_000_000)]);
        assert_eq!(nums("70,000"), nums("70 000"));
        assert_eq!(nums("70,000"), nums("seventy thousand"));
        assert_eq!(nums("4.4 billion"), nums("4,400 million"));
        assert_eq!(nums("$4.4bn")[1], nums("4.4 billion")[0]);
        assert_eq!(nums("US$4.4 billion"), nums("$4.4 billion"));
        assert_eq!(nums("8th"), nums("8"));
    }

    #[test]
    fn spellings_meet() {
        for (a, b) in [
            ("kodayu", "koudayuu"),
            ("ono", "ohno"),
            ("aleksandr", "alexandr"),
            ("andrey", "andrei"),
            ("litvinoff", "litvinov"),
            ("kurils", "kuril"),
            ("territories", "territory"),
            ("labour", "labor"),
            ("industrialised", "industrialized"),
        ] {
            assert_eq!(canon_word(a), canon_word(b), "{a} / {b}");
        }
        assert_ne!(canon_word("friendly"), canon_word("unfriendly"));
    }
}
