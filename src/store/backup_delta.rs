//! The day's changes as a backup: the pages of the database that differ
//! from the newest full copy, compressed, beside that copy. A million
//! transfers make a 1.3 GB file, of which a day changes a few megabytes:
//! thirty full copies were 40 GB, a week of these is a full copy and a
//! few small files.
//!
//! A `shiguang-<day>.delta` file is a line `SHIGUANG-DELTA 1`, a line of
//! JSON ([`Header`]: the full copy it applies to and that copy's hash, the
//! result's size and hash, the station and both chains' heads, so it is a
//! witness without being rebuilt), then a zstd stream of (page number,
//! page) pairs. Rebuilt onto its full copy it is, byte for byte, the copy
//! the backup API made that day; both hashes are checked, so a damaged or
//! mismatched file is refused, never half applied.

use super::witness::Heads;
use crate::msg;
use crate::msg::Msg;
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

pub const EXT: &str = ".delta";
const MAGIC: &str = "SHIGUANG-DELTA 1";
/// zstd's default: a few megabytes of pages in well under a second.
const LEVEL: i32 = 3;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// the full copy's file name, in the same folder
    pub base: String,
    pub base_blake3: String,
    pub page_size: u32,
    pub pages: u64,
    pub changed: u64,
    pub result_blake3: String,
    pub station_uid: String,
    pub heads: Heads,
}

pub fn is_delta(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(EXT))
}

/// The header of a delta file (what a witness needs; nothing is rebuilt).
pub fn read_header(p: &Path) -> Result<Header, String> {
    let mut r = BufReader::new(std::fs::File::open(p).map_err(|e| e.to_string())?);
    header_from(&mut r)
}

fn header_from(r: &mut impl BufRead) -> Result<Header, String> {
    let mut line = String::new();
    r.read_line(&mut line).map_err(|e| e.to_string())?;
    if line.trim_end() != MAGIC {
        return Err("not a shiguang delta backup".into());
    }
    line.clear();
    r.read_line(&mut line).map_err(|e| e.to_string())?;
    serde_json::from_str(line.trim_end()).map_err(|e| format!("header: {e}"))
}

/// The page size in a SQLite file's header (bytes 16–17; 1 means 65536).
fn page_size(file: &Path) -> std::io::Result<u32> {
    let mut h = [0u8; 18];
    std::fs::File::open(file)?.read_exact(&mut h)?;
    Ok(match u16::from_be_bytes([h[16], h[17]]) {
        1 => 65536,
        n => u32::from(n),
    })
}

/// Read up to one page; the number of bytes read (0 at the end).
fn read_page(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Write into `out` the pages of `copy` (a whole, checked copy) that
/// differ from `base`. `None`: the two do not share a page size, and only
/// a full copy will do.
pub(super) fn write(base: &Path, copy: &Path, out: &Path) -> Result<Option<Header>, String> {
    let io = |e: std::io::Error| e.to_string();
    let size = page_size(copy).map_err(io)?;
    if page_size(base).map_err(io)? != size {
        return Ok(None);
    }
    let (station_uid, heads) = {
        let c = rusqlite::Connection::open_with_flags(
            copy,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| e.to_string())?;
        let uid: String = c
            .query_row("SELECT uid FROM station", [], |r| r.get(0))
            .unwrap_or_default();
        (
            uid,
            super::witness::heads_of(&c).map_err(|e| e.to_string())?,
        )
    };
    let mut from = BufReader::with_capacity(1 << 20, std::fs::File::open(base).map_err(io)?);
    let mut to = BufReader::with_capacity(1 << 20, std::fs::File::open(copy).map_err(io)?);
    // the pages first, to a file beside: the header needs their count and
    // both hashes, known only at the end
    let body_path = crate::output::station::with_suffix(out, ".body");
    let body = std::fs::File::create(&body_path).map_err(io)?;
    let result = (|| -> std::io::Result<(u64, u64, blake3::Hash, blake3::Hash)> {
        let mut z = zstd::stream::Encoder::new(BufWriter::new(body), LEVEL)?;
        let (mut a, mut b) = (vec![0u8; size as usize], vec![0u8; size as usize]);
        let (mut ha, mut hb) = (blake3::Hasher::new(), blake3::Hasher::new());
        let (mut pages, mut changed) = (0u64, 0u64);
        loop {
            let nb = read_page(&mut to, &mut b)?;
            let na = read_page(&mut from, &mut a)?;
            ha.update(&a[..na]);
            if nb == 0 {
                // the base may be longer: its hash covers all of it
                std::io::copy(&mut from, &mut HashWriter(&mut ha))?;
                break;
            }
            hb.update(&b[..nb]);
            pages += 1;
            if na != nb || a[..na] != b[..nb] {
                z.write_all(&(pages as u32).to_le_bytes())?;
                z.write_all(&b[..nb])?;
                changed += 1;
            }
        }
        z.finish()?.flush()?;
        Ok((pages, changed, ha.finalize(), hb.finalize()))
    })();
    let (pages, changed, base_hash, result_hash) = match result {
        Ok(r) => r,
        Err(e) => {
            let _ = std::fs::remove_file(&body_path);
            return Err(e.to_string());
        }
    };
    let header = Header {
        base: base
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string(),
        base_blake3: base_hash.to_hex().to_string(),
        page_size: size,
        pages,
        changed,
        result_blake3: result_hash.to_hex().to_string(),
        station_uid,
        heads,
    };
    let placed = (|| -> std::io::Result<()> {
        let mut f = BufWriter::new(std::fs::File::create(out)?);
        writeln!(f, "{MAGIC}")?;
        writeln!(f, "{}", serde_json::to_string(&header)?)?;
        std::io::copy(&mut std::fs::File::open(&body_path)?, &mut f)?;
        f.into_inner().map_err(|e| e.into_error())?.sync_all()
    })();
    let _ = std::fs::remove_file(&body_path);
    placed.map_err(io)?;
    Ok(Some(header))
}

struct HashWriter<'a>(&'a mut blake3::Hasher);

impl Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn hash_file(p: &Path) -> std::io::Result<blake3::Hash> {
    let mut h = blake3::Hasher::new();
    std::io::copy(
        &mut BufReader::with_capacity(1 << 20, std::fs::File::open(p)?),
        &mut HashWriter(&mut h),
    )?;
    Ok(h.finalize())
}

/// The full copy a delta applies to (`None`: not a delta, or unreadable).
pub fn base_of(p: &Path) -> Option<PathBuf> {
    let h = read_header(p).ok()?;
    Some(p.with_file_name(h.base))
}

/// A backup as a database file: a full copy as it is, a delta rebuilt onto
/// its full copy in a temporary file beside it (removed, with its key, when
/// this is dropped).
pub struct Materialized {
    path: PathBuf,
    temp: Option<tempfile::TempPath>,
}

impl Materialized {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Materialized {
    fn drop(&mut self) {
        if let Some(t) = self.temp.take() {
            let _ = std::fs::remove_file(super::secret::key_path(&t));
            for s in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(crate::output::station::with_suffix(&t, s));
            }
            drop(t);
        }
    }
}

/// [`Materialized`] for `p`: why not, as a message naming the file.
pub fn materialize(p: &Path) -> Result<Materialized, Msg> {
    if !is_delta(p) {
        return Ok(Materialized {
            path: p.to_path_buf(),
            temp: None,
        });
    }
    let damaged = |why: String| msg!("backup.delta_damaged", path = p.display(), problem = why);
    let mut r = BufReader::new(std::fs::File::open(p).map_err(|e| damaged(e.to_string()))?);
    let h = header_from(&mut r).map_err(damaged)?;
    let base = p.with_file_name(&h.base);
    if !base.exists() {
        return Err(msg!(
            "backup.delta_no_base",
            path = p.display(),
            base = base.display()
        ));
    }
    let base_hash = hash_file(&base).map_err(|e| damaged(e.to_string()))?;
    if base_hash.to_hex().as_str() != h.base_blake3 {
        return Err(msg!(
            "backup.delta_base_changed",
            path = p.display(),
            base = base.display()
        ));
    }
    let dir = p.parent().unwrap_or(Path::new("."));
    let temp = tempfile::Builder::new()
        .prefix(".shiguang-rebuilt.")
        .suffix(".db.tmp")
        .tempfile_in(dir)
        .map_err(|e| damaged(e.to_string()))?
        .into_temp_path();
    let built = Materialized {
        path: temp.to_path_buf(),
        temp: Some(temp),
    };
    apply(&base, r, &h, built.path()).map_err(damaged)?;
    let got = hash_file(built.path()).map_err(|e| damaged(e.to_string()))?;
    if got.to_hex().as_str() != h.result_blake3 {
        return Err(damaged("the rebuilt copy does not match its hash".into()));
    }
    let key = super::secret::key_path(p);
    if key.exists() {
        std::fs::copy(&key, super::secret::key_path(built.path()))
            .map_err(|e| damaged(e.to_string()))?;
    }
    Ok(built)
}

/// The full copy `base` into `out`, the delta's pages (read from `body`)
/// written over it, cut to the delta's length.
fn apply(base: &Path, body: impl BufRead, h: &Header, out: &Path) -> Result<(), String> {
    let io = |e: std::io::Error| e.to_string();
    std::fs::copy(base, out).map_err(io)?;
    let mut f = std::fs::File::options().write(true).open(out).map_err(io)?;
    let mut z = zstd::stream::Decoder::with_buffer(body).map_err(io)?;
    let size = h.page_size as usize;
    let mut page = vec![0u8; size];
    let mut n = [0u8; 4];
    let mut seen = 0u64;
    loop {
        match read_page(&mut z, &mut n).map_err(io)? {
            0 => break,
            4 => {}
            _ => return Err("cut short".into()),
        }
        let no = u64::from(u32::from_le_bytes(n));
        if no == 0 || no > h.pages || read_page(&mut z, &mut page).map_err(io)? != size {
            return Err("cut short or out of order".into());
        }
        f.seek(SeekFrom::Start((no - 1) * size as u64))
            .map_err(io)?;
        f.write_all(&page).map_err(io)?;
        seen += 1;
    }
    if seen != h.changed {
        return Err(format!("{seen} of {} pages", h.changed));
    }
    f.set_len(h.pages * size as u64).map_err(io)?;
    f.sync_all().map_err(io)
}
