//! Papers for a meeting's agenda items: sections of text, each of which may carry a live block
//! from elsewhere in safer. While the paper is a draft a block shows today's figures; publishing
//! the paper freezes each block as it then stood, so the published paper never changes.

use crate::forms::{FormErrors, optional_text, required_text};
use serde::Serialize;

/// Content from elsewhere in safer that a paper's section can carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LiveBlock {
    /// A performance measure in an area: its chart, narrative and monthly table.
    Measure {
        /// The measure.
        measure_id: i64,
        /// The area's ONS code.
        area: String,
    },
    /// A plan's milestones, with when each is due and where it stands.
    PlanMilestones {
        /// The plan.
        plan_id: i64,
    },
    /// A fund's allocations: for each round, requested against approved by partnership, and
    /// each grant with what was asked and what was awarded.
    FundAllocations {
        /// The fund.
        fund_id: i64,
    },
}

impl LiveBlock {
    /// How the block is stored: its kind (`none` for no block) and its reference.
    pub fn stored(block: Option<&LiveBlock>) -> (&'static str, String) {
        match block {
            None => ("none", String::new()),
            Some(LiveBlock::Measure { measure_id, area }) => {
                ("measure", format!("{measure_id}:{area}"))
            }
            Some(LiveBlock::PlanMilestones { plan_id }) => ("plan_milestones", plan_id.to_string()),
            Some(LiveBlock::FundAllocations { fund_id }) => {
                ("fund_allocations", fund_id.to_string())
            }
        }
    }

    /// The block stored as `kind` and `reference`: `Ok(None)` for none, `Err` when the stored
    /// text is not one [`LiveBlock::stored`] writes.
    pub fn from_stored(kind: &str, reference: &str) -> Result<Option<LiveBlock>, String> {
        let bad = || format!("a live block stored as {kind:?} {reference:?}");
        match kind {
            "none" => Ok(None),
            "measure" => {
                let (id, area) = reference.split_once(':').ok_or_else(bad)?;
                Ok(Some(LiveBlock::Measure {
                    measure_id: id.parse().map_err(|_| bad())?,
                    area: area.to_owned(),
                }))
            }
            "plan_milestones" => Ok(Some(LiveBlock::PlanMilestones {
                plan_id: reference.parse().map_err(|_| bad())?,
            })),
            "fund_allocations" => Ok(Some(LiveBlock::FundAllocations {
                fund_id: reference.parse().map_err(|_| bad())?,
            })),
            _ => Err(bad()),
        }
    }

    /// What the block shows, in words.
    pub fn label(&self) -> &'static str {
        match self {
            LiveBlock::Measure { .. } => "A performance measure's chart, narrative and table",
            LiveBlock::PlanMilestones { .. } => "A plan's milestones",
            LiveBlock::FundAllocations { .. } => "A fund's allocations: requested against approved",
        }
    }
}

/// A new paper for an agenda item, as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaperForm {
    /// The agenda item's id, from a list of the meeting's items.
    pub item: String,
    /// The paper's title.
    pub title: String,
}

impl PaperForm {
    /// (agenda item id, title), or what to fix.
    pub fn parse(&self) -> Result<(i64, String), FormErrors> {
        let mut errors = FormErrors::default();
        let item = self.item.trim().parse::<i64>().ok();
        if item.is_none() {
            errors.add("paper-item", "Select the agenda item the paper is for");
        }
        let title = required_text(
            &mut errors,
            "paper-title",
            &self.title,
            "Enter the paper's title",
            300,
        );
        errors.into_result((item.unwrap_or_default(), title))
    }
}

/// A section to add to a paper, as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SectionForm {
    /// The section's heading (optional).
    pub heading: String,
    /// The section's text (optional when it carries a block).
    pub body: String,
    /// `none`, `measure`, `plan_milestones` or `fund_allocations`.
    pub block: String,
    /// The measure's id, for a measure block.
    pub measure: String,
    /// The area's code, for a measure block.
    pub area: String,
    /// The plan's id, for a milestones block.
    pub plan: String,
    /// The fund's id, for an allocations block.
    pub fund: String,
}

/// A section as parsed from its form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSection {
    /// Its heading, or empty.
    pub heading: String,
    /// Its text, or empty.
    pub body: String,
    /// Its live block, if any.
    pub block: Option<LiveBlock>,
}

impl SectionForm {
    /// The section, or what to fix. Whether the measure, area or plan exist is for the caller,
    /// which can look.
    pub fn parse(&self) -> Result<NewSection, FormErrors> {
        let mut errors = FormErrors::default();
        let heading = optional_text(&mut errors, "heading", &self.heading, 300);
        let body = optional_text(&mut errors, "body", &self.body, 50_000);
        let id = |errors: &mut FormErrors, field: &str, text: &str, message: &str| {
            let id = text.trim().parse::<i64>().ok();
            if id.is_none() {
                errors.add(field, message);
            }
            id.unwrap_or_default()
        };
        let block = match self.block.as_str() {
            "" | "none" => None,
            "measure" => {
                let measure_id = id(&mut errors, "measure", &self.measure, "Select a measure");
                let area = self.area.trim();
                if area.is_empty() {
                    errors.add("area", "Select the area");
                }
                Some(LiveBlock::Measure {
                    measure_id,
                    area: area.to_owned(),
                })
            }
            "plan_milestones" => Some(LiveBlock::PlanMilestones {
                plan_id: id(&mut errors, "plan", &self.plan, "Select a plan"),
            }),
            "fund_allocations" => Some(LiveBlock::FundAllocations {
                fund_id: id(&mut errors, "fund", &self.fund, "Select a fund"),
            }),
            _ => {
                errors.add("block", "Select what the section shows");
                None
            }
        };
        if errors.is_empty() && body.is_empty() && block.is_none() {
            errors.add("body", "Enter the section's text, or choose a live block");
        }
        errors.into_result(NewSection {
            heading,
            body,
            block,
        })
    }
}

/// A section's text as paragraphs: blank lines separate them.
pub fn paragraphs(text: &str) -> Vec<&str> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_stored_and_read_back() {
        let blocks = [
            None,
            Some(LiveBlock::Measure {
                measure_id: 12,
                area: "E23000001".into(),
            }),
            Some(LiveBlock::PlanMilestones { plan_id: 3 }),
            Some(LiveBlock::FundAllocations { fund_id: 4 }),
        ];
        for block in blocks {
            let (kind, reference) = LiveBlock::stored(block.as_ref());
            assert_eq!(LiveBlock::from_stored(kind, &reference), Ok(block));
        }
        assert!(LiveBlock::from_stored("measure", "12").is_err());
        assert!(LiveBlock::from_stored("measure", "x:E1").is_err());
        assert!(LiveBlock::from_stored("chart", "1").is_err());
    }

    #[test]
    fn a_section_needs_text_or_a_block() {
        let errors = SectionForm::default().parse().unwrap_err();
        assert_eq!(
            errors.get("body"),
            Some("Enter the section's text, or choose a live block")
        );
        let section = SectionForm {
            block: "measure".into(),
            measure: "4".into(),
            area: " E23000001 ".into(),
            ..SectionForm::default()
        }
        .parse()
        .unwrap();
        assert_eq!(
            section.block,
            Some(LiveBlock::Measure {
                measure_id: 4,
                area: "E23000001".into()
            })
        );
        let errors = SectionForm {
            block: "plan_milestones".into(),
            ..SectionForm::default()
        }
        .parse()
        .unwrap_err();
        assert_eq!(errors.get("plan"), Some("Select a plan"));
        // Only the block's own problem is reported, not a missing text as well.
        assert_eq!(errors.get("body"), None);
    }

    #[test]
    fn a_paper_needs_an_item_and_a_title() {
        let errors = PaperForm::default().parse().unwrap_err();
        assert!(errors.get("paper-item").is_some());
        assert_eq!(errors.get("paper-title"), Some("Enter the paper's title"));
        let ok = PaperForm {
            item: "7".into(),
            title: "Police and Crime Plan performance".into(),
        }
        .parse();
        assert_eq!(ok, Ok((7, "Police and Crime Plan performance".to_owned())));
    }

    #[test]
    fn paragraphs_are_split_on_blank_lines() {
        assert_eq!(
            paragraphs("One.\n\n\n  Two,\nstill two.  \n\n"),
            vec!["One.", "Two,\nstill two."]
        );
    }
}
