//! Handing a saved page to the system: open it with the default program
//! for its type, or send it to the default printer. Which program and which
//! arguments is data ([`command`]), decided for each system and tested on
//! Linux for all three; [`spawn`] only starts it and never waits, so the
//! desk does not stop while a browser or the print spooler starts.

use std::ffi::OsString;
use std::io;
use std::path::Path;

/// The systems the desk runs on, as far as opening a file goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    Linux,
    MacOs,
    Windows,
}

pub const OS: Os = if cfg!(windows) {
    Os::Windows
} else if cfg!(target_os = "macos") {
    Os::MacOs
} else {
    Os::Linux
};

/// What to do with the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    Open,
    Print,
}

/// A program and its arguments, not yet run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launch {
    pub program: &'static str,
    pub args: Vec<OsString>,
}

/// The command that opens or prints `file` on `os`.
///
/// Windows: `start` is a command of `cmd`, and its first quoted argument
/// is the window title, hence the empty one before the file (std writes an
/// empty argument as `""` on the command line). Printing goes
/// through the shell's "print" verb (ShellExecute, as Explorer's right
/// click "Print"), reached from PowerShell's `Start-Process -Verb Print`;
/// the path is in single quotes there, a quote in it doubled.
/// Linux and macOS print with `lp` to the default destination.
pub fn command(os: Os, how: How, file: &Path) -> Launch {
    let path = file.as_os_str().to_os_string();
    match (os, how) {
        (Os::Linux, How::Open) => Launch {
            program: "xdg-open",
            args: vec![path],
        },
        (Os::MacOs, How::Open) => Launch {
            program: "open",
            args: vec![path],
        },
        (Os::Linux | Os::MacOs, How::Print) => Launch {
            program: "lp",
            args: vec![OsString::from("--"), path],
        },
        (Os::Windows, How::Open) => Launch {
            program: "cmd",
            args: vec!["/C".into(), "start".into(), OsString::new(), path],
        },
        (Os::Windows, How::Print) => {
            let quoted = file.to_string_lossy().replace('\'', "''");
            Launch {
                program: "powershell",
                args: vec![
                    "-NoProfile".into(),
                    "-NonInteractive".into(),
                    "-Command".into(),
                    format!("Start-Process -FilePath '{quoted}' -Verb Print").into(),
                ],
            }
        }
    }
}

/// Start `launch` with no terminal of its own and do not wait for it; a
/// thread reaps it when it ends. `Err` when the program is not there.
pub fn spawn(launch: &Launch) -> io::Result<()> {
    use std::process::{Command, Stdio};
    let mut child = Command::new(launch.program)
        .args(&launch.args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    std::thread::spawn(move || child.wait());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(l: &Launch) -> Vec<String> {
        l.args
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn each_system_has_its_opener() {
        let f = Path::new("/srv/exports/会员申请表.html");
        let l = command(Os::Linux, How::Open, f);
        assert_eq!(
            (l.program, args(&l)),
            ("xdg-open", vec![f.display().to_string()])
        );
        let m = command(Os::MacOs, How::Open, f);
        assert_eq!(m.program, "open");
        let p = command(Os::Linux, How::Print, f);
        assert_eq!(
            (p.program, args(&p)),
            ("lp", vec!["--".into(), f.display().to_string()])
        );
        assert_eq!(command(Os::MacOs, How::Print, f).program, "lp");
    }

    #[test]
    fn windows_starts_with_an_empty_title_and_prints_by_the_shell_verb() {
        let f = Path::new(r"C:\Users\驿站\exports\receipt-12.html");
        let o = command(Os::Windows, How::Open, f);
        assert_eq!(o.program, "cmd");
        assert_eq!(
            args(&o),
            vec!["/C", "start", "", r"C:\Users\驿站\exports\receipt-12.html"]
        );
        let p = command(Os::Windows, How::Print, Path::new(r"C:\x\o'brien.html"));
        assert_eq!(p.program, "powershell");
        assert_eq!(
            args(&p).last().unwrap(),
            r"Start-Process -FilePath 'C:\x\o''brien.html' -Verb Print"
        );
    }

    #[test]
    fn a_missing_program_is_an_error_not_a_panic() {
        let l = Launch {
            program: "shiguang-no-such-opener",
            args: vec![],
        };
        assert!(spawn(&l).is_err());
    }
}
