//! The terminal and the tokio loop: read keys, tick the clock, pass db work
//! to the worker thread, draw once per batch of events.

use crate::app::App;
use crate::app::action::{Action, Effect};
use crate::store::Store;
use crate::worker::{self, Done, Job};
use crossterm::event::{Event as TermEvent, EventStream, KeyEventKind};
use futures::StreamExt;
use std::io::Write;
use tokio::sync::mpsc;

enum Event {
    Term(TermEvent),
    Tick,
    Db(Box<Done>),
    Terminate,
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Restore the terminal on every exit path, including a panic in any thread:
/// after a panic the process ends, so no live UI is left on a restored screen.
fn install_panic_exit() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableBracketedPaste);
        previous(info);
        std::process::exit(101);
    }));
}

/// Run the desk until the staff member quits. `store` is open and checked.
pub fn run(store: Store, boot: crate::app::Boot) -> std::io::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(run_loop(store, boot))
}

/// Colours and the screen: crossterm turns on the Windows 10 console's
/// escape sequences (and falls back to its API on older consoles); keys,
/// F-keys included, come from the console's input records there, with a
/// release event after each press, which the loop below drops.
async fn run_loop(store: Store, boot: crate::app::Boot) -> std::io::Result<()> {
    install_panic_exit();
    let mut terminal = ratatui::try_init()?;
    let plan = crate::platform::console_plan(crate::platform::FAMILY);
    let console = crate::platform::prepare_console();
    if plan.bracketed_paste {
        let _ = crossterm::execute!(std::io::stdout(), crossterm::event::EnableBracketedPaste);
    }
    let result = drive(&mut terminal, store, boot).await;
    if plan.bracketed_paste {
        let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableBracketedPaste);
    }
    drop(console);
    ratatui::restore();
    result
}

async fn drive(
    terminal: &mut ratatui::DefaultTerminal,
    store: Store,
    mut boot: crate::app::Boot,
) -> std::io::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Event>();
    let reply_tx = tx.clone();
    let (db_tx, db_thread) = worker::spawn(store, move |r| {
        let _ = reply_tx.send(Event::Db(Box::new(r)));
    });

    // keys and resizes
    let term_tx = tx.clone();
    tokio::spawn(async move {
        let mut events = EventStream::new();
        while let Some(Ok(ev)) = events.next().await {
            if term_tx.send(Event::Term(ev)).is_err() {
                break;
            }
        }
    });
    // the clock
    let tick_tx = tx.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(1));
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            every.tick().await;
            if tick_tx.send(Event::Tick).is_err() {
                break;
            }
        }
    });
    spawn_signal_watchers(tx.clone());

    let size = terminal.size()?;
    boot.size = (size.width, size.height);
    boot.now = now_ms();
    let mut app = App::new(boot);
    let first = app.handle(Action::Tick(now_ms()));
    run_effects(first, &db_tx);
    terminal.draw(|f| crate::ui::render(f, &app))?;

    let mut batch = Vec::with_capacity(64);
    'main: while rx.recv_many(&mut batch, 64).await > 0 {
        let mut changed = false;
        for ev in batch.drain(..) {
            let action = match ev {
                Event::Term(TermEvent::Key(k)) if k.kind != KeyEventKind::Release => Action::Key(k),
                Event::Term(TermEvent::Paste(s)) => Action::Paste(s),
                Event::Term(TermEvent::Resize(w, h)) => Action::Resize(w, h),
                Event::Term(_) => continue,
                Event::Tick => Action::Tick(now_ms()),
                Event::Db(r) => Action::Db(r),
                Event::Terminate => Action::Terminate,
            };
            changed = true;
            let effects = app.handle(action);
            if run_effects(effects, &db_tx) {
                break 'main;
            }
        }
        if changed {
            terminal.draw(|f| crate::ui::render(f, &app))?;
        }
    }
    // let the worker finish what it was given (drafts, the last save)
    drop(db_tx);
    let _ = db_thread.join();
    Ok(())
}

/// Carry out effects; true when the app asked to quit.
fn run_effects(effects: Vec<Effect>, db: &std::sync::mpsc::Sender<Job>) -> bool {
    let mut quit = false;
    for e in effects {
        match e {
            Effect::Db(job) => {
                let _ = db.send(job);
            }
            Effect::Bell => {
                let mut out = std::io::stdout();
                let _ = out.write_all(b"\x07");
                let _ = out.flush();
            }
            Effect::Quit => quit = true,
        }
    }
    quit
}

#[cfg(unix)]
fn spawn_signal_watchers(tx: mpsc::UnboundedSender<Event>) {
    use tokio::signal::unix::{SignalKind, signal};
    for kind in [
        SignalKind::terminate(),
        SignalKind::hangup(),
        SignalKind::interrupt(),
    ] {
        let tx = tx.clone();
        if let Ok(mut s) = signal(kind) {
            tokio::spawn(async move {
                if s.recv().await.is_some() {
                    let _ = tx.send(Event::Terminate);
                }
            });
        }
    }
}

/// Ctrl+C and Ctrl+Break sent by another program (in raw mode the keys
/// themselves are plain key presses) and the console window closed end the
/// desk as a quit does, saving what a quit saves; after a close Windows
/// ends the process when the handler returns, and tokio holds the handler,
/// so the desk has Windows' grace period (some seconds) to finish.
/// Logoff and shutdown are watched too, but Windows sends them only to
/// console programs that do not load user32, and crossterm does (it reads
/// the keyboard layout through it): at a shutdown the desk is simply
/// ended, losing at most the last second of a form being typed (drafts
/// are kept every second; every save is already committed).
#[cfg(windows)]
fn spawn_signal_watchers(tx: mpsc::UnboundedSender<Event>) {
    use tokio::signal::windows;
    macro_rules! watch {
        ($signal:expr) => {
            if let Ok(mut s) = $signal {
                let tx = tx.clone();
                tokio::spawn(async move {
                    if s.recv().await.is_some() {
                        let _ = tx.send(Event::Terminate);
                    }
                });
            }
        };
    }
    watch!(windows::ctrl_c());
    watch!(windows::ctrl_break());
    watch!(windows::ctrl_close());
    watch!(windows::ctrl_logoff());
    watch!(windows::ctrl_shutdown());
}
