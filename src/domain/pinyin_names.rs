//! Pinyin readings of Chinese names, for search.
//!
//! The `pinyin` crate reads each character the common-word way; many
//! surnames are read differently (曾 zeng not ceng, 单 shan not dan). Staff
//! type either, so a name gets both readings, and compound surnames (欧阳,
//! 尉迟) get their own.

use pinyin::ToPinyin;

/// Compound surnames and their readings.
const COMPOUND: &[(&str, &[&str])] = &[
    ("尉迟", &["yu", "chi"]),
    ("欧阳", &["ou", "yang"]),
    ("万俟", &["mo", "qi"]),
    ("长孙", &["zhang", "sun"]),
    ("单于", &["chan", "yu"]),
    ("司马", &["si", "ma"]),
    ("上官", &["shang", "guan"]),
    ("诸葛", &["zhu", "ge"]),
    ("东方", &["dong", "fang"]),
    ("皇甫", &["huang", "fu"]),
    ("夏侯", &["xia", "hou"]),
    ("公孙", &["gong", "sun"]),
    ("慕容", &["mu", "rong"]),
    ("令狐", &["ling", "hu"]),
    ("宇文", &["yu", "wen"]),
    ("轩辕", &["xuan", "yuan"]),
    ("端木", &["duan", "mu"]),
    ("独孤", &["du", "gu"]),
    ("南宫", &["nan", "gong"]),
    ("澹台", &["tan", "tai"]),
    ("公冶", &["gong", "ye"]),
    ("宗政", &["zong", "zheng"]),
    ("濮阳", &["pu", "yang"]),
    ("淳于", &["chun", "yu"]),
    ("太叔", &["tai", "shu"]),
    ("申屠", &["shen", "tu"]),
    ("钟离", &["zhong", "li"]),
    ("闻人", &["wen", "ren"]),
    ("赫连", &["he", "lian"]),
    ("呼延", &["hu", "yan"]),
    ("司徒", &["si", "tu"]),
    ("司空", &["si", "kong"]),
];

/// Single-character surnames read differently from the common word.
const SURNAME: &[(char, &str)] = &[
    ('曾', "zeng"),
    ('单', "shan"),
    ('解', "xie"),
    ('仇', "qiu"),
    ('区', "ou"),
    ('查', "zha"),
    ('覃', "qin"),
    ('乐', "yue"),
    ('朴', "piao"),
    ('盖', "ge"),
    ('缪', "miao"),
    ('翟', "zhai"),
    ('柏', "bai"),
    ('秘', "bi"),
    ('繁', "po"),
    ('召', "shao"),
    ('员', "yun"),
    ('黑', "he"),
    ('句', "gou"),
    ('任', "ren"),
    ('华', "hua"),
    ('纪', "ji"),
    ('种', "chong"),
    ('过', "guo"),
    ('尉', "yu"),
    ('冼', "xian"),
    ('那', "na"),
    ('洗', "xian"),
    ('隗', "wei"),
    ('阚', "kan"),
    ('折', "she"),
    ('祭', "zhai"),
    ('莘', "shen"),
    ('谌', "chen"),
    ('逄', "pang"),
];

/// Plain reading of one character (lower-case ASCII), or the character
/// itself lower-cased when it is not Han (a Latin letter in a name).
fn common_reading(c: char) -> Option<String> {
    match c.to_pinyin() {
        Some(p) => Some(p.plain().to_string()),
        None if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase().to_string()),
        None => None,
    }
}

/// For each character of `name` that has a reading: the character's index
/// and its possible readings (surname readings first).
pub fn syllables(name: &str) -> Vec<(usize, Vec<String>)> {
    let chars: Vec<char> = name.chars().collect();
    let mut out: Vec<(usize, Vec<String>)> = Vec::with_capacity(chars.len());
    let mut start = 0;
    let two: String = chars.iter().take(2).collect();
    if let Some((_, readings)) = COMPOUND.iter().find(|(s, _)| *s == two) {
        for (i, r) in readings.iter().enumerate() {
            let mut alts = vec![r.to_string()];
            if let Some(common) = common_reading(chars[i])
                && common != *r
            {
                alts.push(common);
            }
            out.push((i, alts));
        }
        start = 2;
    }
    for (i, c) in chars.iter().enumerate().skip(start) {
        let Some(common) = common_reading(*c) else {
            continue;
        };
        let mut alts = Vec::with_capacity(2);
        if i == 0
            && let Some((_, r)) = SURNAME.iter().find(|(s, _)| s == c)
        {
            alts.push(r.to_string());
        }
        if !alts.contains(&common) {
            alts.push(common);
        }
        out.push((i, alts));
    }
    out
}

/// Every combination of readings, as (initials, full) pairs. Only the first
/// character has alternatives, so there are at most a few.
pub fn readings(name: &str) -> Vec<(String, String)> {
    readings_of(&syllables(name))
}

/// [`readings`] from syllables already worked out.
pub fn readings_of(syl: &[(usize, Vec<String>)]) -> Vec<(String, String)> {
    let mut combos: Vec<(String, String)> = vec![(String::new(), String::new())];
    for (_, alts) in syl {
        let mut next = Vec::with_capacity(combos.len() * alts.len());
        for (ini, full) in &combos {
            for a in alts {
                let mut i = ini.clone();
                i.push_str(&a[..1]);
                next.push((i, format!("{full}{a}")));
            }
        }
        combos = next;
        combos.truncate(8);
    }
    combos.retain(|(i, _)| !i.is_empty());
    combos
}

#[cfg(test)]
mod tests {
    use super::*;

    fn initials(name: &str) -> Vec<String> {
        readings(name).into_iter().map(|(i, _)| i).collect()
    }

    #[test]
    fn surname_and_common_readings_both() {
        let r = initials("曾艳平");
        assert!(r.contains(&"zyp".to_string()), "{r:?}");
        assert!(r.contains(&"cyp".to_string()), "{r:?}");
        for (name, a, b) in [
            ("单雄信", "sxx", "dxx"),
            ("解放军", "xfj", "jfj"),
            ("仇英", "qy", "cy"),
            ("区家明", "ojm", "qjm"),
            ("查良镛", "zly", "cly"),
            ("覃海洋", "qhy", "thy"),
            ("乐嘉", "yj", "lj"),
        ] {
            let r = initials(name);
            assert!(
                r.contains(&a.to_string()) && r.contains(&b.to_string()),
                "{name}: {r:?}"
            );
        }
    }

    #[test]
    fn compound_surnames() {
        assert!(
            readings("尉迟恭")
                .iter()
                .any(|(i, f)| i == "ycg" && f == "yuchigong")
        );
        assert!(
            readings("欧阳娜娜")
                .iter()
                .any(|(i, f)| i == "oynn" && f == "ouyangnana")
        );
    }

    #[test]
    fn plain_names() {
        assert_eq!(
            readings("张三丰"),
            vec![("zsf".to_string(), "zhangsanfeng".to_string())]
        );
    }

    #[test]
    fn latin_letters_and_marks() {
        let r = readings("阿卜杜·Ali");
        assert!(r.iter().any(|(i, _)| i.ends_with("ali")), "{r:?}");
    }
}
