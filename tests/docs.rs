//! The documentation against the program: `docs/keys.md` is what
//! `shiguang keys` prints, every test `docs/bad-input.md` cites exists,
//! every relative link in the Markdown files resolves (to a file, and to a
//! heading when it names one), the README links every page under `docs/`,
//! and the README stays short enough to read first.
//!
//! `SHIGUANG_UPDATE_DOCS=1 cargo test --locked --test docs` writes the key
//! tables of `docs/keys.md` again from the built program.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const README_LIMIT: usize = 10 * 1024;

/// `shiguang keys` as a person runs it, with nothing in the environment that
/// would change its language.
fn keys_output(lang: Option<&str>) -> String {
    let mut c = Command::new(env!("CARGO_BIN_EXE_shiguang"));
    c.arg("keys").env_remove("SHIGUANG_LANG");
    if let Some(lang) = lang {
        c.args(["--lang", lang]);
    }
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The text between `<!-- keys:NAME:start -->` and `<!-- keys:NAME:end -->`,
/// as a byte range.
fn section(doc: &str, name: &str) -> std::ops::Range<usize> {
    let start_mark = format!("<!-- keys:{name}:start -->");
    let end_mark = format!("<!-- keys:{name}:end -->");
    let start = doc
        .find(&start_mark)
        .unwrap_or_else(|| panic!("docs/keys.md has no {start_mark}"))
        + start_mark.len();
    let end = doc
        .find(&end_mark)
        .unwrap_or_else(|| panic!("docs/keys.md has no {end_mark}"));
    start..end
}

#[test]
fn the_key_tables_of_docs_keys_md_are_what_shiguang_keys_prints() {
    let path = Path::new(ROOT).join("docs/keys.md");
    let mut doc = read("docs/keys.md");
    let wanted = [("zh", keys_output(None)), ("en", keys_output(Some("en")))];
    if std::env::var_os("SHIGUANG_UPDATE_DOCS").is_some_and(|v| v == "1") {
        for (name, output) in &wanted {
            let range = section(&doc, name);
            doc.replace_range(range, output);
        }
        std::fs::write(&path, &doc).unwrap();
    }
    for (name, output) in &wanted {
        let in_doc = &doc[section(&doc, name)];
        if in_doc != output.as_str() {
            let (n, (doc_line, program_line)) = in_doc
                .lines()
                .chain(std::iter::repeat(""))
                .zip(output.lines().chain(std::iter::repeat("")))
                .enumerate()
                .find(|(_, (a, b))| a != b)
                .unwrap_or((0, ("", "")));
            panic!(
                "docs/keys.md ({name}) differs from `shiguang keys`: the keymap changed.\n\
                 first difference, line {} of the table:\n  docs/keys.md: {doc_line}\n  \
                 shiguang keys: {program_line}\n\
                 Write it again with `SHIGUANG_UPDATE_DOCS=1 cargo test --locked --test docs` \
                 and read the diff before committing it",
                n + 1
            );
        }
    }
}

#[test]
fn the_chinese_key_table_is_the_default() {
    // The desk's staff read Chinese: `shiguang keys` with no option must
    // print the table the guide's readers see, not the English one.
    let zh = keys_output(None);
    assert!(zh.contains("| `Ctrl-Q` | 退出 |"), "{zh}");
    assert!(keys_output(Some("en")).contains("| `Ctrl-Q` | Quit |"));
}

/// The Markdown files of the repository a reader follows links between.
fn markdown_files() -> Vec<PathBuf> {
    let mut files = vec![
        Path::new(ROOT).join("README.md"),
        Path::new(ROOT).join("CONTRIBUTING.md"),
    ];
    for entry in std::fs::read_dir(Path::new(ROOT).join("docs")).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "md") {
            files.push(p);
        }
    }
    files.sort();
    files
}

/// The lines of a Markdown file outside fenced code blocks (a screen
/// capture or an example is not a link or a heading).
fn outside_fences(doc: &str) -> Vec<&str> {
    let mut in_fence = false;
    let mut lines = Vec::new();
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        } else if !in_fence {
            lines.push(line);
        }
    }
    lines
}

/// Every `](target)` of the file's prose, inline code left out.
fn link_targets(doc: &str) -> Vec<String> {
    let mut targets = Vec::new();
    for line in outside_fences(doc) {
        let prose: String = line
            .split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 0)
            .map(|(_, part)| part)
            .collect();
        let mut rest = prose.as_str();
        while let Some(at) = rest.find("](") {
            rest = &rest[at + 2..];
            if let Some(end) = rest.find(')') {
                targets.push(rest[..end].to_string());
                rest = &rest[end..];
            }
        }
    }
    targets
}

/// The anchors GitHub gives a file's headings: lower case, letters, digits,
/// `-` and `_` kept, spaces made `-`, the rest dropped; a repeated heading
/// gets `-1`, `-2`, ….
fn anchors(doc: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    for line in outside_fences(doc) {
        let Some(title) = line.strip_prefix('#') else {
            continue;
        };
        let title = title.trim_start_matches('#').trim();
        let base: String = title
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
            .map(|c| if c == ' ' { '-' } else { c })
            .collect();
        let mut anchor = base.clone();
        let mut n = 0;
        while seen.contains(&anchor) {
            n += 1;
            anchor = format!("{base}-{n}");
        }
        seen.insert(anchor);
    }
    seen
}

#[test]
fn every_link_in_the_docs_resolves() {
    let mut broken = Vec::new();
    for file in markdown_files() {
        let doc = std::fs::read_to_string(&file).unwrap();
        for target in link_targets(&doc) {
            if target.starts_with("http://")
                || target.starts_with("https://")
                || target.starts_with("mailto:")
            {
                continue;
            }
            let (path, anchor) = match target.split_once('#') {
                Some((p, a)) => (p, Some(a)),
                None => (target.as_str(), None),
            };
            let dest = if path.is_empty() {
                file.clone()
            } else {
                file.parent().unwrap().join(path)
            };
            if !dest.exists() {
                broken.push(format!("{}: {target} (no such file)", file.display()));
                continue;
            }
            if let Some(anchor) = anchor
                && dest.extension().is_some_and(|e| e == "md")
                && !anchors(&std::fs::read_to_string(&dest).unwrap()).contains(anchor)
            {
                broken.push(format!("{}: {target} (no such heading)", file.display()));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_readme_links_every_page_under_docs() {
    let readme = read("README.md");
    let linked: BTreeSet<String> = link_targets(&readme)
        .into_iter()
        .map(|t| t.split('#').next().unwrap_or_default().to_string())
        .collect();
    for file in markdown_files() {
        let rel = file
            .strip_prefix(ROOT)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel.starts_with("docs/") {
            assert!(linked.contains(&rel), "README.md does not link {rel}");
        }
    }
}

#[test]
fn the_readme_is_short_enough_to_read_first() {
    let size = read("README.md").len();
    assert!(
        size <= README_LIMIT,
        "README.md is {size} bytes, over {README_LIMIT}: put the detail in a page \
         under docs/ and link it from the README"
    );
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, into: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, into);
        } else if p.extension().is_some_and(|e| e == "rs") {
            into.push(p);
        }
    }
}

/// The tests a page's table cites as `path/file.rs::name` (that file) or
/// `module::name` (a test crate's module, wherever the tests live).
fn cited_tests(doc: &str) -> Vec<(Option<String>, String, String)> {
    let mut cited = Vec::new();
    for line in outside_fences(doc)
        .into_iter()
        .filter(|l| l.starts_with('|'))
    {
        for (i, span) in line.split('`').enumerate() {
            let Some((path, name)) = span.rsplit_once("::") else {
                continue;
            };
            let ident =
                |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_');
            if i % 2 == 0 || !ident(name) || path.is_empty() {
                continue;
            }
            if path.ends_with(".rs") {
                cited.push((Some(path.to_string()), name.to_string(), span.to_string()));
            } else if ident(path) {
                cited.push((None, name.to_string(), span.to_string()));
            }
        }
    }
    cited
}

#[test]
fn every_test_the_bad_input_table_cites_exists() {
    let mut files = Vec::new();
    rust_files(&Path::new(ROOT).join("tests"), &mut files);
    let tests: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    let cited = cited_tests(&read("docs/bad-input.md"));
    assert!(cited.len() > 50, "the table cites its tests: {cited:?}");
    let mut missing = Vec::new();
    for (path, name, as_written) in cited {
        let def = format!("fn {name}(");
        let found = match &path {
            Some(p) => {
                std::fs::read_to_string(Path::new(ROOT).join(p)).is_ok_and(|src| src.contains(&def))
            }
            None => tests.iter().any(|src| src.contains(&def)),
        };
        if !found {
            missing.push(as_written);
        }
    }
    assert!(
        missing.is_empty(),
        "docs/bad-input.md cites tests that do not exist (renamed or moved? \
         name where they are now):\n{}",
        missing.join("\n")
    );
}

#[test]
fn anchors_follow_github() {
    let doc = "# Backup and restore\n## 每天开站\n## `F2` (open)\n```\n# not a heading\n```\n## Backup and restore\n";
    let got: Vec<String> = anchors(doc).into_iter().collect();
    assert_eq!(
        got,
        [
            "backup-and-restore",
            "backup-and-restore-1",
            "f2-open",
            "每天开站"
        ]
    );
}
