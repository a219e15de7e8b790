//! What the commands print, and the files they write with `--out`.
//!
//! Printing goes through [`line`] (the `outln!` macro), never `println!`:
//! `println!` panics when its reader has gone (`shiguang verify | head -c0`),
//! and a closed pipe is no failure of ours. Here it ends the program
//! quietly with status 141 — what a shell reports for a program stopped by
//! SIGPIPE (128 + 13), as `cat` or `yes` would be — with no message.

use super::Failure;
use crate::i18n::Tr;
use crate::output::{Refused, WriteError};
use crate::store::{Store, StoreError};
use std::io::Write;
use std::path::Path;

/// The exit status of a program whose output pipe was closed.
pub const PIPE_CLOSED: u8 = 141;

/// The reader of our output has gone: stop, quietly.
pub fn pipe_closed() -> ! {
    std::process::exit(i32::from(PIPE_CLOSED))
}

/// Stdout that ends the program quietly when its pipe is closed.
pub struct Stdout(std::io::Stdout);

pub fn stdout() -> Stdout {
    Stdout(std::io::stdout())
}

fn quiet<T>(r: std::io::Result<T>) -> std::io::Result<T> {
    match r {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => pipe_closed(),
        r => r,
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        quiet(self.0.write(buf))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        quiet(self.0.flush())
    }
}

/// One line of a command's output (see [`outln!`](crate::cli)).
pub fn line(args: std::fmt::Arguments<'_>) {
    let mut out = stdout();
    // another error writing to stdout (a full disk under a redirect) has
    // nowhere better to be told; the command's own result still decides
    // the exit status
    let _ = writeln!(out, "{args}").and_then(|()| out.flush());
}

/// Text as it is (no newline added).
pub fn text(s: &str) {
    let mut out = stdout();
    let _ = out.write_all(s.as_bytes()).and_then(|()| out.flush());
}

/// The one line of a failure, on stderr; a closed stderr is no reason to
/// panic either.
pub fn err_line(args: std::fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stderr(), "{args}");
}

/// Where `--out` sends a file: `-` is standard output.
pub enum Target<'a> {
    Stdout,
    File(&'a Path),
}

impl<'a> Target<'a> {
    pub fn of(out: &'a Path) -> Target<'a> {
        if out.as_os_str() == "-" {
            Target::Stdout
        } else {
            Target::File(out)
        }
    }
}

/// Write a command's `--out` with `body`: to stdout, or to a file judged by
/// [`crate::output`] for `store` (refusals exit 2; a missing folder or a
/// failed write 1).
pub fn write_out<T>(
    store: &Store,
    out: &Path,
    own_bundle: Option<(&str, &str)>,
    force: bool,
    tr: &Tr,
    body: impl FnOnce(&mut dyn Write) -> Result<T, StoreError>,
) -> Result<T, Failure> {
    match Target::of(out) {
        Target::Stdout => {
            let mut w = std::io::BufWriter::new(stdout());
            let v = body(&mut w).map_err(|e| Failure::failed(tr.msg(&e.msg())))?;
            quiet(w.flush()).map_err(|e| Failure::failed(e.to_string()))?;
            Ok(v)
        }
        Target::File(path) => crate::store::files::write_for(store, path, own_bundle, force, body)
            .map_err(|e| {
                let m = e.msg(path, StoreError::msg);
                match e {
                    // a folder that is not there is a file that will not
                    // do (1), like a failed write; the rest are refusals (2)
                    WriteError::Refused(Refused::NoFolder) => Failure::failed(tr.msg(&m)),
                    WriteError::Refused(_) => Failure::usage(tr.msg(&m)),
                    _ => Failure::failed(tr.msg(&m)),
                }
            }),
    }
}

#[cfg(test)]
mod tests {
    /// Every line a command prints goes through `line`: a `println!` or
    /// `print!` anywhere in the program panics on a closed pipe.
    #[test]
    fn nothing_prints_with_println() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut found = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(root)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("out.rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let code = text.split("#[cfg(test)]").next().unwrap_or("");
                    for (i, l) in code.lines().enumerate() {
                        let l = l.trim_start().replace("eprint", "");
                        if !l.starts_with("//")
                            && (l.contains("print!(") || l.contains("println!("))
                        {
                            found.push(format!("{}:{}", path.display(), i + 1));
                        }
                    }
                }
            }
        }
        assert!(found.is_empty(), "use outln! instead: {found:?}");
    }
}
