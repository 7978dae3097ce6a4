//! Runs of words looked for in texts: a set of wanted runs (each word a
//! small number), indexed once by length and rolling hash, then found in
//! any number of texts with one pass for each length the runs have and a
//! slice compared only where a hash matches. Shared by the cloze check
//! (gaps that the rest of their text gives away) and the deck's give-away
//! check (answers printed in other cards' prompts). Pure and linear in the
//! text; it never knows what the words or the runs stand for.

use std::collections::HashMap;

/// Runs longer than this many words are not looked for: a phrase that
/// long is not given away by chance, and bounding the lengths bounds the
/// passes over each text.
pub const MAX_RUN_WORDS: usize = 16;

const BASE: u64 = 0x100_0000_01b3;

fn hash(run: &[u32]) -> u64 {
    run.iter().fold(0u64, |h, &w| {
        h.wrapping_mul(BASE).wrapping_add(u64::from(w) + 1)
    })
}

/// One length of wanted runs: `BASE^(k-1)`, to take the word leaving the
/// window out of the hash, and the runs (by their index) under each hash.
struct Length {
    k: usize,
    top: u64,
    by_hash: HashMap<u64, Vec<usize>>,
}

/// The wanted runs, indexed.
pub struct Runs<'a> {
    runs: Vec<&'a [u32]>,
    lengths: Vec<Length>,
}

impl<'a> Runs<'a> {
    /// Indexes `runs` in the order given (a run's index is its place);
    /// empty runs and runs over [`MAX_RUN_WORDS`] words are never found.
    pub fn new(runs: impl IntoIterator<Item = &'a [u32]>) -> Runs<'a> {
        let runs: Vec<&'a [u32]> = runs.into_iter().collect();
        let mut by_length: HashMap<usize, HashMap<u64, Vec<usize>>> = HashMap::new();
        for (i, run) in runs.iter().enumerate() {
            if run.is_empty() || run.len() > MAX_RUN_WORDS {
                continue;
            }
            by_length
                .entry(run.len())
                .or_default()
                .entry(hash(run))
                .or_default()
                .push(i);
        }
        let mut lengths: Vec<Length> = by_length
            .into_iter()
            .map(|(k, by_hash)| Length {
                k,
                top: (1..k).fold(1u64, |p, _| p.wrapping_mul(BASE)),
                by_hash,
            })
            .collect();
        lengths.sort_by_key(|l| l.k);
        Runs { runs, lengths }
    }

    /// Calls `each(start, run)` for every place in `words` where a wanted
    /// run stands (the run by its index), shorter runs first, then from the
    /// start of the text.
    pub fn find(&self, words: &[u32], mut each: impl FnMut(usize, usize)) {
        for length in &self.lengths {
            let k = length.k;
            if k > words.len() {
                continue;
            }
            let mut h = hash(&words[..k]);
            for start in 0..=words.len() - k {
                if start > 0 {
                    let gone = u64::from(words[start - 1]) + 1;
                    let come = u64::from(words[start + k - 1]) + 1;
                    h = h
                        .wrapping_sub(gone.wrapping_mul(length.top))
                        .wrapping_mul(BASE)
                        .wrapping_add(come);
                }
                let Some(candidates) = length.by_hash.get(&h) else {
                    continue;
                };
                let window = &words[start..start + k];
                for &i in candidates.iter().filter(|&&i| self.runs[i] == window) {
                    each(start, i);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(runs: &[&[u32]], words: &[u32]) -> Vec<(usize, usize)> {
        let index = Runs::new(runs.iter().copied());
        let mut out = Vec::new();
        index.find(words, |start, run| out.push((start, run)));
        out
    }

    #[test]
    fn every_place_of_every_run_is_found_and_nothing_else() {
        let words = [1, 2, 3, 1, 2, 9, 2, 3];
        assert_eq!(
            found(&[&[1, 2], &[2, 3], &[3, 1, 2, 9]], &words),
            [(0, 0), (1, 1), (3, 0), (6, 1), (2, 2)]
        );
        // The same run twice is found for both; a run longer than the text,
        // an empty run and an absent one never.
        assert_eq!(found(&[&[9], &[9]], &words), [(5, 0), (5, 1)]);
        assert_eq!(found(&[&[1; 20], &[], &[4]], &words), []);
        assert_eq!(found(&[&[1, 2]], &[]), []);
    }

    #[test]
    fn the_largest_word_numbers_hash_like_any_other() {
        let words = [u32::MAX, 7, u32::MAX, 7];
        assert_eq!(found(&[&[u32::MAX, 7]], &words), [(0, 0), (2, 0)]);
    }
}
