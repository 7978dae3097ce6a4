//! Year questions of a draft: the year a sentence names, blanked out.
//! Pure string work; it must never decide which sentences are used.

/// The first year the sentence names on its own (not in a range like
/// 1904–05 or a decade like 1980s) and nowhere else, and the sentence with
/// it blanked.
pub(super) fn year_question(sentence: &str) -> Option<(i32, String)> {
    let mut offset = 0;
    for token in sentence.split(' ') {
        let start = offset;
        offset += token.len() + 1;
        let core = token.trim_matches(|c: char| ",.;:()\"'".contains(c));
        if core.len() != 4 || !core.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let year: i32 = core.parse().ok()?;
        if !(1000..=2099).contains(&year) {
            continue;
        }
        let at = start + token.find(core)?;
        let blanked = format!("{}____{}", &sentence[..at], &sentence[at + 4..]);
        // "from 1855 to 1917 ... in 1917", "(1918–21) ... from 1918": the
        // rest of the sentence would give the answer.
        if blanked.contains(core) {
            continue;
        }
        return Some((year, blanked));
    }
    None
}
