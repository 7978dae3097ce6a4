//! A card template read into a flat list of nodes: text, replacements and
//! sections, each section knowing where it ends, so rendering is a loop
//! with no recursion. Reading is one pass over the template.

use super::TemplateError;

/// Sections nested deeper than this make the template broken.
pub const MAX_SECTION_DEPTH: usize = 100;

/// The only other pair of delimiters Anki reads, and only when a template
/// opens with this directive.
const ALT_DIRECTIVE: &str = "{{=<% %>=}}";

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Text(String),
    Replacement(Replacement),
    /// `{{#name}}` (or `{{^name}}` when `negated`); the nodes inside run
    /// up to index `end` (exclusive) of the list.
    Section {
        name: String,
        negated: bool,
        end: usize,
    },
}

/// `{{filter:filter:Field}}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Replacement {
    /// The tag as written between the braces, trimmed, for messages.
    pub tag: String,
    pub field: String,
    /// In the order written; they apply from the last to the first.
    pub filters: Vec<String>,
}

/// One piece of a template before sections are matched.
enum Token<'a> {
    Text(&'a str),
    Tag(&'a str),
}

/// Reads one side of a card template. `side` names it in messages.
pub fn parse(template: &str, side: &str) -> Result<Vec<Node>, TemplateError> {
    let fail = |message: String| TemplateError(format!("{side} template has a problem: {message}"));
    let mut nodes: Vec<Node> = Vec::new();
    // Open sections: their name and index in `nodes`.
    let mut open: Vec<(String, usize)> = Vec::new();
    for token in tokens(template) {
        let tag = match token {
            Token::Text(text) => {
                push_text(&mut nodes, text);
                continue;
            }
            Token::Tag(tag) => tag.trim_start_matches('{').trim(),
        };
        let (sigil, rest) = match tag.chars().next() {
            Some(c @ ('#' | '^' | '/')) if tag.len() >= 2 => (Some(c), tag[1..].trim()),
            _ => (None, tag),
        };
        match sigil {
            Some('/') => match open.pop() {
                Some((name, at)) if name == rest => {
                    let end = nodes.len();
                    if let Some(Node::Section { end: e, .. }) = nodes.get_mut(at) {
                        *e = end;
                    }
                }
                Some((name, _)) => {
                    return Err(fail(format!(
                        "Found '{{{{/{rest}}}}}', but expected '{{{{/{name}}}}}'"
                    )))
                }
                None => {
                    return Err(fail(format!(
                    "Found '{{{{/{rest}}}}}', but missing '{{{{#{rest}}}}}' or '{{{{^{rest}}}}}'"
                )))
                }
            },
            Some(c) => {
                if open.len() >= MAX_SECTION_DEPTH {
                    return Err(fail(format!(
                        "sections are nested more than {MAX_SECTION_DEPTH} deep"
                    )));
                }
                open.push((rest.to_string(), nodes.len()));
                nodes.push(Node::Section {
                    name: rest.to_string(),
                    negated: c == '^',
                    end: 0,
                });
            }
            None => nodes.push(Node::Replacement(replacement(tag))),
        }
    }
    if let Some((name, _)) = open.pop() {
        return Err(fail(format!("Missing '{{{{/{name}}}}}'")));
    }
    Ok(nodes)
}

/// Text is never joined to the text before it, which may be the last
/// node of a section that has just closed.
fn push_text(nodes: &mut Vec<Node>, text: &str) {
    if !text.is_empty() {
        nodes.push(Node::Text(text.to_string()));
    }
}

/// The last part is the field, the others filters; neither is trimmed.
fn replacement(tag: &str) -> Replacement {
    let mut parts: Vec<&str> = tag.split(':').collect();
    let field = parts.pop().unwrap_or_default().to_string();
    Replacement {
        tag: tag.to_string(),
        field,
        filters: parts.into_iter().map(str::to_string).collect(),
    }
}

impl Replacement {
    /// False for `{{FrontSide}}` and for filters with no field
    /// (`{{type:}}`), which Anki renders as nothing, whatever the note.
    pub fn names_a_field(&self) -> bool {
        self.field != "FrontSide" && (!self.field.is_empty() || self.filters.is_empty())
    }
}

/// Splits a template into text and tags. An HTML comment is text, tags
/// and all, when it is closed; an unclosed one is read like any text.
/// Each byte is looked at a bounded number of times: a search that failed
/// is not repeated.
fn tokens(template: &str) -> Vec<Token<'_>> {
    // The directive may be repeated; all of it goes, as in Anki.
    let (body, open, close) = match template.trim_start().strip_prefix(ALT_DIRECTIVE) {
        Some(rest) => (rest.trim_start_matches(ALT_DIRECTIVE), "<%", "%>"),
        None => (template, "{{", "}}"),
    };
    let mut out = Vec::new();
    let mut at = 0;
    // Where the next `<!--` starts, found once and kept until passed.
    let mut comment = body.find("<!--");
    // Once a comment is found unclosed, no later one can close.
    let mut comments_close = true;
    let mut tag = body.find(open);
    loop {
        if comment.is_some_and(|c| c < at) {
            comment = body[at..].find("<!--").map(|c| at + c);
        }
        if tag.is_some_and(|t| t < at) {
            tag = body[at..].find(open).map(|t| at + t);
        }
        match (tag, comment.filter(|_| comments_close)) {
            (_, Some(c)) if tag.is_none_or(|t| c < t) => match body[c + 4..].find("-->") {
                Some(e) => {
                    let end = c + 4 + e + 3;
                    out.push(Token::Text(&body[at..end]));
                    at = end;
                }
                None => comments_close = false,
            },
            (Some(t), _) => {
                let inner = t + open.len();
                let Some(e) = body[inner..].find(close) else {
                    out.push(Token::Text(&body[at..]));
                    return out;
                };
                out.push(Token::Text(&body[at..t]));
                out.push(Token::Tag(&body[inner..inner + e]));
                at = inner + e + close.len();
            }
            (None, _) => {
                out.push(Token::Text(&body[at..]));
                return out;
            }
        }
    }
}
