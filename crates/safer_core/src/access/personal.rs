//! Record types marked personal, and what was done with one, for the access log.

/// A kind of record that holds personal data. Every view of one, every list of search results
/// that shows one, and every export that includes one writes an access event, which an auditor
/// can read per record and per person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonalRecord {
    /// The record type, as the audit log names it.
    pub record_type: &'static str,
    /// How one reads in a sentence: "account".
    pub label: &'static str,
    /// Whether a person must say why before they see one.
    pub asks_reason: bool,
}

impl PersonalRecord {
    /// A person's account: their name, e-mail address and roles.
    pub const USER_ACCOUNT: Self = Self {
        record_type: "user",
        label: "account",
        asks_reason: false,
    };

    /// Every kind of record marked personal.
    pub const ALL: [Self; 1] = [Self::USER_ACCOUNT];

    /// The kind named `record_type`, if it is marked personal.
    pub fn named(record_type: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.record_type == record_type)
    }
}

/// What was done with a personal record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessKind {
    /// Opened on its own.
    View,
    /// Shown in a list of results.
    Search,
    /// Included in a download.
    Export,
}

impl AccessKind {
    /// Every kind, in the order they are listed.
    pub const ALL: [Self; 3] = [Self::View, Self::Search, Self::Export];

    /// The action as the audit log records it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::View => "view",
            Self::Search => "search",
            Self::Export => "export",
        }
    }

    /// The kind recorded as `action`, if it is one.
    pub fn parse(action: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == action)
    }

    /// How it reads on a page.
    pub fn label(self) -> &'static str {
        match self {
            Self::View => "Viewed",
            Self::Search => "Listed in results",
            Self::Export => "Exported",
        }
    }
}
