//! What lies over the panes, and the notices and questions of the desk:
//! help, a yes/no confirmation, the offer to restore drafts
//! (`drafts.rs`), the question before a new database file is made, and
//! search with the card scans (`search.rs`).

mod drafts;
pub mod search;

use super::App;
use super::action::Command;
use super::state::*;

/// Lines PgUp/PgDn move help by: most of a 24-line screen's help window.
const HELP_PAGE: u16 = 15;

impl App {
    /// A command while an overlay other than search is open: it goes to
    /// that overlay (search's are `search_command`'s).
    pub(super) fn overlay_command(&mut self, cmd: Command) {
        let Some(overlay) = self.state.overlay.take() else {
            return;
        };
        // each arm puts the overlay back unless the command closes it
        match overlay {
            Overlay::Help { scroll } => match cmd {
                Command::Up => {
                    self.state.overlay = Some(Overlay::Help {
                        scroll: scroll.saturating_sub(1),
                    })
                }
                Command::Down => {
                    self.state.overlay = Some(Overlay::Help {
                        scroll: scroll.saturating_add(1),
                    })
                }
                Command::PageUp => {
                    self.state.overlay = Some(Overlay::Help {
                        scroll: scroll.saturating_sub(HELP_PAGE),
                    })
                }
                Command::PageDown => {
                    self.state.overlay = Some(Overlay::Help {
                        scroll: scroll.saturating_add(HELP_PAGE),
                    })
                }
                Command::Cancel => {}
                _ => self.state.overlay = Some(Overlay::Help { scroll }),
            },
            Overlay::Confirm(c) => match (cmd, c.on_yes) {
                (Command::Yes, on_yes) => self.confirmed(on_yes),
                // "no" to discarding goes back to the offer, not past it
                (Command::No, ConfirmAction::DropDrafts(drafts)) => {
                    self.state.overlay = Some(Overlay::Drafts(drafts))
                }
                (Command::No, _) => {}
                (_, on_yes) => {
                    self.state.overlay = Some(Overlay::Confirm(Confirm {
                        text: c.text,
                        on_yes,
                    }))
                }
            },
            Overlay::Drafts(drafts) => match cmd {
                Command::RestoreDrafts => self.restore_drafts(&drafts),
                Command::DiscardDrafts => {
                    let text = crate::msg!("drafts.discard_confirm", n = drafts.len());
                    self.state.overlay = Some(Overlay::Confirm(Confirm {
                        text,
                        on_yes: ConfirmAction::DropDrafts(drafts),
                    }))
                }
                _ => self.state.overlay = Some(Overlay::Drafts(drafts)),
            },
            Overlay::NewFile(path) => match cmd {
                // the first-run setup below creates the file when it is saved
                Command::Yes => {}
                Command::No | Command::Quit => self.quit_now(),
                _ => self.state.overlay = Some(Overlay::NewFile(path)),
            },
            // search keys are handled by `search_command`
            o @ Overlay::Search(_) => self.state.overlay = Some(o),
        }
    }

    fn confirmed(&mut self, action: ConfirmAction) {
        match action {
            ConfirmAction::Quit => self.quit_now(),
            ConfirmAction::DiscardForm => self.discard_form(),
            ConfirmAction::DropDrafts(drafts) => self.drop_drafts(drafts),
            ConfirmAction::Pane(msg) => self.deliver(msg),
        }
    }
}
