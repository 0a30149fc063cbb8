//! Exit codes, shared by every subcommand (documented in the README).

/// Everything worked; all input valid / stored.
pub const OK: i32 = 0;
/// Some input is invalid or was rejected (nothing of a rejected bundle is stored).
pub const INVALID: i32 = 1;
/// Some input is unusable: unreadable, too large, not JSON, corrupt gzip, bad UTF-8.
pub const UNUSABLE: i32 = 2;
/// concord itself failed (database, I/O on its own files).
pub const FAILURE: i32 = 3;
