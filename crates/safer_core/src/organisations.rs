//! Organisations: the policing body (OPCC) for a police force area, Community Safety
//! Partnerships, and the partner organisations that work in them.

use serde::Serialize;

/// What kind of body an organisation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    /// The Office of the Police and Crime Commissioner for a police force area.
    PolicingBody,
    /// A Community Safety Partnership for one or more local authority areas.
    Partnership,
    /// A council, health body, charity or other partner agency.
    Partner,
}

impl OrganisationKind {
    /// The value stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PolicingBody => "policing_body",
            Self::Partnership => "partnership",
            Self::Partner => "partner",
        }
    }

    /// Parses the stored value.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "policing_body" => Some(Self::PolicingBody),
            "partnership" => Some(Self::Partnership),
            "partner" => Some(Self::Partner),
            _ => None,
        }
    }

    /// How the kind reads on a page.
    pub fn label(self) -> &'static str {
        match self {
            Self::PolicingBody => "Policing body",
            Self::Partnership => "Community Safety Partnership",
            Self::Partner => "Partner organisation",
        }
    }
}

/// What the access rules need to know about the organisation that owns a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    /// The organisation's id.
    pub id: i64,
    /// Its kind.
    pub kind: OrganisationKind,
    /// The policing body whose area it is in; for a policing body, itself.
    pub policing_body_id: i64,
}
