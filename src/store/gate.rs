//! The start-up check, off the first frame: the desk opens at once, the
//! file is checked in the background (`quick_check`, both hash chains), and
//! writes wait at this gate until the check has passed — or are refused if
//! it failed.

use std::sync::{Arc, Condvar, Mutex};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    Running,
    Passed,
    Failed(String),
}

#[derive(Debug)]
pub struct Gate {
    state: Mutex<Check>,
    changed: Condvar,
}

impl Gate {
    pub fn new() -> Arc<Gate> {
        Arc::new(Gate {
            state: Mutex::new(Check::Running),
            changed: Condvar::new(),
        })
    }

    pub fn set(&self, c: Check) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        *s = c;
        self.changed.notify_all();
    }

    /// Wait while the check runs; the reason if it failed.
    pub fn wait(&self) -> Result<(), String> {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while *s == Check::Running {
            s = self.changed.wait(s).unwrap_or_else(|e| e.into_inner());
        }
        match &*s {
            Check::Failed(why) => Err(why.clone()),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writers_wait_for_the_check_and_learn_its_outcome() {
        let g = Gate::new();
        let g2 = g.clone();
        let waiter = std::thread::spawn(move || g2.wait());
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(!waiter.is_finished(), "a writer waits while the check runs");
        g.set(Check::Failed("page 7 is damaged".into()));
        assert_eq!(waiter.join().unwrap(), Err("page 7 is damaged".into()));
        let ok = Gate::new();
        ok.set(Check::Passed);
        assert_eq!(ok.wait(), Ok(()));
    }
}
