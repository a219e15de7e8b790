//! Who runs a command that writes: on a station that has staff, `seed`,
//! `close-day`, `backup`, `restore`, `sync` (and the hidden `stress-post`)
//! sign in as the desk does — staff number and PIN, the same lockout — and
//! the audit log names the staff member and the command (`sync` checks
//! the PIN without a row: see [`check`]).
//!
//! Scripts give `--staff NNN` (or `SHIGUANG_STAFF`) and the PIN in
//! `SHIGUANG_PIN`; at a terminal whatever is missing is asked, the PIN
//! without echo. Anything refused exits 2 before the command does anything.

use super::Failure;
use crate::domain::staff::Session;
use crate::i18n::Tr;
use crate::store::{OpenMode, Store, StoreError};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::io::{IsTerminal, Write};
use std::path::Path;

#[derive(Debug, Clone, Default, clap::Args)]
pub struct StaffArgs {
    /// Your staff number (else SHIGUANG_STAFF, else asked at a terminal);
    /// the PIN is read from SHIGUANG_PIN, else asked without echo
    #[arg(long, value_name = "NNN")]
    pub staff: Option<String>,
}

/// Who may run the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    AnyStaff,
    Master,
}

/// A staff number and PIN, from the arguments, the environment or asked.
pub struct Credentials {
    pub staff_no: String,
    pub pin: String,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The staff number and PIN for `command`; refused (exit 2) when one is
/// missing and there is no terminal to ask at.
pub fn credentials(who: &StaffArgs, tr: &Tr) -> Result<Credentials, Failure> {
    let terminal = std::io::stdin().is_terminal();
    let needed = || Failure::usage(tr.t("cli.staff.needed"));
    let staff_no = match who.staff.clone().or_else(|| env("SHIGUANG_STAFF")) {
        Some(no) => no,
        None if terminal => ask(tr.t("cli.staff.ask_no"), true, tr)?,
        None => return Err(needed()),
    };
    let pin = match env("SHIGUANG_PIN") {
        Some(pin) => pin,
        None if terminal => ask(tr.t("cli.staff.ask_pin"), false, tr)?,
        None => return Err(needed()),
    };
    Ok(Credentials { staff_no, pin })
}

/// Sign in on `store` for `command` when the station has staff (`None`: it
/// has none yet, e.g. a file `seed` is about to set up). The desk's rules:
/// a wrong PIN is counted towards the lockout and audited.
pub fn sign_in(
    store: &mut Store,
    who: &StaffArgs,
    command: &str,
    need: Need,
    tr: &Tr,
) -> Result<Option<Session>, Failure> {
    let Some(c) = allowed_credentials(store, who, need, tr)? else {
        return Ok(None);
    };
    let now = chrono::Utc::now().timestamp_millis();
    store
        .sign_in_for(&c.staff_no, &c.pin, now, Some(command))
        .map(Some)
        .map_err(|e| refused(e, tr))
}

/// The credentials to check, once the station has staff (`None`: it has
/// none yet) and the staff number may do what `need` asks.
fn allowed_credentials(
    store: &Store,
    who: &StaffArgs,
    need: Need,
    tr: &Tr,
) -> Result<Option<Credentials>, Failure> {
    if !has_staff(store, tr)? {
        return Ok(None);
    }
    let c = credentials(who, tr)?;
    refuse_unless_allowed(store, &c.staff_no, need, tr)?;
    Ok(Some(c))
}

/// [`sign_in`] on a connection of its own, for a command that otherwise
/// only reads the station's file (`backup`, `sync`). The file is checked
/// first, as for every command that writes.
pub fn sign_in_at(
    path: &Path,
    who: &StaffArgs,
    command: &str,
    need: Need,
    tr: &Tr,
) -> Result<Option<Session>, Failure> {
    let now = chrono::Utc::now().timestamp_millis();
    let mut store = super::open_store(path, OpenMode::Desk, now, tr)?;
    sign_in(&mut store, who, command, need, tr)
}

/// For `sync`, which writes nothing into the station's file: the PIN is
/// checked without writing (a lockout in force is respected), so a sync
/// that goes through leaves no row behind — else every sync would have a
/// row of its own to send, and a tampered file (which is never written to)
/// could not be sent for headquarters to see the tampering. A wrong PIN is
/// counted, and audited, as at the desk whenever the file can be written.
pub fn check(
    store: &Store,
    who: &StaffArgs,
    command: &str,
    need: Need,
    tr: &Tr,
) -> Result<Option<Session>, Failure> {
    let Some(c) = allowed_credentials(store, who, need, tr)? else {
        return Ok(None);
    };
    let now = chrono::Utc::now().timestamp_millis();
    match store.check_pin(&c.staff_no, &c.pin, now) {
        Ok(s) => Ok(Some(s)),
        Err(StoreError::Refused(r)) if r.msg.key == "signin.pin.wrong_here" => {
            if let Ok(mut writable) = super::open_store(store.path(), OpenMode::Desk, now, tr) {
                writable
                    .sign_in_for(&c.staff_no, &c.pin, now, Some(command))
                    .map_err(|e| refused(e, tr))?;
            }
            Err(refused(StoreError::Refused(r), tr))
        }
        Err(e) => Err(refused(e, tr)),
    }
}

fn has_staff(store: &Store, tr: &Tr) -> Result<bool, Failure> {
    let staff = store
        .list_staff()
        .map_err(|e| Failure::failed(tr.msg(&e.msg())))?;
    Ok(!staff.is_empty())
}

/// A liaison is refused a master's command before any PIN is checked.
pub fn refuse_unless_allowed(
    store: &Store,
    staff_no: &str,
    need: Need,
    tr: &Tr,
) -> Result<(), Failure> {
    if need == Need::AnyStaff {
        return Ok(());
    }
    let staff = store
        .list_staff()
        .map_err(|e| Failure::failed(tr.msg(&e.msg())))?;
    match staff.iter().find(|s| s.staff_no == staff_no.trim()) {
        Some(s) if s.role != crate::domain::staff::Role::Master => Err(Failure::usage(
            tr.f("cli.staff.refused", &[("why", &tr.t("staff.master_only"))]),
        )),
        // an unknown number is refused by the sign-in, with its message
        _ => Ok(()),
    }
}

/// A refused sign-in as a one-line failure: exit 2 for what the person
/// typed, 1 for a file that will not do.
pub fn refused(e: StoreError, tr: &Tr) -> Failure {
    match e {
        StoreError::Refused(r) => {
            Failure::usage(tr.f("cli.staff.refused", &[("why", &tr.msg(&r.msg))]))
        }
        other => Failure::failed(tr.msg(&other.msg())),
    }
}

/// What a key does to a PIN being typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Typed {
    More,
    Done,
    Cancelled,
}

/// Apply one key to the PIN typed so far (nothing is echoed).
fn pin_key(typed: &mut String, key: KeyEvent) -> Typed {
    if key.kind == KeyEventKind::Release {
        return Typed::More;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Enter => Typed::Done,
        KeyCode::Esc => Typed::Cancelled,
        KeyCode::Char('c' | 'd') if ctrl => Typed::Cancelled,
        KeyCode::Char('u') if ctrl => {
            typed.clear();
            Typed::More
        }
        KeyCode::Backspace => {
            typed.pop();
            Typed::More
        }
        KeyCode::Char(c) if !ctrl => {
            typed.push(c);
            Typed::More
        }
        // arrows, function keys and the like do nothing to a PIN
        _ => Typed::More,
    }
}

/// Leaves raw mode however the prompt ends.
struct RawMode;

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = crossterm::terminal::disable_raw_mode();
    }
}

/// Ask on the terminal (the prompt on stderr, so stdout stays the
/// command's); `echo: false` reads in raw mode and shows nothing typed.
fn ask(prompt: &str, echo: bool, tr: &Tr) -> Result<String, Failure> {
    let io = |e: std::io::Error| Failure::failed(e.to_string());
    let mut err = std::io::stderr();
    let show = |err: &mut std::io::Stderr| {
        write!(err, "{prompt} ")
            .and_then(|_| err.flush())
            .map_err(io)
    };
    if echo {
        show(&mut err)?;
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map_err(io)?;
        return Ok(line.trim().to_string());
    }
    // raw (no echo) before the prompt shows: whatever is typed once it is
    // seen is never echoed by the terminal either
    crossterm::terminal::enable_raw_mode().map_err(io)?;
    let raw = RawMode;
    show(&mut err)?;
    let mut typed = String::new();
    let outcome = loop {
        if let Event::Key(key) = crossterm::event::read().map_err(io)? {
            let t = pin_key(&mut typed, key);
            if t != Typed::More {
                break t;
            }
        }
    };
    drop(raw);
    let _ = writeln!(err);
    match outcome {
        Typed::Cancelled => Err(Failure::usage(tr.t("cli.staff.cancelled"))),
        Typed::Done | Typed::More => Ok(typed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    fn typed(keys: &[KeyEvent]) -> (String, Typed) {
        let mut s = String::new();
        for k in keys {
            let t = pin_key(&mut s, *k);
            if t != Typed::More {
                return (s, t);
            }
        }
        (s, Typed::More)
    }

    #[test]
    fn a_pin_is_typed_corrected_and_ended_with_enter() {
        let none = KeyModifiers::NONE;
        let (pin, t) = typed(&[
            key(KeyCode::Char('4'), none),
            key(KeyCode::Char('9'), none),
            key(KeyCode::Backspace, none),
            key(KeyCode::Char('8'), none),
            key(KeyCode::Left, none),
            key(KeyCode::Char('2'), none),
            key(KeyCode::Char('1'), none),
            key(KeyCode::Enter, none),
        ]);
        assert_eq!((pin.as_str(), t), ("4821", Typed::Done));
        let (pin, _) = typed(&[
            key(KeyCode::Char('9'), none),
            key(KeyCode::Char('u'), KeyModifiers::CONTROL),
            key(KeyCode::Char('1'), none),
        ]);
        assert_eq!(pin, "1");
    }

    #[test]
    fn ctrl_c_esc_and_ctrl_d_cancel() {
        for k in [
            key(KeyCode::Char('c'), KeyModifiers::CONTROL),
            key(KeyCode::Char('d'), KeyModifiers::CONTROL),
            key(KeyCode::Esc, KeyModifiers::NONE),
        ] {
            assert_eq!(
                typed(&[key(KeyCode::Char('4'), KeyModifiers::NONE), k]).1,
                Typed::Cancelled
            );
        }
    }

    #[test]
    fn key_releases_are_not_typed_twice() {
        let mut press = key(KeyCode::Char('4'), KeyModifiers::NONE);
        let mut release = press;
        release.kind = KeyEventKind::Release;
        press.kind = KeyEventKind::Press;
        assert_eq!(typed(&[press, release]).0, "4");
    }
}
