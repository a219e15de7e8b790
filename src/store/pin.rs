//! PIN hashes: argon2id, then the argon2 output hashed again with a key (the
//! pepper) derived from the station key, which lives beside the database and
//! never in it. A copy of the database alone then cannot test a single PIN
//! guess, however fast the guessing machine: without the pepper, no guess
//! can be told right from wrong.
//!
//! Stored form: `pepper1$<hex of the keyed hash>$argon2id$v=19$m=…,t=…,p=…$<salt>`
//! — the argon2 parameters and salt, without argon2's own output.
//!
//! Hashes written before the pepper (plain argon2 PHC strings) are sealed
//! the same way when the database is first opened with its key: the keyed
//! hash of their stored output, which needs no PIN. Until then they are
//! checked as they are.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// The pepper's derivation context: its own, so the pepper is never the raw
/// station key nor the key of anything else derived from it.
const PEPPER_CONTEXT: &str = "shiguang 2026-12 staff PIN pepper v1";
const PREFIX: &str = "pepper1$";

/// The pepper of a station key.
pub fn pepper(station_key: &[u8; 32]) -> [u8; 32] {
    blake3::derive_key(PEPPER_CONTEXT, station_key)
}

/// What checking a PIN against a stored hash found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Match,
    NoMatch,
    /// The hash is peppered and the station key is missing.
    NeedsKey,
}

/// Hash a new PIN with a fresh salt.
pub fn hash(pin: &str, pepper: &[u8; 32]) -> Result<String, String> {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>()).map_err(|e| e.to_string())?;
    let phc = Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map_err(|e| e.to_string())?;
    seal(&phc, pepper).ok_or_else(|| "argon2 gave no output".to_string())
}

fn seal(phc: &PasswordHash<'_>, pepper: &[u8; 32]) -> Option<String> {
    let digest = blake3::keyed_hash(pepper, phc.hash?.as_bytes());
    let mut bare = phc.clone();
    bare.hash = None;
    Some(format!("{PREFIX}{}{bare}", digest.to_hex()))
}

/// Check `pin` against a stored hash (peppered or from before the pepper).
pub fn check(pin: &str, stored: &str, pepper: Option<&[u8; 32]>) -> Check {
    let Some(rest) = stored.strip_prefix(PREFIX) else {
        let legacy = PasswordHash::new(stored).is_ok_and(|h| {
            Argon2::default()
                .verify_password(pin.as_bytes(), &h)
                .is_ok()
        });
        return if legacy { Check::Match } else { Check::NoMatch };
    };
    let Some(pepper) = pepper else {
        return Check::NeedsKey;
    };
    let Some((want, bare)) = rest
        .split_at_checked(64)
        .and_then(|(hex, bare)| Some((blake3::Hash::from_hex(hex).ok()?, bare)))
    else {
        return Check::NoMatch;
    };
    let again = PasswordHash::new(bare).ok().and_then(|b| {
        let params = argon2::Params::try_from(&b).ok()?;
        let phc = Argon2::default()
            .hash_password_customized(
                pin.as_bytes(),
                Some(b.algorithm),
                b.version,
                params,
                b.salt?,
            )
            .ok()?;
        Some(blake3::keyed_hash(pepper, phc.hash?.as_bytes()))
    });
    // blake3::Hash compares in constant time
    if again == Some(want) {
        Check::Match
    } else {
        Check::NoMatch
    }
}

/// The peppered form of a hash from before the pepper; `None` when `stored`
/// is already peppered (or not a hash at all).
pub fn seal_legacy(stored: &str, pepper: &[u8; 32]) -> Option<String> {
    if stored.starts_with(PREFIX) {
        return None;
    }
    seal(&PasswordHash::new(stored).ok()?, pepper)
}

/// Whether a stored hash is peppered.
pub fn is_peppered(stored: &str) -> bool {
    stored.starts_with(PREFIX)
}

/// Seal every staff PIN hash from before the pepper, in one transaction (no
/// audit row: no PIN changes, and a closed day must not stop it).
pub(super) fn seal_legacy_hashes(
    conn: &mut rusqlite::Connection,
    station_key: &[u8; 32],
) -> rusqlite::Result<usize> {
    let legacy: i64 = conn.query_row(
        "SELECT count(*) FROM staff WHERE pin_hash NOT LIKE 'pepper1$%'",
        [],
        |r| r.get(0),
    )?;
    if legacy == 0 {
        return Ok(0);
    }
    let pepper = pepper(station_key);
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let old: Vec<(i64, String)> = {
        let mut stmt =
            tx.prepare("SELECT id, pin_hash FROM staff WHERE pin_hash NOT LIKE 'pepper1$%'")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?
    };
    let mut sealed = 0;
    for (id, stored) in old {
        if let Some(new) = seal_legacy(&stored, &pepper) {
            tx.execute(
                "UPDATE staff SET pin_hash = ?1 WHERE id = ?2",
                rusqlite::params![new, id],
            )?;
            sealed += 1;
        }
    }
    tx.commit()?;
    Ok(sealed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [7; 32];

    fn legacy(pin: &str) -> String {
        let salt = SaltString::encode_b64(&[1u8; 16]).unwrap();
        Argon2::default()
            .hash_password(pin.as_bytes(), &salt)
            .unwrap()
            .to_string()
    }

    #[test]
    fn a_peppered_hash_needs_the_pin_and_the_key() {
        let p = pepper(&KEY);
        let h = hash("4821", &p).unwrap();
        assert!(is_peppered(&h));
        assert_eq!(check("4821", &h, Some(&p)), Check::Match);
        assert_eq!(check("4822", &h, Some(&p)), Check::NoMatch);
        assert_eq!(check("4821", &h, Some(&pepper(&[8; 32]))), Check::NoMatch);
        assert_eq!(check("4821", &h, None), Check::NeedsKey);
        // argon2 alone (what a copy of the file allows) never confirms a guess
        let bare = &h[PREFIX.len() + 64..];
        assert!(PasswordHash::new(bare).unwrap().hash.is_none());
    }

    #[test]
    fn the_pepper_is_not_the_station_key_nor_the_signing_key() {
        assert_ne!(pepper(&KEY), KEY);
        assert_ne!(
            pepper(&KEY),
            blake3::derive_key("shiguang 2026-12 station signing key v1", &KEY)
        );
    }

    #[test]
    fn hashes_from_before_the_pepper_work_before_and_after_sealing() {
        let old = legacy("4821");
        assert_eq!(check("4821", &old, None), Check::Match);
        assert_eq!(check("4822", &old, None), Check::NoMatch);
        let p = pepper(&KEY);
        let sealed = seal_legacy(&old, &p).unwrap();
        assert!(!sealed.contains(&old[old.rfind('$').unwrap() + 1..]));
        assert_eq!(check("4821", &sealed, Some(&p)), Check::Match);
        assert_eq!(check("4822", &sealed, Some(&p)), Check::NoMatch);
        assert_eq!(check("4821", &sealed, None), Check::NeedsKey);
        assert_eq!(seal_legacy(&sealed, &p), None);
    }

    #[test]
    fn damaged_hashes_never_match() {
        let p = pepper(&KEY);
        for bad in ["", "pepper1$", "pepper1$zz", "$argon2id$nonsense", "1234"] {
            assert_eq!(check("4821", bad, Some(&p)), Check::NoMatch, "{bad}");
        }
        let mut h = hash("4821", &p).unwrap();
        // flip the first sealed character to another one, so the damage is
        // real whatever the random salt made it (writing a fixed "0" over it
        // changed nothing one run in 256)
        let at = PREFIX.len()..PREFIX.len() + 1;
        let other = if &h[at.clone()] == "0" { "1" } else { "0" };
        h.replace_range(at, other);
        assert_ne!(check("4821", &h, Some(&p)), Check::Match);
    }
}
