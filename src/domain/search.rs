//! Member search: fuzzy over name, member number, phone tail, building, and
//! the pinyin initials and full pinyin of Chinese names. The index lives in
//! memory (built once, updated on change), so a keystroke never queries the
//! database.
//!
//! Ranking, best first: an exact match (name, number, initials or full
//! pinyin) → a prefix → the phone's last digits → a substring anywhere →
//! a fuzzy match of the pinyin. Ties go to approved members before pending
//! ones, then to the shorter name (the closer fit), then to the lower member
//! number (the longer-standing member).

use super::level::Level;
use super::member::MemberStatus;
use super::pinyin_names::{readings_of, syllables};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use std::sync::Arc;

/// The index's maps hash names and buildings: a fast hasher (seeded per
/// start; already in the tree through rusqlite).
type Map<V> = foldhash::HashMap<String, V>;

/// One member as the search sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchEntry {
    pub member_id: i64,
    pub number: String,
    pub name: String,
    pub phone_tail: String,
    pub building: String,
    pub status: MemberStatus,
    pub level: Level,
}

/// The keys of one distinct name, worked out once: names repeat (thousands
/// of members share a handful of surnames and given names).
#[derive(Debug)]
struct NameKeys {
    lower: String,
    /// (initials, full pinyin) for each reading of the name
    readings: Vec<(String, String)>,
    /// For each syllable: the index of its character in the name
    char_of_syllable: Vec<usize>,
    chars: usize,
}

/// Per member: the lower-case number and where their name and building
/// are in the distinct lists.
#[derive(Debug, Clone)]
struct Keys {
    number: String,
    name: u32,
    building: u32,
}

#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    entries: Vec<SearchEntry>,
    keys: Vec<Keys>,
    names: Vec<Arc<NameKeys>>,
    name_at: Map<u32>,
    buildings: Vec<Arc<str>>,
    building_at: Map<u32>,
    /// Each entry's place in the tie order (approved first, shorter name,
    /// lower member number): ties are broken by one integer comparison.
    tie: Vec<u32>,
}

/// Which field matched, for highlighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchField {
    Name,
    Number,
    Phone,
    Building,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub index: usize,
    pub score: i64,
    pub field: MatchField,
    /// Character positions in that field to highlight.
    pub positions: Vec<usize>,
}

/// How a candidate matched: enough to find its highlight later, which is
/// worked out only for the hits that are shown.
#[derive(Debug, Clone, Copy)]
enum How {
    NameAll,
    NamePrefix,
    NameSub,
    NumberAll,
    NumberPrefix,
    NumberSub,
    Initials,
    FullPrefix(usize),
    Phone,
    Building,
    Fuzzy(usize),
}

#[derive(Debug, Clone, Copy)]
struct Cand {
    index: usize,
    score: i64,
    how: How,
}

fn name_keys(name: &str) -> NameKeys {
    let syl = syllables(name);
    NameKeys {
        lower: name.to_lowercase(),
        readings: readings_of(&syl),
        char_of_syllable: syl.iter().map(|(i, _)| *i).collect(),
        chars: name.chars().count(),
    }
}

/// The better of two offers.
fn better(a: Option<(i64, How)>, b: Option<(i64, How)>) -> Option<(i64, How)> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if y.0 > x.0 { y } else { x }),
        (x, None) => x,
        (None, y) => y,
    }
}

impl SearchIndex {
    pub fn build(entries: Vec<SearchEntry>) -> SearchIndex {
        let mut ix = SearchIndex {
            keys: Vec::with_capacity(entries.len()),
            ..SearchIndex::default()
        };
        // the store reads members in name order: a run of one name is
        // looked up once
        let mut last: Option<(&str, u32)> = None;
        for e in &entries {
            let name = match last {
                Some((name, at)) if name == e.name => at,
                _ => ix.name_index(&e.name),
            };
            last = Some((&e.name, name));
            let k = ix.keys_with_name(e, name);
            ix.keys.push(k);
        }
        ix.entries = entries;
        ix.order_ties();
        ix
    }

    fn keys_of(&mut self, e: &SearchEntry) -> Keys {
        let name = self.name_index(&e.name);
        self.keys_with_name(e, name)
    }

    /// Where `name` is in the distinct names (added if new).
    fn name_index(&mut self, name: &str) -> u32 {
        if let Some(i) = self.name_at.get(name) {
            return *i;
        }
        self.names.push(Arc::new(name_keys(name)));
        let i = (self.names.len() - 1) as u32;
        self.name_at.insert(name.to_string(), i);
        i
    }

    /// The keys of `e`, whose name is already at `name`.
    fn keys_with_name(&mut self, e: &SearchEntry, name: u32) -> Keys {
        let building = match self.building_at.get(&e.building) {
            Some(i) => *i,
            None => {
                self.buildings.push(Arc::from(e.building.to_lowercase()));
                let i = (self.buildings.len() - 1) as u32;
                self.building_at.insert(e.building.clone(), i);
                i
            }
        };
        Keys {
            number: e.number.to_ascii_lowercase(),
            name,
            building,
        }
    }

    fn order_ties(&mut self) {
        let (entries, keys, names) = (&self.entries, &self.keys, &self.names);
        // the same order as comparing the fields, as one integer tuple
        // each: a member number's bytes (up to 16) read as a big number
        // order the same as the text when the lengths are equal
        let key = |i: usize| {
            let n = entries[i].number.as_bytes();
            let mut head = [0u8; 16];
            let len = n.len().min(16);
            head[..len].copy_from_slice(&n[..len]);
            (
                status_rank(entries[i].status),
                names[keys[i].name as usize].chars,
                n.is_empty(),
                n.len(),
                u128::from_be_bytes(head),
                entries[i].member_id,
            )
        };
        let mut order: Vec<(_, usize)> = (0..entries.len()).map(|i| (key(i), i)).collect();
        order.sort_unstable();
        let order = order.into_iter().map(|(_, i)| i);
        self.tie = vec![0; entries.len()];
        for (place, i) in order.into_iter().enumerate() {
            self.tie[i] = place as u32;
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entry(&self, i: usize) -> &SearchEntry {
        &self.entries[i]
    }

    pub fn find_member(&self, member_id: i64) -> Option<&SearchEntry> {
        self.entries.iter().find(|e| e.member_id == member_id)
    }

    /// Add or replace one member (after a registration, approval, change).
    pub fn upsert(&mut self, e: SearchEntry) {
        let k = self.keys_of(&e);
        match self.entries.iter().position(|x| x.member_id == e.member_id) {
            Some(i) => {
                self.entries[i] = e;
                self.keys[i] = k;
            }
            None => {
                self.entries.push(e);
                self.keys.push(k);
            }
        }
        self.order_ties();
    }

    fn name(&self, i: usize) -> &NameKeys {
        &self.names[self.keys[i].name as usize]
    }

    /// The best `limit` hits for `query`, best first.
    pub fn query(&self, query: &str, limit: usize) -> Vec<Hit> {
        let q = query.trim().to_lowercase();
        if q.is_empty() {
            return Vec::new();
        }
        let ascii = q.is_ascii();
        // names and buildings once each; then each member's own fields
        let by_name: Vec<Option<(i64, How)>> = self
            .names
            .iter()
            .map(|n| name_match(n, &q, ascii))
            .collect();
        let by_building: Vec<Option<(i64, How)>> = self
            .buildings
            .iter()
            .map(|b| b.contains(q.as_str()).then_some((400, How::Building)))
            .collect();
        let mut cands: Vec<Cand> = Vec::new();
        for (i, (e, k)) in self.entries.iter().zip(&self.keys).enumerate() {
            let mut best = better(by_name[k.name as usize], by_building[k.building as usize]);
            if ascii {
                best = better(best, own_match(e, k, &q));
            }
            if let Some((score, how)) = best {
                cands.push(Cand {
                    index: i,
                    score,
                    how,
                });
            }
        }
        if cands.len() < limit && ascii && q.chars().any(|c| c.is_ascii_alphabetic()) {
            // fuzzy over pinyin, only when exact-ish matches are few
            let matcher = SkimMatcherV2::default();
            let fuzzy: Vec<Option<(i64, usize)>> = self
                .names
                .iter()
                .map(|n| {
                    n.readings
                        .iter()
                        .enumerate()
                        .filter(|(_, (_, full))| is_subsequence(&q, full))
                        .filter_map(|(r, (_, full))| matcher.fuzzy_match(full, &q).map(|s| (s, r)))
                        .max_by_key(|(s, _)| *s)
                })
                .collect();
            let have: std::collections::HashSet<usize> = cands.iter().map(|h| h.index).collect();
            for (i, k) in self.keys.iter().enumerate() {
                if have.contains(&i) {
                    continue;
                }
                if let Some((s, r)) = fuzzy[k.name as usize] {
                    cands.push(Cand {
                        index: i,
                        score: 100 + s.min(199),
                        how: How::Fuzzy(r),
                    });
                }
            }
        }
        let tie = &self.tie;
        let order = |a: &Cand, b: &Cand| {
            b.score
                .cmp(&a.score)
                .then_with(|| tie[a.index].cmp(&tie[b.index]))
        };
        // only the shown ones need sorting in full
        if cands.len() > limit && limit > 0 {
            cands.select_nth_unstable_by(limit - 1, order);
            cands.truncate(limit);
        }
        cands.sort_by(order);
        cands.into_iter().map(|c| self.hit(c, &q)).collect()
    }

    /// The hit with its highlight.
    fn hit(&self, c: Cand, q: &str) -> Hit {
        let e = &self.entries[c.index];
        let k = &self.keys[c.index];
        let n = self.name(c.index);
        let q_chars = q.chars().count();
        let (field, positions) = match c.how {
            How::NameAll => (MatchField::Name, (0..n.chars).collect()),
            How::NamePrefix => (MatchField::Name, (0..q_chars).collect()),
            How::NameSub => (
                MatchField::Name,
                char_positions(&n.lower, q).unwrap_or_default(),
            ),
            How::NumberAll => (MatchField::Number, (0..k.number.len()).collect()),
            How::NumberPrefix => (MatchField::Number, (0..q.len()).collect()),
            How::NumberSub => (
                MatchField::Number,
                char_positions(&k.number, q).unwrap_or_default(),
            ),
            How::Initials => (MatchField::Name, initials_positions(n, q.len())),
            How::FullPrefix(r) => {
                let full = &n.readings[r].1;
                let covered = syllables_covered(e, full, q.len());
                (MatchField::Name, initials_positions(n, covered))
            }
            How::Phone => {
                let t = e.phone_tail.len();
                (MatchField::Phone, (t - q.len().min(t)..t).collect())
            }
            How::Building => (
                MatchField::Building,
                char_positions(&self.buildings[k.building as usize], q).unwrap_or_default(),
            ),
            How::Fuzzy(r) => {
                let full = &n.readings[r].1;
                let idx = SkimMatcherV2::default()
                    .fuzzy_indices(full, q)
                    .map(|(_, i)| i)
                    .unwrap_or_default();
                (
                    MatchField::Name,
                    pinyin_positions_to_chars(full, &idx, &e.name, n),
                )
            }
        };
        Hit {
            index: c.index,
            score: c.score,
            field,
            positions,
        }
    }
}

fn status_rank(s: MemberStatus) -> u8 {
    match s {
        MemberStatus::Approved => 0,
        MemberStatus::Pending => 1,
        _ => 2,
    }
}

fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut h = hay.bytes();
    needle.bytes().all(|c| h.any(|x| x == c))
}

fn char_positions(hay: &str, needle: &str) -> Option<Vec<usize>> {
    let byte = hay.find(needle)?;
    let start = hay[..byte].chars().count();
    Some((start..start + needle.chars().count()).collect())
}

/// The name characters covered by the first `n` syllables.
fn initials_positions(k: &NameKeys, n: usize) -> Vec<usize> {
    k.char_of_syllable.iter().take(n).copied().collect()
}

/// Map matched byte positions in a full-pinyin string back to the name's
/// characters (by syllable boundaries of the reading that matched).
fn pinyin_positions_to_chars(full: &str, idx: &[usize], name: &str, k: &NameKeys) -> Vec<usize> {
    // syllable lengths of this reading
    let reading_syllables: Vec<String> = syllables(name)
        .into_iter()
        .map(|(_, alts)| {
            alts.into_iter()
                .find(|a| full.contains(a.as_str()))
                .unwrap_or_default()
        })
        .collect();
    let mut bounds = Vec::new();
    let mut pos = 0;
    for s in &reading_syllables {
        bounds.push(pos..pos + s.len());
        pos += s.len();
    }
    let mut out: Vec<usize> = idx
        .iter()
        .filter_map(|i| bounds.iter().position(|b| b.contains(i)))
        .filter_map(|s| k.char_of_syllable.get(s).copied())
        .collect();
    out.dedup();
    out
}

/// How `q` matches a name (typed in Chinese, or its pinyin), if it does.
fn name_match(n: &NameKeys, q: &str, ascii: bool) -> Option<(i64, How)> {
    let mut best: Option<(i64, How)> = None;
    let mut offer = |score: i64, how: How| best = better(best, Some((score, how)));
    if !ascii || q.chars().any(|c| c.is_alphabetic()) {
        if n.lower == q {
            offer(1000, How::NameAll);
        } else if n.lower.starts_with(q) {
            offer(800, How::NamePrefix);
        } else if n.lower.contains(q) {
            offer(500, How::NameSub);
        }
    }
    if ascii && q.bytes().all(|b| b.is_ascii_lowercase()) {
        for (r, (ini, full)) in n.readings.iter().enumerate() {
            if ini == q {
                offer(1000, How::Initials);
            } else if full == q {
                offer(990, How::NameAll);
            } else if ini.starts_with(q) {
                offer(800, How::Initials);
            } else if full.starts_with(q) {
                offer(790, How::FullPrefix(r));
            }
        }
    }
    best
}

/// How an ASCII `q` matches a member's own fields: the member number, whole
/// or in part ("js01-0001", "0001", "01-00"), and the phone's last digits.
fn own_match(e: &SearchEntry, k: &Keys, q: &str) -> Option<(i64, How)> {
    let mut best: Option<(i64, How)> = None;
    if !k.number.is_empty() {
        if k.number == q {
            best = Some((1000, How::NumberAll));
        } else if q.len() >= 2 && k.number.starts_with(q) {
            best = Some((800, How::NumberPrefix));
        } else if q.len() >= 3 && k.number.contains(q) {
            best = Some((450, How::NumberSub));
        }
    }
    if !e.phone_tail.is_empty() && q.bytes().all(|b| b.is_ascii_digit()) {
        if e.phone_tail == q {
            best = better(best, Some((700, How::Phone)));
        } else if q.len() >= 2 && e.phone_tail.ends_with(q) {
            best = better(best, Some((600, How::Phone)));
        }
    }
    best
}

/// How many syllables the first `len` bytes of a full reading cover.
fn syllables_covered(e: &SearchEntry, full: &str, len: usize) -> usize {
    let mut pos = 0;
    let mut n = 0;
    for (_, alts) in syllables(&e.name) {
        let s = alts
            .iter()
            .find(|a| full[pos..].starts_with(a.as_str()))
            .cloned()
            .unwrap_or_default();
        if pos >= len || s.is_empty() {
            break;
        }
        pos += s.len();
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests;
