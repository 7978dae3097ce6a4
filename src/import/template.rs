//! The note types Anki starts with, for a text export that only names its
//! note type: their fields and card templates, which the renderer then
//! shows as Anki would.

use super::{NoteType, Template};

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
        let optional = lower.contains("optional reverse");
        if cloze {
            field_names[0] = "Text".into();
            field_names[1] = "Back Extra".into();
        } else if optional && field_names.len() > 2 {
            field_names[2] = "Add Reverse".into();
        }
        let mut templates = vec![Template {
            name: "Card 1".into(),
            front: if lower.contains("type in") {
                "{{Front}}\n{{type:Back}}".into()
            } else if cloze {
                "{{cloze:Text}}".into()
            } else {
                "{{Front}}".into()
            },
            back: if cloze {
                "{{cloze:Text}}<br>\n{{Back Extra}}".into()
            } else {
                "{{FrontSide}}<hr id=answer>{{Back}}".into()
            },
        }];
        if lower.contains("reverse") && !cloze {
            templates.push(Template {
                name: "Card 2".into(),
                front: if optional {
                    "{{#Add Reverse}}{{Back}}{{/Add Reverse}}".into()
                } else {
                    "{{Back}}".into()
                },
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
}
