//! Forums (DESIGN 4 v2): the same incident is decided in more than one forum, each an
//! alliance file with its own policy set. concord ships `nato` and `eu`; a member's doctrine
//! is the same in every forum it belongs to.

use crate::alliance::Alliance;
use crate::policy::PolicySet;

/// Why a list of forums was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ForumListError {
    #[error("unknown forum '{0}' (valid: {valid})", valid = FORUM_IDS.join(", "))]
    Unknown(String),
    #[error("forum '{0}' is listed twice")]
    Twice(String),
}

/// The ids of the built-in forums, in display order.
pub const FORUM_IDS: [&str; 2] = ["nato", "eu"];

/// One forum: its id, alliance and policy set.
#[derive(Debug, Clone)]
pub struct Forum {
    pub id: String,
    pub alliance: Alliance,
    pub policies: PolicySet,
}

impl Forum {
    /// A built-in forum by id (`nato` or `eu`) with its built-in positions.
    pub fn builtin(id: &str) -> Option<Forum> {
        let alliance = match id {
            "nato" => Alliance::nato(),
            "eu" => Alliance::eu(),
            _ => return None,
        };
        let policies = PolicySet::builtin(&alliance);
        Some(Forum {
            id: id.to_string(),
            alliance,
            policies,
        })
    }

    /// Parse a comma-separated list of forum ids (`nato,eu`), each known, none twice.
    pub fn parse_list(list: &str) -> Result<Vec<String>, ForumListError> {
        let mut out: Vec<String> = Vec::new();
        for id in list.split(',').map(str::trim) {
            if !FORUM_IDS.contains(&id) {
                return Err(ForumListError::Unknown(id.to_string()));
            }
            if out.iter().any(|x| x == id) {
                return Err(ForumListError::Twice(id.to_string()));
            }
            out.push(id.to_string());
        }
        Ok(out)
    }
}
