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
use super::pinyin_names::{readings, syllables};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

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

/// Precomputed lower-case keys of one entry.
#[derive(Debug, Clone)]
struct Keys {
    number: String,
    /// (initials, full pinyin) for each reading of the name
    readings: Vec<(String, String)>,
    /// For each syllable: the index of its character in the name
    char_of_syllable: Vec<usize>,
    name_chars: usize,
}

#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    entries: Vec<SearchEntry>,
    keys: Vec<Keys>,
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

fn keys_of(e: &SearchEntry) -> Keys {
    let syl = syllables(&e.name);
    Keys {
        number: e.number.to_ascii_lowercase(),
        readings: readings(&e.name),
        char_of_syllable: syl.iter().map(|(i, _)| *i).collect(),
        name_chars: e.name.chars().count(),
    }
}

impl SearchIndex {
    pub fn build(entries: Vec<SearchEntry>) -> SearchIndex {
        let keys = entries.iter().map(keys_of).collect();
        SearchIndex { entries, keys }
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
        let k = keys_of(&e);
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
    }

    /// The best `limit` hits for `query`, best first.
    pub fn query(&self, query: &str, limit: usize) -> Vec<Hit> {
        let q = query.trim().to_lowercase();
        if q.is_empty() {
            return Vec::new();
        }
        let ascii = q.is_ascii();
        let mut hits: Vec<Hit> = Vec::new();
        for (i, (e, k)) in self.entries.iter().zip(&self.keys).enumerate() {
            if let Some(h) = strong_match(i, e, k, &q, ascii) {
                hits.push(h);
            }
        }
        if hits.len() < limit && ascii && q.chars().any(|c| c.is_ascii_alphabetic()) {
            // fuzzy over pinyin, only when exact-ish matches are few
            let matcher = SkimMatcherV2::default();
            let have: std::collections::HashSet<usize> = hits.iter().map(|h| h.index).collect();
            for (i, k) in self.keys.iter().enumerate() {
                if have.contains(&i) {
                    continue;
                }
                let best = k
                    .readings
                    .iter()
                    .filter(|(_, full)| is_subsequence(&q, full))
                    .filter_map(|(_, full)| {
                        matcher
                            .fuzzy_indices(full, &q)
                            .map(|(s, idx)| (s, full, idx))
                    })
                    .max_by_key(|(s, _, _)| *s);
                if let Some((s, full, idx)) = best {
                    let positions = pinyin_positions_to_chars(full, &idx, &self.entries[i].name, k);
                    hits.push(Hit {
                        index: i,
                        score: 100 + s.min(199),
                        field: MatchField::Name,
                        positions,
                    });
                }
            }
        }
        let entries = &self.entries;
        let keys = &self.keys;
        hits.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then_with(|| {
                    status_rank(entries[a.index].status).cmp(&status_rank(entries[b.index].status))
                })
                .then_with(|| keys[a.index].name_chars.cmp(&keys[b.index].name_chars))
                .then_with(|| {
                    number_key(&entries[a.index].number).cmp(&number_key(&entries[b.index].number))
                })
                .then_with(|| entries[a.index].member_id.cmp(&entries[b.index].member_id))
        });
        hits.truncate(limit);
        hits
    }
}

fn status_rank(s: MemberStatus) -> u8 {
    match s {
        MemberStatus::Approved => 0,
        MemberStatus::Pending => 1,
        _ => 2,
    }
}

/// Sort key of a member number: members without one (pending) last.
fn number_key(n: &str) -> (bool, usize, &str) {
    (n.is_empty(), n.len(), n)
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
fn initials_positions(k: &Keys, n: usize) -> Vec<usize> {
    k.char_of_syllable.iter().take(n).copied().collect()
}

/// Map matched byte positions in a full-pinyin string back to the name's
/// characters (by syllable boundaries of the reading that matched).
fn pinyin_positions_to_chars(full: &str, idx: &[usize], name: &str, k: &Keys) -> Vec<usize> {
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

fn strong_match(i: usize, e: &SearchEntry, k: &Keys, q: &str, ascii: bool) -> Option<Hit> {
    let mut best: Option<Hit> = None;
    let mut offer = |score: i64, field: MatchField, positions: Vec<usize>| {
        if best.as_ref().is_none_or(|b| score > b.score) {
            best = Some(Hit {
                index: i,
                score,
                field,
                positions,
            });
        }
    };
    // name (Chinese typed directly)
    if !ascii || q.chars().any(|c| c.is_alphabetic()) {
        let name = e.name.to_lowercase();
        if name == q {
            offer(1000, MatchField::Name, (0..k.name_chars).collect());
        } else if name.starts_with(q) {
            offer(800, MatchField::Name, (0..q.chars().count()).collect());
        } else if let Some(p) = char_positions(&name, q) {
            offer(500, MatchField::Name, p);
        }
    }
    if ascii {
        // member number, whole or in part ("js01-0001", "0001", "01-00")
        if !k.number.is_empty() {
            if k.number == q {
                offer(1000, MatchField::Number, (0..k.number.len()).collect());
            } else if k.number.starts_with(q) && q.len() >= 2 {
                offer(800, MatchField::Number, (0..q.len()).collect());
            } else if q.len() >= 3
                && let Some(p) = char_positions(&k.number, q)
            {
                offer(450, MatchField::Number, p);
            }
        }
        // pinyin initials and full pinyin
        if q.bytes().all(|b| b.is_ascii_lowercase()) {
            for (ini, full) in &k.readings {
                if ini == q {
                    offer(1000, MatchField::Name, initials_positions(k, q.len()));
                } else if full == q {
                    offer(990, MatchField::Name, (0..k.name_chars).collect());
                } else if ini.starts_with(q) {
                    offer(800, MatchField::Name, initials_positions(k, q.len()));
                } else if full.starts_with(q) {
                    let n = syllables_covered(e, full, q.len());
                    offer(790, MatchField::Name, initials_positions(k, n));
                }
            }
        }
        // phone tail
        if q.bytes().all(|b| b.is_ascii_digit()) && !e.phone_tail.is_empty() {
            if e.phone_tail == q {
                offer(700, MatchField::Phone, (0..q.len()).collect());
            } else if q.len() >= 2 && e.phone_tail.ends_with(q) {
                offer(
                    600,
                    MatchField::Phone,
                    (e.phone_tail.len() - q.len()..e.phone_tail.len()).collect(),
                );
            }
        }
    }
    // building ("3栋", "2单元501")
    if let Some(p) = char_positions(&e.building.to_lowercase(), q) {
        offer(400, MatchField::Building, p);
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
mod tests {
    use super::*;

    fn entry(id: i64, number: &str, name: &str, phone: &str, building: &str) -> SearchEntry {
        SearchEntry {
            member_id: id,
            number: number.into(),
            name: name.into(),
            phone_tail: phone.into(),
            building: building.into(),
            status: MemberStatus::Approved,
            level: Level::Ordinary,
        }
    }

    fn index() -> SearchIndex {
        SearchIndex::build(vec![
            entry(1, "JS01-0001", "张三丰", "5678", "3栋2单元"),
            entry(2, "JS01-0002", "曾艳平", "1234", "5栋1单元"),
            entry(3, "JS01-0003", "赵淑芬", "4321", "1栋1单元"),
            entry(4, "JS01-0004", "张三丰华", "1111", "2栋3单元"),
            entry(5, "JS01-0005", "周世锋", "2222", "9栋1单元"),
            entry(6, "JS01-0006", "欧阳娜娜", "3333", "6栋2单元"),
            entry(7, "JS01-0012", "李四", "0001", "7栋1单元"),
        ])
    }

    fn names(ix: &SearchIndex, q: &str) -> Vec<String> {
        ix.query(q, 10)
            .iter()
            .map(|h| ix.entry(h.index).name.clone())
            .collect()
    }

    #[test]
    fn zsf_ranks_zhang_sanfeng_first() {
        let n = names(&index(), "zsf");
        assert_eq!(n[0], "张三丰", "{n:?}");
        assert!(n.contains(&"赵淑芬".to_string()));
        assert!(n.contains(&"张三丰华".to_string()));
    }

    #[test]
    fn full_pinyin_finds_the_name() {
        assert_eq!(names(&index(), "zhangsanfeng")[0], "张三丰");
        assert_eq!(names(&index(), "zhangsan")[0], "张三丰");
    }

    #[test]
    fn surname_readings_find_zeng_both_ways() {
        assert_eq!(names(&index(), "zyp")[0], "曾艳平");
        assert_eq!(names(&index(), "cyp")[0], "曾艳平");
        assert_eq!(names(&index(), "zengyanping")[0], "曾艳平");
    }

    #[test]
    fn compound_surname() {
        assert_eq!(names(&index(), "oynn")[0], "欧阳娜娜");
        assert_eq!(names(&index(), "ouyang")[0], "欧阳娜娜");
    }

    #[test]
    fn chinese_and_number_and_phone_and_building() {
        assert_eq!(names(&index(), "三丰")[0], "张三丰");
        assert_eq!(names(&index(), "JS01-0002")[0], "曾艳平");
        assert_eq!(names(&index(), "0003")[0], "赵淑芬");
        assert_eq!(names(&index(), "5678")[0], "张三丰");
        assert_eq!(names(&index(), "6栋")[0], "欧阳娜娜");
        let ix = index();
        let h = &ix.query("1234", 1)[0];
        assert_eq!(h.field, MatchField::Phone);
    }

    #[test]
    fn number_beats_phone_for_its_own_digits() {
        // "0001" is both member 1's number tail and 李四's phone
        let ix = index();
        let hits = ix.query("0001", 5);
        let found: Vec<_> = hits
            .iter()
            .map(|h| ix.entry(h.index).name.as_str())
            .collect();
        assert!(
            found.contains(&"张三丰") && found.contains(&"李四"),
            "{found:?}"
        );
    }

    #[test]
    fn fuzzy_typos_still_find() {
        assert!(names(&index(), "zhsanf").contains(&"张三丰".to_string()));
    }

    #[test]
    fn highlight_positions_point_at_name_characters() {
        let ix = index();
        let h = &ix.query("zs", 1)[0];
        assert_eq!(h.field, MatchField::Name);
        assert_eq!(h.positions, vec![0, 1]);
        let h = &ix.query("三丰", 1)[0];
        assert_eq!(h.positions, vec![1, 2]);
    }

    #[test]
    fn updates_are_seen() {
        let mut ix = index();
        ix.upsert(entry(99, "", "单田芳", "", "8栋"));
        assert_eq!(names(&ix, "stf")[0], "单田芳");
        assert_eq!(names(&ix, "dtf")[0], "单田芳");
        ix.upsert(entry(99, "JS01-0099", "单田芳", "9999", "8栋"));
        assert_eq!(ix.len(), 8);
        assert_eq!(names(&ix, "JS01-0099")[0], "单田芳");
    }

    #[test]
    fn empty_and_odd_queries() {
        let ix = index();
        assert!(ix.query("", 10).is_empty());
        assert!(ix.query("   ", 10).is_empty());
        assert!(ix.query("😀", 10).is_empty());
        let _ = ix.query("-", 10);
    }
}
