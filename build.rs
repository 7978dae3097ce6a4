//! Embeds every deck in `decks/` into the binary, so `kioku study` works from
//! any folder after `cargo install`.

use std::fmt::Write;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=decks");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("decks");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".toml"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut code = String::from("pub static BUILTIN: &[(&str, &str)] = &[\n");
    for name in &names {
        println!("cargo:rerun-if-changed=decks/{name}");
        writeln!(code, "    ({name:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/decks/{name}\"))),").unwrap();
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin_decks.rs");
    std::fs::write(out, code).unwrap();
}
