//! Grants as the 360Giving Data Standard (1.4) publishes them: one grant record per grant, with
//! organisation identifiers in org-id form and beneficiary locations as local authority codes,
//! and the standard's CSV column titles for the flat form.
//!
//! safer holds no registered identifiers for organisations (charity or company numbers, or the
//! GB-LAE register's codes), so it gives each organisation an identifier under the publisher's
//! 360Giving prefix, which the standard allows for organisations without a registered one:
//! `360G-wmpcc-org-12`.

use crate::funds::Pence;
use jiff::civil::Date;
use serde::Serialize;

/// A grant as the export needs it, gathered by the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantRecord {
    /// The grant's id in safer.
    pub id: i64,
    /// What it is for.
    pub title: String,
    /// A short description: the bid's aims, or the title.
    pub description: String,
    /// The award plus approved variations.
    pub amount_awarded: Pence,
    /// What the bid asked for, where it came through a round.
    pub amount_applied_for: Option<Pence>,
    /// What has been paid.
    pub amount_disbursed: Pence,
    /// When the award was decided.
    pub award_date: Date,
    /// The planned period.
    pub starts_on: Date,
    /// The planned period's end.
    pub ends_on: Date,
    /// The recipient's id in safer and its name.
    pub recipient: (i64, String),
    /// The funder (the OPCC) id in safer and its name.
    pub funder: (i64, String),
    /// The local authority areas the recipient covers: (ONS code, name).
    pub locations: Vec<(String, String)>,
    /// The fund's id and name.
    pub programme: (i64, String),
    /// Whether it came through an open bidding round.
    pub from_open_call: bool,
    /// Payments made: (payment id, date, amount).
    pub disbursements: Vec<(i64, Date, Pence)>,
}

/// An amount in pounds, as the standard wants it: a number without symbols.
fn pounds(p: Pence) -> f64 {
    // Exact for every amount below 2^53 pence (£90 trillion).
    p.0 as f64 / 100.0
}

/// The org-id of an organisation safer knows, under the publisher's prefix.
pub fn org_id(prefix: &str, id: i64) -> String {
    format!("{prefix}-org-{id}")
}

/// The 360Giving geographic code type of an ONS local authority code: metropolitan district,
/// unitary authority, non-metropolitan district or London borough; `None` for other codes.
pub fn geo_code_type(code: &str) -> Option<&'static str> {
    match code.get(..3)? {
        "E08" => Some("MD"),
        "E06" | "W06" => Some("UA"),
        "E07" => Some("NMD"),
        "E09" => Some("LONB"),
        "E22" => Some("CSP"),
        "W14" => Some("CDRP"),
        "E23" => Some("PFA"),
        _ => None,
    }
}

/// A 360Giving organisation.
#[derive(Debug, Serialize)]
pub struct Organization<'a> {
    id: String,
    name: &'a str,
}

/// A 360Giving location.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location<'a> {
    name: &'a str,
    country_code: &'static str,
    geo_code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    geo_code_type: Option<&'static str>,
}

/// A 360Giving event (a planned period).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    start_date: String,
    end_date: String,
}

/// A 360Giving grant programme.
#[derive(Debug, Serialize)]
pub struct Programme<'a> {
    code: String,
    title: &'a str,
}

/// A 360Giving transaction.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    id: String,
    transaction_date: String,
    value: f64,
    currency: &'static str,
}

/// One grant record of the standard.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Grant<'a> {
    id: String,
    title: std::borrow::Cow<'a, str>,
    description: &'a str,
    currency: &'static str,
    amount_awarded: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    amount_applied_for: Option<f64>,
    amount_disbursed: f64,
    award_date: String,
    planned_dates: [Event; 1],
    recipient_organization: [Organization<'a>; 1],
    funding_organization: [Organization<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    beneficiary_location: Vec<Location<'a>>,
    grant_programme: [Programme<'a>; 1],
    from_open_call: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    disbursement_transaction: Vec<Transaction>,
}

/// Titles are to be under 140 characters.
fn short_title(title: &str) -> std::borrow::Cow<'_, str> {
    if title.chars().count() < 140 {
        std::borrow::Cow::Borrowed(title)
    } else {
        let mut cut: String = title.chars().take(138).collect();
        cut.push('…');
        std::borrow::Cow::Owned(cut)
    }
}

/// The description, or the title where there is none.
fn description(g: &GrantRecord) -> &str {
    if g.description.trim().is_empty() {
        &g.title
    } else {
        &g.description
    }
}

impl<'a> Grant<'a> {
    /// The record for a grant, with identifiers under `prefix` (a registered 360Giving prefix
    /// such as `360G-wmpcc`).
    pub fn of(prefix: &str, g: &'a GrantRecord) -> Grant<'a> {
        Grant {
            id: format!("{prefix}-grant-{}", g.id),
            title: short_title(&g.title),
            description: description(g),
            currency: "GBP",
            amount_awarded: pounds(g.amount_awarded),
            amount_applied_for: g.amount_applied_for.map(pounds),
            amount_disbursed: pounds(g.amount_disbursed),
            award_date: g.award_date.to_string(),
            planned_dates: [Event {
                start_date: g.starts_on.to_string(),
                end_date: g.ends_on.to_string(),
            }],
            recipient_organization: [Organization {
                id: org_id(prefix, g.recipient.0),
                name: &g.recipient.1,
            }],
            funding_organization: [Organization {
                id: org_id(prefix, g.funder.0),
                name: &g.funder.1,
            }],
            beneficiary_location: g
                .locations
                .iter()
                .map(|(code, name)| Location {
                    name,
                    // ISO 3166-1 alpha-2: the United Kingdom.
                    country_code: "GB",
                    geo_code: code,
                    geo_code_type: geo_code_type(code),
                })
                .collect(),
            grant_programme: [Programme {
                code: format!("{prefix}-fund-{}", g.programme.0),
                title: &g.programme.1,
            }],
            from_open_call: if g.from_open_call { "Yes" } else { "No" },
            disbursement_transaction: g
                .disbursements
                .iter()
                .map(|(id, on, amount)| Transaction {
                    id: format!("{prefix}-payment-{id}"),
                    transaction_date: on.to_string(),
                    value: pounds(*amount),
                    currency: "GBP",
                })
                .collect(),
        }
    }
}

/// The whole JSON data package: the grants, then the package's metadata (the standard's
/// version, a title, the day it was issued, the publisher and the licence).
pub fn package_json(
    records: &[GrantRecord],
    prefix: &str,
    publisher: &str,
    issued: Date,
) -> String {
    #[derive(Serialize)]
    struct Publisher<'a> {
        name: &'a str,
        identifier: &'a str,
    }
    /// The grants, each made as it is written rather than all held at once.
    struct Grants<'a>(&'a [GrantRecord], &'a str);
    impl Serialize for Grants<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(self.0.iter().map(|r| Grant::of(self.1, r)))
        }
    }
    #[derive(Serialize)]
    struct Package<'a> {
        grants: Grants<'a>,
        version: &'static str,
        title: String,
        issued: String,
        publisher: Publisher<'a>,
        license: &'static str,
    }
    let package = Package {
        grants: Grants(records, prefix),
        version: "1.4",
        title: format!("Grants published by {publisher}"),
        issued: issued.to_string(),
        publisher: Publisher {
            name: publisher,
            identifier: prefix,
        },
        license: "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    };
    let mut out = Vec::with_capacity(records.len() * 800);
    // Serialising plain structs of strings and finite numbers into memory cannot fail.
    let _ = serde_json::to_writer(&mut out, &package);
    String::from_utf8(out).unwrap_or_default()
}

/// The flat (CSV) form's column titles, as the standard's spreadsheet template names them,
/// with `locations` numbered beneficiary location columns.
pub fn csv_header(locations: usize) -> Vec<String> {
    let mut head: Vec<String> = [
        "Identifier",
        "Title",
        "Description",
        "Currency",
        "Amount Awarded",
        "Amount Applied For",
        "Amount Disbursed",
        "Award Date",
        "Planned Dates:Start Date",
        "Planned Dates:End Date",
        "Recipient Org:Identifier",
        "Recipient Org:Name",
        "Funding Org:Identifier",
        "Funding Org:Name",
        "Grant Programme:Code",
        "Grant Programme:Title",
        "From An Open Call?",
    ]
    .map(str::to_owned)
    .to_vec();
    for i in 0..locations {
        head.push(format!("Beneficiary Location:{i}:Name"));
        head.push(format!("Beneficiary Location:{i}:Geographic Code"));
        head.push(format!("Beneficiary Location:{i}:Geographic Code Type"));
    }
    head
}

/// A grant as a CSV row under [`csv_header`]`(locations)`.
pub fn csv_row(prefix: &str, g: &GrantRecord, locations: usize) -> Vec<String> {
    let amount = |p: Pence| format!("{}.{:02}", p.0 / 100, p.0 % 100);
    let mut row = vec![
        format!("{prefix}-grant-{}", g.id),
        short_title(&g.title).into_owned(),
        description(g).to_owned(),
        "GBP".to_owned(),
        amount(g.amount_awarded),
        g.amount_applied_for.map(amount).unwrap_or_default(),
        amount(g.amount_disbursed),
        g.award_date.to_string(),
        g.starts_on.to_string(),
        g.ends_on.to_string(),
        org_id(prefix, g.recipient.0),
        g.recipient.1.clone(),
        org_id(prefix, g.funder.0),
        g.funder.1.clone(),
        format!("{prefix}-fund-{}", g.programme.0),
        g.programme.1.clone(),
        if g.from_open_call { "Yes" } else { "No" }.to_owned(),
    ];
    for i in 0..locations {
        match g.locations.get(i) {
            Some((code, name)) => {
                row.push(name.clone());
                row.push(code.clone());
                row.push(geo_code_type(code).unwrap_or("").to_owned());
            }
            None => row.extend([String::new(), String::new(), String::new()]),
        }
    }
    row
}

/// Whether a prefix is a 360Giving one: `360G-` and then letters, digits or hyphens.
pub fn valid_prefix(prefix: &str) -> bool {
    prefix.strip_prefix("360G-").is_some_and(|rest| {
        !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn b1() -> GrantRecord {
        GrantRecord {
            id: 7,
            title: "Youth violence".into(),
            description: "A number of discrete interventions against youth violence.".into(),
            amount_awarded: Pence(9_000_000),
            amount_applied_for: Some(Pence(10_000_000)),
            amount_disbursed: Pence(0),
            award_date: date(2013, 11, 12),
            starts_on: date(2013, 11, 12),
            ends_on: date(2014, 3, 31),
            recipient: (4, "Birmingham Community Safety Partnership".into()),
            funder: (
                1,
                "West Midlands Office of the Police and Crime Commissioner".into(),
            ),
            locations: vec![("E08000025".into(), "Birmingham".into())],
            programme: (2, "Invest to Save 2013/14".into()),
            from_open_call: true,
            disbursements: vec![],
        }
    }

    #[test]
    fn seed_002_s_b1_maps_onto_the_standard_s_fields() {
        let record = b1();
        let g = Grant::of("360G-wmpcc", &record);
        assert_eq!(g.id, "360G-wmpcc-grant-7");
        assert_eq!(g.amount_awarded, 90_000.0);
        assert_eq!(g.amount_applied_for, Some(100_000.0));
        assert_eq!(g.recipient_organization[0].id, "360G-wmpcc-org-4");
        assert_eq!(g.beneficiary_location[0].geo_code_type, Some("MD"));
        assert_eq!(g.from_open_call, "Yes");
        let row = csv_row("360G-wmpcc", &b1(), 2);
        assert_eq!(row.len(), csv_header(2).len());
        assert_eq!(row[4], "90000.00");
        assert_eq!(&row[17..20], ["Birmingham", "E08000025", "MD"]);
        assert_eq!(row[20], "");
    }

    #[test]
    fn prefixes_and_titles_follow_the_standard_s_rules() {
        assert!(valid_prefix("360G-wmpcc"));
        assert!(!valid_prefix("360G-"));
        assert!(!valid_prefix("GB-CHC-123"));
        assert!(!valid_prefix("360G-a/b"));
        assert_eq!(short_title(&"x".repeat(200)).chars().count(), 139);
        assert_eq!(geo_code_type("E07000234"), Some("NMD"));
        assert_eq!(geo_code_type("S12000033"), None);
    }
}
