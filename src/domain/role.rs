//! What a member of a manufacturer may do: a viewer reads; an editor also triages, replies and keeps
//! production volumes; an owner also manages members, lines and tokens.

use std::fmt;

/// Ordered: each role may do everything the ones before it may.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Reads the dashboard, reports and statistics.
    Viewer,
    /// Also triages reports, answers customers and enters production volumes.
    Editor,
    /// Also manages members, product lines and API tokens.
    Owner,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Editor, Role::Owner];

    /// The value stored and sent in forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Owner => "owner",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    /// Whether this role may do what `needed` may.
    pub fn allows(self, needed: Role) -> bool {
        self >= needed
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_include_the_rights_of_the_roles_below() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("Owner"), None);
        assert_eq!(Role::parse("admin"), None);
        assert!(Role::Owner.allows(Role::Editor) && Role::Owner.allows(Role::Viewer));
        assert!(Role::Editor.allows(Role::Viewer) && !Role::Editor.allows(Role::Owner));
        assert!(!Role::Viewer.allows(Role::Editor));
    }
}
