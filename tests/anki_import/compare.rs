//! One card of Anki's against kioku's import of it: Anki's HTML read as
//! text the way kioku reads it, with the two things a text card shows
//! apart taken out (the type-in box, the click-to-show hint), and a hidden
//! cloze deletion written as kioku writes a gap.

use super::text;
use kioku::deck::{Card, CardKind};
use serde_json::Value;

/// What became of one of Anki's cards.
pub enum Verdict {
    /// Imported, asking and answering what Anki's card does.
    Same,
    /// Left out, as it must be.
    LeftOut(&'static str),
    Wrong(String),
}

impl Verdict {
    pub fn name(&self) -> &'static str {
        match self {
            Verdict::Same => "same",
            Verdict::LeftOut(why) => why,
            Verdict::Wrong(_) => "wrong",
        }
    }
}

/// Compares Anki's card `row` with the kioku card made of it, if any.
pub fn card(row: &Value, card: Option<&Card>) -> Verdict {
    let left_out = |why| match card {
        None => Verdict::LeftOut(why),
        Some(c) => Verdict::Wrong(format!("imported as `{}`, but {why}", c.id)),
    };
    if row["template_error"].as_bool() == Some(true) {
        return left_out("Anki reports its template as broken");
    }
    if row["front_empty"].as_bool() == Some(true) {
        return left_out("Anki says its front is blank");
    }
    let html = row["question_text"].as_str().unwrap_or_default();
    let question = anki_question(html);
    if question.is_empty() {
        return left_out("its front is only a picture or a sound");
    }
    let answer = anki_answer(row);
    let Some(card) = card else {
        return if answer.is_empty() {
            Verdict::LeftOut("its back adds nothing to its front")
        } else {
            Verdict::Wrong(format!("not imported: {question:?} → {answer:?}"))
        };
    };
    let template = row["template"].as_str().unwrap_or_default();
    let ours = kioku_question(card);
    if ours != question && ours != format!("{question} ({template})") {
        return Verdict::Wrong(format!("asks {ours:?}, Anki asks {question:?}"));
    }
    let ours = kioku_answer(card);
    if ours != answer {
        return Verdict::Wrong(format!("answers {ours:?}, Anki answers {answer:?}"));
    }
    Verdict::Same
}

/// Anki's question as text: no type-in box, no hint block, a hidden
/// deletion (`[...]` or its hint, `[a year]`) as `[...]`.
pub fn anki_question(html: &str) -> String {
    let mut html = without_sounds(&without_hints(&without_type_boxes(html)));
    for (start, end) in cloze_spans(&html).into_iter().rev() {
        let inner = &html[start..end];
        if inner.starts_with('[') && inner.ends_with(']') {
            html.replace_range(start..end, "[...]");
        }
    }
    text(&html)
}

/// Anki's answer as text: for a type-in card the field it is checked
/// against (or a cloze's deletions), for a cloze card the deletions its
/// back reveals, for any other card what the back shows beyond the front.
pub fn anki_answer(row: &Value) -> String {
    let question = row["question_text"].as_str().unwrap_or_default();
    let answer = row["answer_text"].as_str().unwrap_or_default();
    if let Some(field) = type_box(question) {
        return match field.strip_prefix("cloze:") {
            Some(_) => revealed(answer).join(", "),
            None => text(row["fields"][field].as_str().unwrap_or_default()).replace('\n', " "),
        };
    }
    let revealed = revealed(answer);
    if !revealed.is_empty() {
        return revealed.join("; ");
    }
    let front = anki_question(question);
    let back = text(&without_sounds(&without_hints(&without_type_boxes(answer))));
    back.strip_prefix(front.as_str())
        .map_or(back.as_str(), str::trim_start)
        .to_string()
}

/// The question a kioku card asks, as text.
pub fn kioku_question(card: &Card) -> String {
    super::shown(card)
}

/// The answer a kioku card expects.
pub fn kioku_answer(card: &Card) -> String {
    match &card.kind {
        CardKind::Basic { a, .. } | CardKind::Typed { a, .. } => a.clone(),
        CardKind::Cloze { gaps, gap, .. } => gaps[*gap].answer.clone(),
        kind => kind.answer_text(),
    }
}

/// The field a `[[type:Field]]` box on the front checks against.
fn type_box(html: &str) -> Option<&str> {
    let start = html.find("[[type:")? + "[[type:".len();
    let end = html[start..].find("]]")?;
    Some(&html[start..start + end])
}

fn without_type_boxes(html: &str) -> String {
    without(html, "[[type:", "]]")
}

/// The HTML without the `[anki:play:q:0]` marks where Anki plays a sound.
fn without_sounds(html: &str) -> String {
    without(html, "[anki:play:", "]")
}

/// The HTML with every run from `open` to the next `close` taken out.
fn without(html: &str, open: &str, close: &str) -> String {
    let mut out = html.to_string();
    while let Some(start) = out.find(open) {
        let Some(end) = out[start..].find(close) else {
            break;
        };
        out.replace_range(start..start + end + close.len(), "");
    }
    out
}

/// The HTML without Anki's click-to-show hint blocks (the link and the
/// hidden `div` it opens).
fn without_hints(html: &str) -> String {
    let mut out = html.to_string();
    while let Some(start) = out.find("<a class=hint") {
        let Some(div) = out[start..].find("class=hint style=\"display: none\">") else {
            break;
        };
        let Some(end) = out[start + div..].find("</div>") else {
            break;
        };
        out.replace_range(start..start + div + end + "</div>".len(), "");
    }
    out
}

/// Where the text of each `<span class="cloze" …>` is, in order.
fn cloze_spans(html: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = html[from..].find("<span class=\"cloze\"") {
        let open = from + at;
        let Some(gt) = html[open..].find('>') else {
            break;
        };
        let start = open + gt + 1;
        let Some(len) = html[start..].find("</span>") else {
            break;
        };
        out.push((start, start + len));
        from = start + len;
    }
    out
}

/// The deletions an answer reveals, as text.
fn revealed(html: &str) -> Vec<String> {
    cloze_spans(html)
        .into_iter()
        .map(|(start, end)| text(&html[start..end]))
        .collect()
}
