//! Layers point down only (docs/architecture.md, "Layers"): every
//! `crate::…` path in src/ is read, resolved to the file of the module it
//! names, and refused when it runs from a lower layer to a higher one, or
//! when files import each other round in a cycle. Test-only code
//! (`#[cfg(test)]` items and the modules they declare) may use anything.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module and its layer, lowest first; a module may use its
/// own layer and those below. Kept in step with docs/architecture.md.
const LAYERS: &[(&str, u8)] = &[
    ("msg", 0),
    ("i18n", 0),
    ("text", 0),
    ("platform", 0),
    ("qr", 0),
    ("print", 0),
    ("config", 0),
    ("domain", 1),
    ("wire", 2),
    ("output", 2),
    ("store", 3),
    ("exports", 4),
    ("hq", 4),
    ("journal", 4),
    ("routines", 5),
    ("seed", 5),
    ("worker", 6),
    ("app", 7),
    ("ui", 8),
    ("runtime", 9),
    ("desk", 9),
    ("cli", 10),
    ("harness", 10),
];

type Module = Vec<String>;

fn layer(m: &Module) -> Option<u8> {
    let top = m.first()?;
    LAYERS.iter().find(|(n, _)| n == top).map(|(_, l)| *l)
}

fn show(m: &Module) -> String {
    if m.is_empty() {
        "(crate root)".into()
    } else {
        m.join("::")
    }
}

/// Every .rs file under src/ by its module path (`store/mod.rs` → `store`).
fn files(src: &Path) -> BTreeMap<Module, PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut all = Vec::new();
    walk(src, &mut all);
    let mut out = BTreeMap::new();
    for p in all {
        let rel = p.strip_prefix(src).unwrap().with_extension("");
        let mut parts: Module = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts == ["main"] {
            continue; // the binary, not the library
        }
        if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
            parts.pop();
        }
        out.insert(parts, p);
    }
    out
}

/// The source with comments, string and char literals blanked out.
fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        let rest = &src[i..];
        if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            let mut depth = 0;
            let mut j = i;
            while j < b.len() {
                if src[j..].starts_with("/*") {
                    depth += 1;
                    j += 2;
                } else if src[j..].starts_with("*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            i = j;
        } else if let Some(hashes) = raw_string_start(rest) {
            let close = format!("\"{}", "#".repeat(hashes));
            let open_len = 2 + hashes + usize::from(rest.starts_with("br"));
            let body = &rest[open_len..];
            i += open_len + body.find(&close).map_or(body.len(), |k| k + close.len());
            out.push_str("\"\"");
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            i = j + 1;
            out.push_str("\"\"");
        } else if b[i] == b'\'' {
            // a char literal ('x', '\n', '"'), else a lifetime
            let lit = if rest[1..].starts_with('\\') {
                rest[2..].find('\'').map(|k| k + 3)
            } else {
                let c = rest[1..].chars().next().map_or(0, char::len_utf8);
                rest[1 + c..].starts_with('\'').then_some(c + 2)
            };
            match lit {
                Some(n) => {
                    i += n;
                    out.push_str("' '");
                }
                None => {
                    out.push('\'');
                    i += 1;
                }
            }
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

fn raw_string_start(s: &str) -> Option<usize> {
    let s = s.strip_prefix('b').unwrap_or(s);
    let s = s.strip_prefix('r')?;
    let hashes = s.len() - s.trim_start_matches('#').len();
    s[hashes..].starts_with('"').then_some(hashes)
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// `code` without its `#[cfg(test)]` items; the modules such an item
/// declares from a file of their own (`#[cfg(test)] mod tests;`).
fn without_tests(code: &str) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut test_mods = Vec::new();
    let mut rest = code;
    while let Some(k) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..k]);
        let item = &rest[k + "#[cfg(test)]".len()..];
        let b = item.as_bytes();
        let (mut j, mut depth) = (0, 0);
        while j < b.len() {
            match b[j] {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        j += 1;
                        break;
                    }
                }
                b';' if depth == 0 => {
                    let decl = item[..j].split_whitespace().collect::<Vec<_>>();
                    if let [.., "mod", name] = decl.as_slice() {
                        test_mods.push(name.to_string());
                    }
                    j += 1;
                    break;
                }
                _ => {}
            }
            j += 1;
        }
        rest = &item[j.min(item.len())..];
    }
    out.push_str(rest);
    (out, test_mods)
}

/// Every path named after `crate::`, with `{…}` groups spelled out.
fn crate_paths(code: &str) -> Vec<Module> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(k) = code[from..].find("crate::") {
        let at = from + k;
        from = at + "crate::".len();
        if at > 0 && is_ident(b[at - 1]) {
            continue;
        }
        tree(code, from, Vec::new(), &mut out);
    }
    out
}

/// The path tree at `i`: `a::b::{c, d::e}` → `a::b::c`, `a::b::d::e`.
fn tree(s: &str, mut i: usize, mut segs: Module, out: &mut Vec<Module>) {
    let b = s.as_bytes();
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < b.len() && b[i] == b'{' {
            let mut depth = 0;
            let mut start = i + 1;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            tree(&s[..j], start, segs.clone(), out);
                            return;
                        }
                    }
                    b',' if depth == 1 => {
                        tree(&s[..j], start, segs.clone(), out);
                        start = j + 1;
                    }
                    _ => {}
                }
                j += 1;
            }
            return;
        }
        let end = (i..b.len()).find(|&j| !is_ident(b[j])).unwrap_or(b.len());
        if end == i {
            break;
        }
        segs.push(s[i..end].to_string());
        i = end;
        if s[i..].starts_with("::") {
            i += 2;
        } else {
            break;
        }
    }
    if !segs.is_empty() {
        out.push(segs);
    }
}

/// The graph of the library's files: which file names which, by `crate::`
/// paths outside test-only code.
fn graph() -> BTreeMap<Module, BTreeSet<Module>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = files(&src);
    let mut test_only: Vec<Module> = Vec::new();
    let mut code: BTreeMap<Module, String> = BTreeMap::new();
    for (m, p) in &files {
        let text = std::fs::read_to_string(p).unwrap();
        let (kept, tests) = without_tests(&code_only(&text));
        for t in tests {
            let mut child = m.clone();
            child.push(t);
            test_only.push(child);
        }
        code.insert(m.clone(), kept);
    }
    let mut g = BTreeMap::new();
    for (m, text) in &code {
        if test_only.iter().any(|t| m.starts_with(t)) {
            continue;
        }
        let mut to = BTreeSet::new();
        for path in crate_paths(text) {
            let target = (1..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|p| files.contains_key(p));
            if let Some(t) = target
                && &t != m
            {
                to.insert(t);
            }
        }
        g.insert(m.clone(), to);
    }
    g
}

#[test]
fn no_module_uses_one_of_a_higher_layer() {
    let g = graph();
    let mut wrong = Vec::new();
    for (from, tos) in &g {
        if from.is_empty() {
            continue; // lib.rs: the module list and old names
        }
        let Some(lf) = layer(from) else {
            wrong.push(format!("{}: not in the table of layers", show(from)));
            continue;
        };
        for to in tos.iter().filter(|t| !t.is_empty()) {
            match layer(to) {
                Some(lt) if lt > lf => wrong.push(format!(
                    "{} (layer {lf}) uses {} (layer {lt})",
                    show(from),
                    show(to)
                )),
                Some(_) => {}
                None => wrong.push(format!("{}: not in the table of layers", show(to))),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports running up:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_files_import_each_other_round_in_a_cycle() {
    let g = graph();
    // depth-first, colouring: a grey file met again closes a cycle
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Grey,
        Black,
    }
    fn visit(
        m: &Module,
        g: &BTreeMap<Module, BTreeSet<Module>>,
        marks: &mut BTreeMap<Module, Mark>,
        stack: &mut Vec<Module>,
        cycles: &mut Vec<String>,
    ) {
        marks.insert(m.clone(), Mark::Grey);
        stack.push(m.clone());
        for to in g.get(m).into_iter().flatten() {
            match marks.get(to) {
                Some(Mark::Grey) => {
                    let from = stack.iter().position(|s| s == to).unwrap_or(0);
                    let mut names: Vec<String> = stack[from..].iter().map(show).collect();
                    names.push(show(to));
                    cycles.push(names.join(" → "));
                }
                Some(Mark::Black) => {}
                None => visit(to, g, marks, stack, cycles),
            }
        }
        stack.pop();
        marks.insert(m.clone(), Mark::Black);
    }
    let mut marks = BTreeMap::new();
    let mut cycles = Vec::new();
    for m in g.keys() {
        if !marks.contains_key(m) {
            visit(m, &g, &mut marks, &mut Vec::new(), &mut cycles);
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_architecture_page_names_every_layer() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/architecture.md"))
            .unwrap();
    let table: String = doc
        .split("## Layers")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .unwrap_or_default()
        .to_string();
    for (name, _) in LAYERS {
        assert!(
            table.contains(&format!("`{name}`")),
            "docs/architecture.md's table of layers does not name `{name}`"
        );
    }
    // and every top-level module of src/ is in the table
    let g = graph();
    let tops: BTreeSet<&String> = g.keys().filter_map(|m| m.first()).collect();
    for t in tops {
        assert!(
            LAYERS.iter().any(|(n, _)| n == t),
            "src/{t} is in no layer: add it to LAYERS and docs/architecture.md"
        );
    }
}

/// The reader itself: paths in groups, comments and strings ignored, test
/// code left out.
#[test]
fn the_reader_finds_paths_in_groups_and_skips_comments_strings_and_tests() {
    let src = r##"
        use crate::a::{b, c::{d, e}};
        // use crate::comment;
        /* crate::block */
        let s = "crate::string";
        let r = r#"crate::raw"#;
        let q = '"'; let l: &'static str = x;
        fn f() { crate::g::h(); }
        #[cfg(test)]
        mod tests { use crate::test_only; }
        #[cfg(test)]
        mod more;
    "##;
    let (code, tests) = without_tests(&code_only(src));
    let found: Vec<String> = crate_paths(&code).iter().map(|p| p.join("::")).collect();
    assert_eq!(found, ["a::b", "a::c::d", "a::c::e", "g::h"]);
    assert_eq!(tests, ["more"]);
}
