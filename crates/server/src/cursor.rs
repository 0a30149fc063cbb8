//! TAXII `next` cursors: opaque and unforgeable. A cursor holds the insertion sequence to
//! continue after, masked with a keyed pad and a random nonce (so it reveals neither the
//! position nor, by comparing two cursors, how many objects, readable or hidden, lie
//! between them) and authenticated with a keyed tag (so a client cannot make one up). The
//! key is random: per process by default, or kept in the database (`concord serve` does, with
//! `Store::shared_key`), so every server on one database accepts the others' cursors.
//!
//! Construction: nonce (8 random bytes) || seq XOR SHA-256(key || "pad" || nonce)[..8] ||
//! SHA-256(key || "tag" || nonce || seq)[..8], base64url without padding. The inputs to the
//! hash have a fixed length, so the keyed prefix hash is a sound PRF here.

use base64::Engine;
use sha2::{Digest, Sha256};

fn prf(key: &[u8; 32], label: &[u8], parts: &[&[u8]]) -> [u8; 8] {
    let mut h = Sha256::new();
    h.update(key);
    h.update(label);
    for p in parts {
        h.update(p);
    }
    let d = h.finalize();
    let mut out = [0u8; 8];
    out.copy_from_slice(&d[..8]);
    out
}

/// A cursor for "continue after `seq`".
pub fn seal(key: &[u8; 32], seq: i64) -> String {
    let mut nonce = [0u8; 8];
    nonce.copy_from_slice(&uuid::Uuid::new_v4().as_bytes()[..8]);
    let pad = prf(key, b"pad", &[&nonce]);
    let plain = seq.to_be_bytes();
    let mut masked = [0u8; 8];
    for i in 0..8 {
        masked[i] = plain[i] ^ pad[i];
    }
    let tag = prf(key, b"tag", &[&nonce, &plain]);
    let mut all = Vec::with_capacity(24);
    all.extend_from_slice(&nonce);
    all.extend_from_slice(&masked);
    all.extend_from_slice(&tag);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(all)
}

/// The sequence a cursor stands for, if this server made it.
pub fn open(key: &[u8; 32], cursor: &str) -> Option<i64> {
    if cursor.len() > 64 {
        return None;
    }
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    if raw.len() != 24 {
        return None;
    }
    let (nonce, rest) = raw.split_at(8);
    let (masked, tag) = rest.split_at(8);
    let pad = prf(key, b"pad", &[nonce]);
    let mut plain = [0u8; 8];
    for i in 0..8 {
        plain[i] = masked[i] ^ pad[i];
    }
    let want = prf(key, b"tag", &[nonce, &plain]);
    let same = want.iter().zip(tag).fold(0u8, |a, (x, y)| a | (x ^ y)) == 0;
    same.then(|| i64::from_be_bytes(plain))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_cannot_be_forged() {
        let key = [7u8; 32];
        let c = seal(&key, 42);
        assert_eq!(open(&key, &c), Some(42));
        assert_ne!(seal(&key, 42), c, "a fresh nonce each time");
        assert_eq!(open(&[8u8; 32], &c), None, "another server's key");
        assert_eq!(open(&key, "42"), None);
        let mut bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(&c)
            .unwrap_or_default();
        bytes[9] ^= 1;
        let forged = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        assert_eq!(open(&key, &forged), None);
    }
}
