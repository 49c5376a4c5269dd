//! What a member of a manufacturer may do.

/// Ordered: each role may do everything the ones before it may.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Reads the dashboard, reports and statistics.
    Viewer,
    /// Also triages reports and answers customers.
    Editor,
    /// Also manages members, product lines and API tokens.
    Owner,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Editor, Role::Owner];

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_include_the_rights_of_the_roles_below() {
        assert!(Role::Owner.allows(Role::Editor) && Role::Owner.allows(Role::Viewer));
        assert!(Role::Editor.allows(Role::Viewer) && !Role::Editor.allows(Role::Owner));
        assert!(!Role::Viewer.allows(Role::Editor));
        assert_eq!(Role::parse("editor"), Some(Role::Editor));
        assert_eq!(Role::parse("admin"), None);
    }
}
