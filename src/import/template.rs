//! Anki's card templates, as far as importing reads them: which field a
//! card asks and which it answers, and whether a template's conditions
//! hold for a note. It only looks at `{{...}}` references and must never
//! run, render or otherwise trust a template's HTML or script.

use super::{NoteType, Template};

/// One card to make from a note: which field asks, which answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Side {
    pub question: usize,
    pub answer: usize,
    pub typed: bool,
}

impl NoteType {
    /// The basic note types Anki starts with, for text exports that only
    /// name their note type.
    pub fn standard(name: &str, fields: usize) -> NoteType {
        let lower = name.to_lowercase();
        let mut field_names: Vec<String> = (0..fields.max(2))
            .map(|i| match i {
                0 => "Front".to_string(),
                1 => "Back".to_string(),
                i => format!("Field {}", i + 1),
            })
            .collect();
        let cloze = lower.contains("cloze");
        if cloze {
            field_names[0] = "Text".into();
            field_names[1] = "Back Extra".into();
        }
        let mut templates = vec![Template {
            front: if lower.contains("type in") {
                "{{Front}}\n{{type:Back}}".into()
            } else if cloze {
                "{{cloze:Text}}".into()
            } else {
                "{{Front}}".into()
            },
            back: "{{FrontSide}}<hr id=answer>{{Back}}".into(),
        }];
        if lower.contains("reverse") {
            templates.push(Template {
                front: "{{Back}}".into(),
                back: "{{FrontSide}}<hr id=answer>{{Front}}".into(),
            });
        }
        NoteType {
            name: name.to_string(),
            cloze,
            fields: field_names,
            templates,
            unusable: None,
        }
    }

    /// What each template needs of a note, read once for the note type:
    /// templates are parsed once, not once per note, and each field a
    /// template tests is tested once however often it is named.
    pub(super) fn plan(&self) -> Vec<Plan> {
        let index = |name: &str| self.fields.iter().position(|f| f == name);
        self.templates
            .iter()
            .map(|template| {
                let front = references(&template.front);
                let mut conditions: Vec<(bool, Option<usize>)> = front
                    .iter()
                    .filter_map(|r| match r {
                        Ref::If(f) => Some((true, index(f))),
                        Ref::Unless(f) => Some((false, index(f))),
                        _ => None,
                    })
                    .collect();
                conditions.sort_unstable();
                conditions.dedup();
                let mut back: Vec<usize> = Vec::new();
                for r in references(&template.back) {
                    if let Some(i) = match r {
                        Ref::Field(f) => index(f),
                        _ => None,
                    } {
                        if !back.contains(&i) {
                            back.push(i);
                        }
                    }
                }
                Plan {
                    conditions,
                    typed: front.iter().find_map(|r| match r {
                        Ref::Type(f) => index(f),
                        _ => None,
                    }),
                    question: front.iter().find_map(|r| match r {
                        Ref::Field(f) => index(f),
                        _ => None,
                    }),
                    back,
                }
            })
            .collect()
    }

    /// The cards a note of this type makes: for each template, the field
    /// its front shows and the field its back adds (or the one it asks to
    /// type), if the template's conditions hold for the note. `texts` are
    /// the note's fields already turned into text, so that a template full
    /// of conditions costs a look-up each, not a conversion.
    pub(super) fn sides(plan: &[Plan], texts: &[String]) -> Vec<Side> {
        let filled =
            |i: Option<usize>| i.is_some_and(|i| texts.get(i).is_some_and(|v| !v.is_empty()));
        let mut out = Vec::new();
        for template in plan {
            let conditions_hold = template
                .conditions
                .iter()
                .all(|&(when, field)| filled(field) == when);
            let Some(question) = template.question.filter(|_| conditions_hold) else {
                continue;
            };
            let answer = template
                .typed
                .or_else(|| template.back.iter().copied().find(|&i| i != question));
            if let Some(answer) = answer {
                out.push(Side {
                    question,
                    answer,
                    typed: template.typed.is_some(),
                });
            }
        }
        out
    }
}

/// One template as [`NoteType::sides`] needs it, with fields as indexes.
#[derive(Debug)]
pub(super) struct Plan {
    /// `(true, f)`: field `f` must be filled; `(false, f)`: it must be
    /// empty. A field the note type lacks is never filled.
    conditions: Vec<(bool, Option<usize>)>,
    typed: Option<usize>,
    question: Option<usize>,
    /// The fields the back shows, in order, each once.
    back: Vec<usize>,
}

/// A `{{...}}` reference in a card template.
#[derive(Debug, PartialEq)]
enum Ref<'a> {
    Field(&'a str),
    Type(&'a str),
    If(&'a str),
    Unless(&'a str),
}

fn references(template: &str) -> Vec<Ref<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start + 2..].find("}}") else {
            break;
        };
        let inner = rest[start + 2..start + 2 + len].trim();
        rest = &rest[start + 2 + len + 2..];
        if let Some(f) = inner.strip_prefix('#') {
            out.push(Ref::If(f.trim()));
        } else if let Some(f) = inner.strip_prefix('^') {
            out.push(Ref::Unless(f.trim()));
        } else if inner.starts_with('/') || inner == "FrontSide" {
            continue;
        } else if let Some(f) = inner.strip_prefix("type:") {
            let f = f.rsplit(':').next().unwrap_or(f);
            out.push(Ref::Type(f.trim()));
        } else {
            // `{{text:Field}}`, `{{hint:Field}}`: the field is the last part.
            let f = inner.rsplit(':').next().unwrap_or(inner).trim();
            if !matches!(
                f,
                "Tags" | "Deck" | "Subdeck" | "Card" | "CardFlag" | "Type"
            ) {
                out.push(Ref::Field(f));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_tell_question_from_answer() {
        let basic = NoteType::standard("Basic (and reversed card)", 2);
        let fields = vec!["Q".to_string(), "A".to_string()];
        assert_eq!(
            NoteType::sides(&basic.plan(), &fields),
            [
                Side {
                    question: 0,
                    answer: 1,
                    typed: false
                },
                Side {
                    question: 1,
                    answer: 0,
                    typed: false
                }
            ]
        );
        let typed = NoteType::standard("Basic (type in the answer)", 2);
        assert_eq!(
            NoteType::sides(&typed.plan(), &fields),
            [Side {
                question: 0,
                answer: 1,
                typed: true
            }]
        );
        let optional = NoteType {
            name: "Basic (optional reversed card)".into(),
            cloze: false,
            fields: vec!["Front".into(), "Back".into(), "Add Reverse".into()],
            templates: vec![
                Template {
                    front: "{{Front}}".into(),
                    back: "{{FrontSide}}<hr id=answer>{{Back}}".into(),
                },
                Template {
                    front: "{{#Add Reverse}}{{Back}}{{/Add Reverse}}".into(),
                    back: "{{FrontSide}}<hr id=answer>{{Front}}".into(),
                },
            ],
            unusable: None,
        };
        assert_eq!(NoteType::sides(&optional.plan(), &fields).len(), 1);
        let with_flag = vec!["Q".to_string(), "A".to_string(), "y".to_string()];
        assert_eq!(NoteType::sides(&optional.plan(), &with_flag).len(), 2);
    }

    #[test]
    fn h6_a_template_of_many_conditions_is_read_once_per_note_type() {
        let mut note_type = NoteType::standard("Basic", 2);
        let front = "{{#Front}}".repeat(1000) + "{{Front}}" + &"{{/Front}}".repeat(1000);
        note_type.templates = vec![
            Template {
                front,
                back: "{{Back}}{{Back}}{{Front}}".into(),
            };
            20
        ];
        let plan = note_type.plan();
        assert!(plan
            .iter()
            .all(|p| p.conditions == [(true, Some(0))] && p.back == [1, 0]));
        let filled = vec!["Q".to_string(), "A".to_string()];
        assert_eq!(NoteType::sides(&plan, &filled).len(), 20);
        let empty = vec![String::new(), "A".to_string()];
        assert!(NoteType::sides(&plan, &empty).is_empty());
    }
}
