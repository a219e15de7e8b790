//! The one-second tick: notices and half-scanned cards expire, an idle
//! desk locks, drafts are kept, the pane in front follows the clock, the
//! header is read again; and the wall clock going backwards.

use super::App;
use super::panes::Call;
use super::replies::AppMsg;
use super::state::*;
use crate::domain::time::Stamp;
use crate::store::StoreResult;
use crate::worker::desk::{ClockBackwards, ReadDataVersion};

/// How often the header figures are re-read when nothing else asked.
pub(super) const HEADER_EVERY_MS: i64 = 30_000;
/// A tick this much earlier than the last is the clock going back, not
/// the jitter of two timers.
const CLOCK_SLACK_MS: i64 = 2_000;

impl App {
    pub(super) fn on_tick(&mut self, now: Stamp) {
        if now + CLOCK_SLACK_MS < self.state.now {
            self.clock_went_back(self.state.now, now);
        }
        self.state.now = now;
        if self.state.notice.as_ref().is_some_and(|n| n.until <= now) {
            self.state.notice = None;
        }
        if self.state.scan.is_some() {
            self.scan_ticks += 1;
            if self.scan_ticks >= 2 {
                self.state.scan = None;
            }
        }
        let idle_ms = i64::from(self.state.settings.idle_lock_minutes.max(1)) * 60_000;
        let idle = matches!(&self.state.screen, Screen::Desk(d) if d.lock.is_none() && now - d.last_key_at >= idle_ms);
        if idle {
            self.lock_desk();
        }
        self.save_drafts();
        if let Some(p) = self.pane() {
            self.dispatch(p, Call::Tick);
        }
        if self.state.session().is_some() && now - self.last_header_at >= HEADER_EVERY_MS {
            self.refresh_header();
        }
        if self.state.session().is_some() {
            self.ask(ReadDataVersion, AppMsg::DataVersion);
        }
    }

    /// Another desk on the same file wrote since the last tick: what this
    /// desk shows is read again (the header, the member index, the pane in
    /// front), so nobody needs Ctrl-R to see a member registered next door.
    pub(super) fn data_version_read(&mut self, v: StoreResult<i64>) {
        let Ok(v) = v else { return };
        let before = self.data_version.replace(v);
        if before.is_none_or(|b| b == v) {
            return;
        }
        self.refresh_header();
        self.reload_index();
        if let Some(p) = self.pane() {
            self.pane_entered(p);
        }
    }

    /// The wall clock jumped backwards (set by hand, a bad battery, a time
    /// server): say so, log it, and restart every timer measured from "the
    /// last time", so the idle lock and the header still work. Order in the
    /// ledger and the log is by sequence, not by clock, so nothing breaks.
    fn clock_went_back(&mut self, from: Stamp, to: Stamp) {
        self.last_header_at = to - HEADER_EVERY_MS;
        if let Some(d) = self.desk_mut() {
            d.last_key_at = to;
        }
        let tz = self.state.tz();
        let fmt = |t| crate::domain::time::fmt_local(t, tz, "%m-%d %H:%M:%S");
        self.state.now = to;
        self.notify(
            NoticeKind::Error,
            crate::msg!("clock.backwards", from = fmt(from), to = fmt(to)),
        );
        let by = self.state.session().map(|s| s.staff_id);
        self.ask_quietly(ClockBackwards { by, from, to });
    }
}
