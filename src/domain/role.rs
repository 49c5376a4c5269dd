//! What a member of a manufacturer may do: a viewer reads; an editor also triages, replies and keeps
//! production volumes; an owner also manages members, lines and tokens.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Owner,
    Editor,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Owner, Role::Editor, Role::Viewer];

    /// The value stored and sent in forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Editor => "editor",
            Role::Viewer => "viewer",
        }
    }

    /// Accepts exactly what [`Role::as_str`] gives.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Editors and owners change what a team works with (triage, replies, production volumes).
    pub fn may_edit(self) -> bool {
        matches!(self, Role::Owner | Role::Editor)
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
    fn roles_round_trip_and_only_viewers_may_not_edit() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("Owner"), None);
        assert_eq!(Role::parse(""), None);
        assert!(Role::Owner.may_edit() && Role::Editor.may_edit() && !Role::Viewer.may_edit());
    }
}
