//! Peak resident memory for `shiguang bench`: the benchmark's own and the
//! largest of the processes it starts (the whole `verify`), so a child
//! that maps a whole file is seen, not hidden behind the parent's figure.

use std::process::{Command, Output};

/// Peak resident sizes in KiB.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Peak {
    /// this process
    pub own_kib: u64,
    /// the largest child that has ended
    pub child_kib: u64,
}

impl Peak {
    /// The most the run can have held at once: the children ran while the
    /// benchmark held its own memory, so the two add up (an upper bound).
    pub fn whole_kib(&self) -> u64 {
        self.own_kib + self.child_kib
    }
}

/// Run `cmd` to its end, its output captured. The child's peak is kept
/// for [`peak`] (on unix the kernel keeps it for every waited-for child).
pub fn run_child(cmd: &mut Command) -> std::io::Result<Output> {
    #[cfg(windows)]
    {
        windows::run_child(cmd)
    }
    #[cfg(not(windows))]
    {
        cmd.output()
    }
}

/// The peaks so far.
pub fn peak() -> Peak {
    #[cfg(unix)]
    {
        Peak {
            own_kib: unix::maxrss_kib(libc::RUSAGE_SELF),
            child_kib: unix::maxrss_kib(libc::RUSAGE_CHILDREN),
        }
    }
    #[cfg(windows)]
    {
        Peak {
            own_kib: windows::own_peak_kib(),
            child_kib: windows::CHILD_PEAK_KIB.load(std::sync::atomic::Ordering::Relaxed),
        }
    }
    #[cfg(not(any(unix, windows)))]
    {
        Peak::default()
    }
}

#[cfg(unix)]
mod unix {
    /// `ru_maxrss` of `who`, in KiB (macOS counts it in bytes).
    pub fn maxrss_kib(who: libc::c_int) -> u64 {
        // SAFETY: getrusage only writes the struct it is given, which is
        // plain data and whole for any bit pattern
        let mut u: libc::rusage = unsafe { std::mem::zeroed() };
        if unsafe { libc::getrusage(who, &mut u) } != 0 {
            return 0;
        }
        let raw = u.ru_maxrss.max(0) as u64;
        if cfg!(target_os = "macos") {
            raw / 1024
        } else {
            raw
        }
    }
}

#[cfg(windows)]
mod windows {
    use std::os::windows::io::AsRawHandle;
    use std::process::{Command, Output, Stdio};
    use std::sync::atomic::{AtomicU64, Ordering};
    use windows_sys::Win32::Foundation::HANDLE;
    use windows_sys::Win32::System::ProcessStatus::{
        GetProcessMemoryInfo, PROCESS_MEMORY_COUNTERS,
    };
    use windows_sys::Win32::System::Threading::GetCurrentProcess;

    /// Windows keeps no total for children: each child's peak working set
    /// is read from its handle after it ended, before the handle closes.
    pub static CHILD_PEAK_KIB: AtomicU64 = AtomicU64::new(0);

    fn peak_kib(h: HANDLE) -> u64 {
        // SAFETY: the counters are plain data; `cb` says how large they are
        let mut c: PROCESS_MEMORY_COUNTERS = unsafe { std::mem::zeroed() };
        c.cb = std::mem::size_of::<PROCESS_MEMORY_COUNTERS>() as u32;
        if unsafe { GetProcessMemoryInfo(h, &mut c, c.cb) } == 0 {
            return 0;
        }
        c.PeakWorkingSetSize as u64 / 1024
    }

    pub fn own_peak_kib() -> u64 {
        // SAFETY: the pseudo-handle of this process needs no closing
        peak_kib(unsafe { GetCurrentProcess() })
    }

    pub fn run_child(cmd: &mut Command) -> std::io::Result<Output> {
        use std::io::Read;
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let mut stdout = Vec::new();
        let mut stderr = Vec::new();
        // stderr on its own thread: a child filling one pipe while the
        // other is read would wait for ever
        let err = child.stderr.take().map(|mut e| {
            std::thread::spawn(move || {
                let mut v = Vec::new();
                let _ = e.read_to_end(&mut v);
                v
            })
        });
        if let Some(mut o) = child.stdout.take() {
            o.read_to_end(&mut stdout)?;
        }
        if let Some(t) = err {
            stderr = t.join().unwrap_or_default();
        }
        let status = child.wait()?;
        let kib = peak_kib(child.as_raw_handle() as HANDLE);
        CHILD_PEAK_KIB.fetch_max(kib, Ordering::Relaxed);
        Ok(Output {
            status,
            stdout,
            stderr,
        })
    }
}
