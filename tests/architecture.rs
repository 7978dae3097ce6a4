//! The layering, checked: every `crate::…` path in `src/` (and `kioku::…` in
//! `main.rs`, `super::…` resolved) is an edge from one top-level module to
//! another, and each edge must be one that ARCHITECTURE.md's table of
//! allowed directions lets through. The table is read from the document,
//! so the document cannot drift from what is enforced.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod source_text;
use source_text::{code_only, is_ident};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `src/`, sorted so that failures read the same.
fn sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join("src"), &mut out);
    out.sort();
    out
}

/// The module path a file is: `src/deck/parse.rs` is `["deck", "parse"]`,
/// `src/deck/mod.rs` is `["deck"]`, `src/main.rs` is `["main"]`.
fn module_path(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(root().join("src")).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The top-level modules the crate declares, from the files themselves.
fn top_modules() -> BTreeSet<String> {
    sources()
        .iter()
        .map(|f| module_path(f)[0].clone())
        .filter(|m| m != "lib")
        .collect()
}

/// Expands the path (or use tree) that starts at `at` into full paths:
/// `deck::{CardKind, parse::{self, Diagnostic}}` gives `deck::CardKind`,
/// `deck::parse` and `deck::parse::Diagnostic`.
fn expand(code: &[char], at: usize, prefix: &str, out: &mut Vec<String>) -> usize {
    let mut i = at;
    let mut path = prefix.to_string();
    loop {
        while code.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        if code.get(i) == Some(&'{') {
            i += 1;
            loop {
                while code.get(i).is_some_and(|c| c.is_whitespace() || *c == ',') {
                    i += 1;
                }
                match code.get(i) {
                    None => return i,
                    Some('}') => return i + 1,
                    _ => i = expand(code, i, &path, out),
                }
            }
        }
        let start = i;
        while code.get(i).is_some_and(|c| is_ident(*c) || *c == '*') {
            i += 1;
        }
        let word: String = code[start..i].iter().collect();
        if word.is_empty() {
            out.push(path);
            return i;
        }
        if word != "self" {
            if !path.is_empty() {
                path.push_str("::");
            }
            path.push_str(&word);
        }
        let mut j = i;
        while code.get(j).is_some_and(|c| c.is_whitespace()) {
            j += 1;
        }
        if code.get(j) == Some(&':') && code.get(j + 1) == Some(&':') {
            i = j + 2;
        } else {
            // `as name` renames; the path is what it names.
            out.push(path);
            if code[j..].starts_with(&['a', 's'])
                && code.get(j + 2).is_some_and(|c| c.is_whitespace())
            {
                j += 2;
                while code.get(j).is_some_and(|c| c.is_whitespace()) {
                    j += 1;
                }
                while code.get(j).is_some_and(|c| is_ident(*c)) {
                    j += 1;
                }
                return j;
            }
            return i;
        }
    }
}

/// The crate-internal paths a file uses, as `(line, path from the crate
/// root)`, with `super::` resolved against the file's module and any inline
/// `mod name { … }` the path sits in.
fn paths_in(file: &Path) -> Vec<(usize, String)> {
    let src = std::fs::read_to_string(file).unwrap();
    let code: Vec<char> = code_only(&src).chars().collect();
    let here = module_path(file);
    let root_words: &[&str] = if here == ["main"] {
        &["crate", "kioku"]
    } else {
        &["crate"]
    };
    // Inline modules opened and not yet closed, with the brace depth at
    // which each was opened.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut line = 1;
    let mut out = Vec::new();
    let mut i = 0;
    while i < code.len() {
        let c = code[i];
        match c {
            '\n' => line += 1,
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
            }
            _ => {}
        }
        if !is_ident(c) || (i > 0 && (is_ident(code[i - 1]) || code[i - 1] == ':')) {
            i += 1;
            continue;
        }
        let start = i;
        while code.get(i).is_some_and(|c| is_ident(*c)) {
            i += 1;
        }
        let word: String = code[start..i].iter().collect();
        let follows_path = code.get(i) == Some(&':') && code.get(i + 1) == Some(&':');
        if word == "mod" {
            if let Some(name) = inline_mod_at(&code, i) {
                inline.push((name, depth));
            }
            continue;
        }
        if !follows_path {
            continue;
        }
        let mut found = Vec::new();
        let path_start = i;
        if root_words.contains(&word.as_str()) {
            i = expand(&code, i + 2, "", &mut found);
        } else if word == "super" {
            let (j, module) = resolve_super(&code, i + 2, &here, &inline);
            i = expand(&code, j, &module, &mut found);
        } else {
            continue;
        }
        out.extend(found.into_iter().map(|p| (line, p)));
        // A use tree may span lines; its braces are balanced.
        line += code[path_start..i].iter().filter(|c| **c == '\n').count();
    }
    out
}

/// The name of the inline module (`mod name { … }`) whose `mod` keyword
/// ends at `i`; `None` for a module in a file of its own (`mod name;`).
fn inline_mod_at(code: &[char], i: usize) -> Option<String> {
    let mut j = i;
    while code.get(j).is_some_and(|c| c.is_whitespace()) {
        j += 1;
    }
    let name_start = j;
    while code.get(j).is_some_and(|c| is_ident(*c)) {
        j += 1;
    }
    let name: String = code[name_start..j].iter().collect();
    while code.get(j).is_some_and(|c| c.is_whitespace()) {
        j += 1;
    }
    (code.get(j) == Some(&'{')).then_some(name)
}

/// The module a `super::` path names, from the file's module `here` and the
/// inline modules it sits in; `at` is just past the first `super::`.
/// Returns where the rest of the path starts and the module, `::`-joined.
fn resolve_super(
    code: &[char],
    at: usize,
    here: &[String],
    inline: &[(String, usize)],
) -> (usize, String) {
    let mut module: Vec<String> = here.to_vec();
    module.extend(inline.iter().map(|(n, _)| n.clone()));
    module.pop();
    let mut j = at;
    while code[j..].starts_with(&['s', 'u', 'p', 'e', 'r', ':', ':']) {
        module.pop();
        j += 7;
    }
    (j, module.join("::"))
}

/// One edge between two top-level modules, and where it was seen.
#[derive(Debug, Clone)]
struct Edge {
    from: String,
    to: String,
    /// The full path used, `deck::CardKind`.
    path: String,
    at: String,
}

fn edges() -> Vec<Edge> {
    let modules = top_modules();
    let mut out = Vec::new();
    for file in sources() {
        let from = module_path(&file)[0].clone();
        if from == "lib" {
            continue;
        }
        let shown = file.strip_prefix(root()).unwrap().display().to_string();
        for (line, path) in paths_in(&file) {
            let to = path.split("::").next().unwrap_or("").to_string();
            // Paths into the crate root itself (`super::*` in a test at
            // the top) and macros have no module to point at.
            if to == from || !modules.contains(&to) {
                continue;
            }
            out.push(Edge {
                from: from.clone(),
                to,
                path,
                at: format!("{shown}:{line}"),
            });
        }
    }
    out
}

/// What a module may use: everything, or these modules and items.
#[derive(Debug)]
enum May {
    Everything,
    These(Vec<String>),
}

impl May {
    fn allows(&self, path: &str) -> bool {
        match self {
            May::Everything => true,
            May::These(allowed) => allowed
                .iter()
                .any(|a| path == a || path.starts_with(&format!("{a}::"))),
        }
    }
}

/// The table under ARCHITECTURE.md's "Allowed directions": one row per
/// top-level module, its first column the module, its second what it may
/// use (backquoted names, "everything" or "nothing").
fn table() -> BTreeMap<String, May> {
    let doc = std::fs::read_to_string(root().join("ARCHITECTURE.md"))
        .expect("ARCHITECTURE.md at the project root");
    let section = doc
        .split("\n## ")
        .find(|s| s.starts_with("Allowed directions"))
        .expect("ARCHITECTURE.md has a section `## Allowed directions`");
    let mut out = BTreeMap::new();
    for row in section.lines().filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let (Some(module), Some(may)) = (cells.get(1), cells.get(2)) else {
            continue;
        };
        let Some(module) = module.strip_prefix('`').and_then(|m| m.strip_suffix('`')) else {
            continue; // the header and its rule
        };
        let names: Vec<String> = may
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect();
        let may = if may.starts_with("everything") {
            May::Everything
        } else {
            May::These(names)
        };
        assert!(
            out.insert(module.to_string(), may).is_none(),
            "ARCHITECTURE.md names `{module}` twice in the table"
        );
    }
    out
}

#[test]
fn the_table_names_every_module_and_only_real_ones() {
    let table = table();
    let modules = top_modules();
    let named: BTreeSet<String> = table.keys().cloned().collect();
    let missing: Vec<_> = modules.difference(&named).collect();
    let phantom: Vec<_> = named.difference(&modules).collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md's allowed directions do not place {missing:?}: add a row for each"
    );
    assert!(
        phantom.is_empty(),
        "ARCHITECTURE.md's allowed directions name {phantom:?}, which are not modules in src/"
    );
    for (module, may) in &table {
        if let May::These(allowed) = may {
            for a in allowed {
                let top = a.split("::").next().unwrap_or("");
                assert!(
                    modules.contains(top),
                    "`{module}` may use `{a}`, but there is no module `{top}`"
                );
            }
        }
    }
}

#[test]
fn the_map_names_every_module() {
    let doc = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let map = doc
        .split("\n## ")
        .find(|s| s.starts_with("Code map"))
        .expect("ARCHITECTURE.md has a section `## Code map`");
    for module in top_modules() {
        let file = format!("`src/{module}.rs`");
        let dir = format!("`src/{module}/`");
        assert!(
            map.contains(&file) || map.contains(&dir),
            "ARCHITECTURE.md's code map does not describe {module} (as {file} or {dir})"
        );
    }
}

/// Every file says, before anything else, what it owns and what it must
/// never do: a newcomer opening any file should not have to guess.
#[test]
fn every_source_file_opens_with_what_it_owns() {
    let bare: Vec<String> = sources()
        .into_iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            !text.trim_start().starts_with("//!")
        })
        .map(|f| f.strip_prefix(root()).unwrap_or(&f).display().to_string())
        .collect();
    assert!(
        bare.is_empty(),
        "these files do not open with a `//!` comment saying what they own: {bare:?}"
    );
}

#[test]
fn every_edge_between_modules_is_an_allowed_direction() {
    let table = table();
    let mut broken = Vec::new();
    for e in edges() {
        let allowed = table.get(&e.from).is_some_and(|may| may.allows(&e.path));
        if !allowed {
            broken.push(format!("{}: {} → {} (`{}`)", e.at, e.from, e.to, e.path));
        }
    }
    assert!(
        broken.is_empty(),
        "imports that ARCHITECTURE.md's allowed directions forbid:\n  {}\n\
         Move the thing used to a module both may use, or, if the direction \
         is right, add it to the table with a reason.",
        broken.join("\n  ")
    );
}

#[test]
fn the_modules_import_each_other_in_no_cycle() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for e in edges() {
        graph.entry(e.from).or_default().insert(e.to);
    }
    // Depth-first search; a module met again while still on the path
    // closes a cycle.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == m) {
            let mut cycle = path[at..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_string());
        for next in graph.get(m).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for m in graph.keys() {
        if let Some(cycle) = visit(m, &graph, &mut Vec::new(), &mut done) {
            panic!(
                "the modules import each other in a cycle: {}",
                cycle.join(" → ")
            );
        }
    }
}

#[test]
fn the_reader_finds_paths_in_use_trees_and_code_but_not_in_text() {
    let code: Vec<char> = code_only(
        "use crate::deck::{self, CardKind, parse::{Diagnostic as D}};\n\
         // crate::store::Store in a comment\n\
         let s = \"crate::cmd::run\"; let c = '\"'; let x = crate::fold::normalize(s);\n",
    )
    .chars()
    .collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < code.len() {
        if code[i..].starts_with(&['c', 'r', 'a', 't', 'e', ':', ':']) {
            i = expand(&code, i + 7, "", &mut found);
        } else {
            i += 1;
        }
    }
    assert_eq!(
        found,
        [
            "deck",
            "deck::CardKind",
            "deck::parse::Diagnostic",
            "fold::normalize"
        ]
    );
}
