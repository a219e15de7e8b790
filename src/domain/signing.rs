//! The station's signature on what it sends to headquarters.
//!
//! A day bundle's end hash alone proves only that the file was not cut: anyone
//! who forges a row can recompute it. So the station signs the end hash with an
//! Ed25519 key derived from the station secret (the `<database>.key` file).
//! Headquarters keeps only the public half, registered when the station first
//! syncs, so it can check a bundle but never sign one — and the derived key
//! reveals nothing of the secret that keys the identity-number hashes.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

/// Keeps the signing key apart from every other use of the station secret.
const DERIVE_CONTEXT: &str = "shiguang 2026-12 station signing key v1";

/// What exactly is signed for a day bundle: a fixed prefix and the end hash,
/// so a signature over some other text can never pass as a bundle's.
pub fn bundle_message(end_hash: &str) -> Vec<u8> {
    format!("shiguang-day-bundle\n{end_hash}").into_bytes()
}

/// The station's signing key.
pub struct StationSigner {
    key: SigningKey,
}

impl StationSigner {
    pub fn from_secret(secret: &[u8; 32]) -> StationSigner {
        StationSigner {
            key: SigningKey::from_bytes(&blake3::derive_key(DERIVE_CONTEXT, secret)),
        }
    }

    /// The public key headquarters registers, as 64 hex digits.
    pub fn public_hex(&self) -> String {
        hex(&self.key.verifying_key().to_bytes())
    }

    /// The signature of `message`, as 128 hex digits.
    pub fn sign_hex(&self, message: &[u8]) -> String {
        hex(&self.key.sign(message).to_bytes())
    }
}

/// Why a signature was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureProblem {
    /// The public key is not 64 hex digits of a valid curve point.
    BadKey,
    /// The signature is not 128 hex digits.
    BadSignature,
    /// Well-formed, but not made by this key over this message.
    Mismatch,
}

impl std::fmt::Display for SignatureProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SignatureProblem::BadKey => "the public key is malformed",
            SignatureProblem::BadSignature => "the signature is malformed",
            SignatureProblem::Mismatch => "the signature does not match",
        })
    }
}

/// Check `sig_hex` over `message` against `public_hex` (strict Ed25519: no
/// malleable or small-order forms).
pub fn verify(public_hex: &str, message: &[u8], sig_hex: &str) -> Result<(), SignatureProblem> {
    let key: [u8; 32] = unhex(public_hex).ok_or(SignatureProblem::BadKey)?;
    let key = VerifyingKey::from_bytes(&key).map_err(|_| SignatureProblem::BadKey)?;
    let sig: [u8; 64] = unhex(sig_hex).ok_or(SignatureProblem::BadSignature)?;
    key.verify_strict(message, &Signature::from_bytes(&sig))
        .map_err(|_| SignatureProblem::Mismatch)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex<const N: usize>(s: &str) -> Option<[u8; N]> {
    if s.len() != N * 2 || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; N];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = u8::from_str_radix(&s[i * 2..i * 2 + 2], 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn signer(b: u8) -> StationSigner {
        StationSigner::from_secret(&[b; 32])
    }

    #[test]
    fn signs_and_verifies() {
        let s = signer(7);
        let m = bundle_message("abc");
        let sig = s.sign_hex(&m);
        assert_eq!(s.public_hex().len(), 64);
        assert_eq!(sig.len(), 128);
        assert_eq!(verify(&s.public_hex(), &m, &sig), Ok(()));
    }

    #[test]
    fn another_station_or_message_is_refused() {
        let (a, b) = (signer(1), signer(2));
        let m = bundle_message("abc");
        let sig = a.sign_hex(&m);
        assert_eq!(
            verify(&b.public_hex(), &m, &sig),
            Err(SignatureProblem::Mismatch)
        );
        assert_eq!(
            verify(&a.public_hex(), &bundle_message("abd"), &sig),
            Err(SignatureProblem::Mismatch)
        );
    }

    #[test]
    fn malformed_inputs_are_named() {
        let s = signer(3);
        let m = bundle_message("x");
        let sig = s.sign_hex(&m);
        assert_eq!(verify("zz", &m, &sig), Err(SignatureProblem::BadKey));
        assert_eq!(
            verify(&s.public_hex(), &m, ""),
            Err(SignatureProblem::BadSignature)
        );
        assert_eq!(
            verify(&s.public_hex(), &m, &"é".repeat(64)),
            Err(SignatureProblem::BadSignature)
        );
    }

    #[test]
    fn the_key_is_derived_not_the_secret_itself() {
        let secret = [9u8; 32];
        let s = StationSigner::from_secret(&secret);
        let plain = SigningKey::from_bytes(&secret);
        assert_ne!(s.public_hex(), hex(&plain.verifying_key().to_bytes()));
    }

    proptest! {
        #[test]
        fn any_flipped_hex_digit_of_the_signature_fails(pos in 0usize..128, secret in any::<[u8; 32]>()) {
            let s = StationSigner::from_secret(&secret);
            let m = bundle_message("head");
            let sig = s.sign_hex(&m);
            let mut bytes = sig.into_bytes();
            bytes[pos] = if bytes[pos] == b'0' { b'1' } else { b'0' };
            let flipped = String::from_utf8(bytes).unwrap();
            prop_assert!(verify(&s.public_hex(), &m, &flipped).is_err());
        }
    }
}
