//! `.ci/release` makes one archive per platform with what a station needs:
//! the program, its start script, README.md, docs/ and themes/, in one
//! folder named with the version and the target. Run with stand-in
//! binaries (`--exe`), so the test takes a moment, not a release build.

// The release is made on the Linux build machine (Windows is cross-built
// there): the script is bash.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const WINDOWS: &str = "x86_64-pc-windows-gnu";
const LINUX: &str = "x86_64-unknown-linux-gnu";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn release(target: &str, exe: &Path, out: &Path) -> Output {
    Command::new("bash")
        .arg(repo().join(".ci/release"))
        .args(["--target", target, "--no-dll-check", "--out"])
        .arg(out)
        .arg("--exe")
        .arg(exe)
        .output()
        .unwrap()
}

fn stand_in(dir: &Path, name: &str, magic: &[u8]) -> PathBuf {
    let p = dir.join(name);
    let mut bytes = magic.to_vec();
    bytes.extend_from_slice(b" a stand-in for the program");
    std::fs::write(&p, bytes).unwrap();
    p
}

fn folder(target: &str) -> String {
    format!("shiguang-{}-{target}", env!("CARGO_PKG_VERSION"))
}

/// Every file under `dir` of the repository, as `dir/…` names.
fn repo_files(dir: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![repo().join(dir)];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else {
                let rel = p.strip_prefix(repo()).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    assert!(!out.is_empty(), "{dir} is empty");
    out
}

/// The expected members besides the program and its start script.
fn shared_members() -> Vec<String> {
    let mut v = vec!["README.md".to_string()];
    v.extend(repo_files("docs"));
    v.extend(repo_files("themes"));
    assert!(v.contains(&"docs/install.md".to_string()));
    v
}

fn ok(o: &Output) {
    assert!(
        o.status.success(),
        "release failed: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

fn checksum_holds(out: &Path, archive: &str) {
    let o = Command::new("sha256sum")
        .args(["-c", &format!("{archive}.sha256")])
        .current_dir(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
}

#[test]
fn the_linux_archive_holds_the_program_its_start_script_and_the_guides() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let exe = stand_in(tmp.path(), "shiguang", b"\x7fELF");
    let out = tmp.path().join("dist");
    ok(&release(LINUX, &exe, &out));
    let name = folder(LINUX);
    let archive = format!("{name}.tar.gz");
    checksum_holds(&out, &archive);

    let unpacked = tmp.path().join("unpacked");
    std::fs::create_dir(&unpacked).unwrap();
    let t = Command::new("tar")
        .arg("-xzf")
        .arg(out.join(&archive))
        .arg("-C")
        .arg(&unpacked)
        .status()
        .unwrap();
    assert!(t.success());
    // one folder, named with the version and the target
    let top: Vec<_> = std::fs::read_dir(&unpacked).unwrap().flatten().collect();
    assert_eq!(top.len(), 1);
    assert_eq!(top[0].file_name().to_string_lossy(), name);
    let root = unpacked.join(&name);
    for m in shared_members() {
        let theirs = std::fs::read(root.join(&m)).unwrap_or_else(|_| panic!("{m} missing"));
        assert_eq!(theirs, std::fs::read(repo().join(&m)).unwrap(), "{m}");
    }
    for (m, from) in [
        ("shiguang", exe.clone()),
        ("shiguang.sh", repo().join("packaging/linux/shiguang.sh")),
    ] {
        let p = root.join(m);
        assert_eq!(std::fs::read(&p).unwrap(), std::fs::read(from).unwrap());
        let mode = std::fs::metadata(&p).unwrap().permissions().mode();
        assert_eq!(mode & 0o111, 0o111, "{m} is not executable: {mode:o}");
    }
    assert!(!root.join("shiguang.cmd").exists());
    assert!(!root.join("shiguang.exe").exists());
}

#[test]
fn the_windows_archive_is_a_zip_with_the_exe_and_a_crlf_start_script() {
    let tmp = tempfile::tempdir().unwrap();
    let exe = stand_in(tmp.path(), "shiguang.exe", b"MZ");
    let out = tmp.path().join("dist");
    ok(&release(WINDOWS, &exe, &out));
    let name = folder(WINDOWS);
    let archive = format!("{name}.zip");
    checksum_holds(&out, &archive);

    let entries = zip_entries(&std::fs::read(out.join(&archive)).unwrap());
    let crc_of = |m: &str| {
        entries
            .iter()
            .find(|(n, _)| n == &format!("{name}/{m}"))
            .map(|(_, crc)| *crc)
            .unwrap_or_else(|| panic!("{m} missing from {entries:?}"))
    };
    for m in shared_members() {
        assert_eq!(
            crc_of(&m),
            crc32(&std::fs::read(repo().join(&m)).unwrap()),
            "{m}"
        );
    }
    assert_eq!(crc_of("shiguang.exe"), crc32(&std::fs::read(&exe).unwrap()));
    // cmd.exe reads its scripts with CRLF line ends
    let script = std::fs::read_to_string(repo().join("packaging/windows/shiguang.cmd")).unwrap();
    assert!(
        script.is_ascii(),
        "cmd.exe would read Chinese in the wrong code page"
    );
    let crlf = script.replace("\r\n", "\n").replace('\n', "\r\n");
    assert_eq!(crc_of("shiguang.cmd"), crc32(crlf.as_bytes()));
    assert!(
        entries
            .iter()
            .all(|(n, _)| n.starts_with(&format!("{name}/")))
    );
    assert!(!entries.iter().any(|(n, _)| n.ends_with("shiguang.sh")));
}

#[test]
fn a_program_of_the_wrong_platform_is_not_packed() {
    let tmp = tempfile::tempdir().unwrap();
    let elf = stand_in(tmp.path(), "shiguang", b"\x7fELF");
    let out = tmp.path().join("dist");
    let o = release(WINDOWS, &elf, &out);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("is not a windows program"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!out.exists() || std::fs::read_dir(&out).unwrap().next().is_none());
}

/// (name, CRC-32) of every entry in a zip's central directory.
fn zip_entries(zip: &[u8]) -> Vec<(String, u32)> {
    let u16_at = |i: usize| u16::from_le_bytes([zip[i], zip[i + 1]]) as usize;
    let u32_at = |i: usize| u32::from_le_bytes([zip[i], zip[i + 1], zip[i + 2], zip[i + 3]]);
    let end = (0..zip.len() - 21)
        .rev()
        .find(|&i| zip[i..i + 4] == [0x50, 0x4b, 0x05, 0x06])
        .expect("no end of central directory");
    let count = u16_at(end + 10);
    let mut at = u32_at(end + 16) as usize;
    let mut out = Vec::new();
    for _ in 0..count {
        assert_eq!(zip[at..at + 4], [0x50, 0x4b, 0x01, 0x02], "central entry");
        let crc = u32_at(at + 16);
        let (name_len, extra, comment) = (u16_at(at + 28), u16_at(at + 30), u16_at(at + 32));
        let name = String::from_utf8(zip[at + 46..at + 46 + name_len].to_vec()).unwrap();
        if !name.ends_with('/') {
            out.push((name, crc));
        }
        at += 46 + name_len + extra + comment;
    }
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
