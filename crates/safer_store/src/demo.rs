//! Demo data drawn from the seed papers: the West Midlands and West Mercia policing bodies, the
//! seven West Midlands Community Safety Partnerships of the 2013 Invest to Save round, North
//! Worcestershire CSP, the Police and Crime Plan objectives the bids cite, Safer Solihull's four
//! priorities, NWCSP's 2017–20 priorities, the Commission on Gangs and Violence milestones, and
//! one account per role.
//!
//! Everything goes through the same store functions as the application, so the demo's audit log
//! is as complete as a real one.

use crate::audit::Author;
use crate::bids;
use crate::boards::{self, Attendee, NewAgendaItem};
use crate::error::StoreError;
use crate::grants;
use crate::measures::{self, Observation};
use crate::organisations::{self, NewOrganisation};
use crate::{Db, funds, papers, passwords, plans, users};
use jiff::civil::{Date, date};
use safer_core::access::Role;
use safer_core::measures::{Frequency, MeasureDetails, Polarity, Source, Target, Unit};
use safer_core::organisations::OrganisationKind;
use safer_core::plans::{Due, MilestoneDetails, MilestoneStatus, PlanKind, Progress};
use safer_core::police::{CrimeCategory, YearMonth};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "safer-demo-password";

/// A demo account: e-mail address, name, role and the organisation it is held in.
pub struct DemoAccount {
    /// The address to sign in with.
    pub email: &'static str,
    /// The person's name.
    pub name: &'static str,
    /// Their role.
    pub role: Role,
    /// Where they hold it.
    pub organisation: &'static str,
}

const WEST_MIDLANDS: &str = "West Midlands Office of the Police and Crime Commissioner";

/// The organisation the demo is run for, named in the page header.
pub const HOST_ORGANISATION: &str = WEST_MIDLANDS;
const WEST_MERCIA: &str = "West Mercia Office of the Police and Crime Commissioner";
const SOLIHULL: &str = "Safer Solihull Partnership";
const DUDLEY: &str = "Safe and Sound Dudley";
const NWCSP: &str = "North Worcestershire Community Safety Partnership";

/// The demo accounts: one per role, and managers of two more partnerships so that the
/// scoping of partnership records can be seen.
pub const ACCOUNTS: [DemoAccount; 9] = [
    DemoAccount {
        email: "admin@west-midlands.example",
        name: "Alex Admin",
        role: Role::Administrator,
        organisation: WEST_MIDLANDS,
    },
    DemoAccount {
        email: "officer@west-midlands.example",
        name: "Olivia Officer",
        role: Role::OpccOfficer,
        organisation: WEST_MIDLANDS,
    },
    DemoAccount {
        email: "pcc@west-midlands.example",
        name: "David Jamieson",
        role: Role::DecisionMaker,
        organisation: WEST_MIDLANDS,
    },
    DemoAccount {
        email: "auditor@west-midlands.example",
        name: "Ada Auditor",
        role: Role::Auditor,
        organisation: WEST_MIDLANDS,
    },
    DemoAccount {
        email: "manager@solihull.example",
        name: "Priya Manager",
        role: Role::PartnershipManager,
        organisation: SOLIHULL,
    },
    DemoAccount {
        email: "member@solihull.example",
        name: "Sam Member",
        role: Role::PartnershipMember,
        organisation: SOLIHULL,
    },
    DemoAccount {
        email: "board@solihull.example",
        name: "Cllr Bea Board",
        role: Role::BoardMember,
        organisation: SOLIHULL,
    },
    DemoAccount {
        email: "manager@dudley.example",
        name: "Dan Dudley",
        role: Role::PartnershipManager,
        organisation: DUDLEY,
    },
    DemoAccount {
        email: "manager@north-worcestershire.example",
        name: "Nia Worcester",
        role: Role::PartnershipManager,
        organisation: NWCSP,
    },
];

/// The seven West Midlands CSPs of seed 002, with the local authority each covers (ONS code).
const WEST_MIDLANDS_PARTNERSHIPS: [(&str, &str, &str); 7] = [
    (
        "Birmingham Community Safety Partnership",
        "E08000025",
        "Birmingham",
    ),
    ("Coventry Police and Crime Board", "E08000026", "Coventry"),
    (DUDLEY, "E08000027", "Dudley"),
    ("Safer Sandwell Partnership", "E08000028", "Sandwell"),
    (SOLIHULL, "E08000029", "Solihull"),
    ("Safer Walsall Partnership", "E08000030", "Walsall"),
    (
        "Safer Wolverhampton Partnership",
        "E08000031",
        "Wolverhampton",
    ),
];

/// The Police and Crime Plan objectives cited by the bids in seed 002, under their priorities.
const PCC_2013_OBJECTIVES: [(&str, &[&str]); 6] = [
    (
        "Better protecting people from harm",
        &[
            "Reduce the harm caused by gangs and organised crime by continuing to target them and targeted preventative work to prevent young people from joining gangs",
            "Carry out activity to maintain vigilance around child sexual exploitation",
            "Reduce the harm to vulnerable victims caused by domestic abuse",
        ],
    ),
    (
        "Improving the service the public receive from the police",
        &["Develop strategies to reduce repeat victims of crime and anti-social behaviour"],
    ),
    (
        "Delivering better value for money",
        &[
            "Implement 'invest to save' schemes that enable more efficient working practices",
            "Improve productivity of staff and assets",
        ],
    ),
    (
        "Increase public confidence in policing",
        &["Increase confidence in policing"],
    ),
    (
        "Creating stronger partnerships",
        &[
            "Increase engagement with each health and wellbeing board across the seven local authority areas",
        ],
    ),
    (
        "Reduce crime and offending",
        &[
            "Reduce overall crime by 5 per cent",
            "Support local and national projects aimed at understanding which interventions are effective at reducing low level offending",
        ],
    ),
];

/// A milestone from seed 003: title, description, due, status, and a dated progress note.
type SeedMilestone = (
    &'static str,
    &'static str,
    Due,
    MilestoneStatus,
    Option<(Date, &'static str)>,
);

/// A Safer Solihull priority: title, the PCC objectives it supports, a deliverable and its milestones.
type SeedPriority<'a> = (
    &'a str,
    &'a [&'a str],
    &'a str,
    &'a [(&'a str, Due, MilestoneStatus)],
);

fn due(from: Date, to: Date, text: &str) -> Due {
    Due {
        from: Some(from),
        to: Some(to),
        text: text.to_owned(),
    }
}

fn recurring(text: &str) -> Due {
    Due {
        from: None,
        to: None,
        text: text.to_owned(),
    }
}

/// Fills an empty, migrated database with the demo data.
pub async fn load(db: &Db) -> Result<(), StoreError> {
    let author = Author::system("demo data");
    let a = &author;

    // Organisations.
    let wm = organisations::create(
        db,
        a,
        &NewOrganisation {
            kind: OrganisationKind::PolicingBody,
            name: WEST_MIDLANDS,
            policing_body_id: None,
            force_area: Some(("E23000014", "West Midlands")),
        },
    )
    .await?;
    let mercia = organisations::create(
        db,
        a,
        &NewOrganisation {
            kind: OrganisationKind::PolicingBody,
            name: WEST_MERCIA,
            policing_body_id: None,
            force_area: Some(("E23000016", "West Mercia")),
        },
    )
    .await?;
    let police = organisations::create(
        db,
        a,
        &NewOrganisation {
            kind: OrganisationKind::Partner,
            name: "West Midlands Police",
            policing_body_id: Some(wm),
            force_area: None,
        },
    )
    .await?;
    let mut solihull = 0;
    for (name, code, la) in WEST_MIDLANDS_PARTNERSHIPS {
        let id = organisations::create(
            db,
            a,
            &NewOrganisation {
                kind: OrganisationKind::Partnership,
                name,
                policing_body_id: Some(wm),
                force_area: None,
            },
        )
        .await?;
        organisations::add_area(db, a, id, code, la).await?;
        organisations::add_partner(db, a, id, police).await?;
        if name == SOLIHULL {
            solihull = id;
        }
    }
    let council = organisations::create(
        db,
        a,
        &NewOrganisation {
            kind: OrganisationKind::Partner,
            name: "Solihull Metropolitan Borough Council",
            policing_body_id: Some(wm),
            force_area: None,
        },
    )
    .await?;
    organisations::add_partner(db, a, solihull, council).await?;
    let nwcsp = organisations::create(
        db,
        a,
        &NewOrganisation {
            kind: OrganisationKind::Partnership,
            name: NWCSP,
            policing_body_id: Some(mercia),
            force_area: None,
        },
    )
    .await?;
    for (code, la) in [
        ("E07000234", "Bromsgrove"),
        ("E07000236", "Redditch"),
        ("E07000239", "Wyre Forest"),
    ] {
        organisations::add_area(db, a, nwcsp, code, la).await?;
    }

    // The West Midlands Police and Crime Plan objectives that seed 002's bids cite.
    let pcc_2013 = plans::create_plan(
        db,
        a,
        wm,
        PlanKind::PoliceAndCrime,
        "Police and Crime Plan 2013/14",
        date(2013, 4, 1),
        date(2014, 3, 31),
    )
    .await?;
    let mut objective = std::collections::HashMap::new();
    for (priority, objectives) in PCC_2013_OBJECTIVES {
        let p = plans::add_priority(db, a, pcc_2013, priority, "").await?;
        for title in objectives {
            objective.insert(*title, plans::add_objective(db, a, p, title).await?);
        }
    }

    // Seed 003: the 2015/16 plan's deliverable and the Commission on Gangs and Violence milestones.
    let pcc_2015 = plans::create_plan(
        db,
        a,
        wm,
        PlanKind::PoliceAndCrime,
        "Police and Crime Plan 2015/16",
        date(2015, 4, 1),
        date(2016, 3, 31),
    )
    .await?;
    let reducing = plans::add_priority(db, a, pcc_2015, "Reducing crime", "").await?;
    let commission = plans::add_deliverable(db, a, reducing, "Develop a Commission to tackle Gun Crime & Violence in the West Midlands",
        "A community-led multi-agency partnership that will carry out a coordinated series of interventions by the community, in response to the spike in gun-related violence and the community perceptions that run alongside.").await?;
    let milestones: [SeedMilestone; 9] = [
        (
            "Launch of the Commission",
            "Invited guest list to the public launch",
            due(date(2016, 3, 7), date(2016, 3, 13), "Wk beg 7 March 2016"),
            MilestoneStatus::Done,
            Some((
                date(2016, 3, 10),
                "Launched at a public event with the invited guest list.",
            )),
        ),
        (
            "Desk based literature review",
            "Academic to be commissioned to gather evidence on past reports and recommendations, and establish the demographic profile of Birmingham",
            due(date(2016, 3, 1), date(2016, 6, 30), "March–June 2016"),
            MilestoneStatus::Done,
            Some((date(2016, 6, 24), "Review delivered to the Commission.")),
        ),
        (
            "Programme of events to pull together evidence",
            "Meetings, focus groups, roundtables, faith organisations, IAGs, community and residents groups, mothers and families, Birmingham Citizens",
            due(date(2016, 3, 1), date(2016, 7, 31), "March–July 2016"),
            MilestoneStatus::Late,
            Some((
                date(2016, 7, 29),
                "Two community events moved to September at the organisers' request.",
            )),
        ),
        (
            "Three month stocktake and review",
            "Commission to review activity to date and ensure that the plan is on track",
            due(date(2016, 6, 1), date(2016, 6, 30), "June 2016"),
            MilestoneStatus::Done,
            None,
        ),
        (
            "Youth strand of consultation to be commissioned",
            "Targeted youth intervention work: meetings, engagement, video and film activity with an action plan",
            due(
                date(2016, 3, 1),
                date(2016, 7, 31),
                "March 2016, to be completed July 2016",
            ),
            MilestoneStatus::AtRisk,
            None,
        ),
        (
            "Regular updates to councillors and MPs",
            "Monthly updates to councillors, MPs and the Cabinet member with the community safety portfolio",
            recurring("Monthly"),
            MilestoneStatus::OnTrack,
            None,
        ),
        (
            "Event in partnership with Manchester and London",
            "Event in central Birmingham on the activities across the three Mets, similarities, responses and best practice",
            due(date(2016, 6, 1), date(2016, 6, 30), "June 2016"),
            MilestoneStatus::NotStarted,
            None,
        ),
        (
            "Summit to launch the recommendations and action plan",
            "Community-led event to launch the report and action plan",
            due(date(2016, 9, 1), date(2016, 9, 30), "September 2016"),
            MilestoneStatus::OnTrack,
            None,
        ),
        (
            "Commission to monitor progress",
            "The Commission will continue to meet monthly or bi-monthly to monitor progress and implementation",
            recurring("Monthly/bi monthly"),
            MilestoneStatus::NotStarted,
            None,
        ),
    ];
    for (title, description, due, status, update) in milestones {
        let details = MilestoneDetails {
            title: title.into(),
            description: description.into(),
            due,
            status: MilestoneStatus::NotStarted,
        };
        let id = plans::add_milestone(db, a, commission, &details).await?;
        let note = match update {
            Some((_, note)) => note,
            None if status == MilestoneStatus::NotStarted => continue,
            None => "Status reported to the Strategic Policing and Crime Board.",
        };
        let on = update.map(|(on, _)| on).unwrap_or(date(2016, 3, 1));
        plans::record_progress(
            db,
            a,
            id,
            &Progress {
                status,
                note: note.into(),
            },
            on,
        )
        .await?;
    }

    // Seed 000: Safer Solihull's four priorities for 2015/16, linked to the PCC's objectives.
    let solihull_plan = plans::create_plan(
        db,
        a,
        solihull,
        PlanKind::Partnership,
        "Safer Solihull Partnership Plan 2015/16",
        date(2015, 4, 1),
        date(2016, 3, 31),
    )
    .await?;
    let solihull_priorities: [SeedPriority<'_>; 4] = [
        (
            "Better protecting people from harm",
            &[
                "Reduce the harm to vulnerable victims caused by domestic abuse",
                "Carry out activity to maintain vigilance around child sexual exploitation",
            ],
            "Respect programme inputs in schools and colleges in the priority areas",
            &[(
                "Panels with schools in the south of the borough",
                due(date(2015, 9, 1), date(2015, 9, 30), "September 2015"),
                MilestoneStatus::OnTrack,
            )],
        ),
        (
            "Bringing offenders to justice and tackling re-offending",
            &[
                "Support local and national projects aimed at understanding which interventions are effective at reducing low level offending",
            ],
            "Target offenders' use of motor vehicles in the key locations",
            &[(
                "Cross-border offending briefings on CORVUS for every tasking cycle",
                recurring("Monthly"),
                MilestoneStatus::OnTrack,
            )],
        ),
        (
            "Supporting stronger communities",
            &["Increase confidence in policing"],
            "Structured patrol plans in Solihull, Shirley and Chelmsley Wood town centres",
            &[(
                "Patrol plans agreed with the Business Improvement District",
                due(date(2015, 10, 1), date(2015, 10, 31), "October 2015"),
                MilestoneStatus::Done,
            )],
        ),
        (
            "Making our neighbourhoods safer places",
            &[
                "Develop strategies to reduce repeat victims of crime and anti-social behaviour",
                "Reduce overall crime by 5 per cent",
            ],
            "SARA problem-solving plans for the areas of highest demand (Operation SAVVY)",
            &[(
                "Hobbs Moat visibility and intervention plan in place",
                due(date(2015, 8, 1), date(2015, 8, 31), "August 2015"),
                MilestoneStatus::AtRisk,
            )],
        ),
    ];
    for (title, supports, deliverable, milestones) in solihull_priorities {
        let p = plans::add_priority(db, a, solihull_plan, title, "").await?;
        let ids: Vec<i64> = supports
            .iter()
            .filter_map(|t| objective.get(t).copied())
            .collect();
        plans::set_priority_links(db, a, p, &ids).await?;
        let d = plans::add_deliverable(db, a, p, deliverable, "").await?;
        for (title, due, status) in milestones.iter().cloned() {
            plans::add_milestone(
                db,
                a,
                d,
                &MilestoneDetails {
                    title: title.into(),
                    description: String::new(),
                    due,
                    status,
                },
            )
            .await?;
        }
    }

    // Seed 004: the Safer West Mercia Plan's four areas and NWCSP's 2017–20 priorities.
    let mercia_plan = plans::create_plan(
        db,
        a,
        mercia,
        PlanKind::PoliceAndCrime,
        "Safer West Mercia Plan",
        date(2016, 10, 1),
        date(2021, 3, 31),
    )
    .await?;
    let mercia_areas: [(&str, &[&str]); 4] = [
        (
            "Building a more secure West Mercia",
            &[
                "Child sexual exploitation",
                "Domestic abuse",
                "Vulnerable people",
                "Sexual offences",
                "Anti-social behaviour",
                "Drugs and alcohol",
                "Reducing reoffending",
                "Road safety",
            ],
        ),
        (
            "Reassuring West Mercia's communities",
            &[
                "Feeling safe as well as being safe",
                "Engaging with the public",
                "Protecting from cyber-crime",
                "Making voices heard around rural crime",
            ],
        ),
        (
            "Putting victims and witnesses first",
            &["Putting victims and witnesses first"],
        ),
        ("Reforming West Mercia", &["Reforming West Mercia"]),
    ];
    let mut mercia_objective = std::collections::HashMap::new();
    for (title, objectives) in mercia_areas {
        let p = plans::add_priority(db, a, mercia_plan, title, "").await?;
        for o in objectives {
            mercia_objective.insert(*o, plans::add_objective(db, a, p, o).await?);
        }
    }
    let nw_plan = plans::create_plan(
        db,
        a,
        nwcsp,
        PlanKind::Partnership,
        "North Worcestershire Community Safety Partnership Plan 2017–20",
        date(2017, 4, 1),
        date(2020, 3, 31),
    )
    .await?;
    let nw_priorities: [(&str, &str, &[&str]); 5] = [
        (
            "Reducing violence and abuse",
            "Including sexual offending, domestic abuse and child sexual exploitation (CSE)",
            &[
                "Domestic abuse",
                "Sexual offences",
                "Child sexual exploitation",
            ],
        ),
        (
            "Reducing theft and acquisitive crime",
            "Including shoplifting, thefts and burglaries",
            &["Feeling safe as well as being safe"],
        ),
        (
            "Reducing anti-social behaviour, damage and nuisance",
            "Including criminal damage, environmental issues and deliberate fires or arson",
            &["Anti-social behaviour"],
        ),
        (
            "Protecting vulnerable communities",
            "Including reducing harassment and threatening behaviour motivated by hate",
            &["Vulnerable people"],
        ),
        (
            "Reducing offending and reducing the harm caused by drug and alcohol misuse",
            "Cross-cutting themes which impact on all priorities",
            &["Reducing reoffending", "Drugs and alcohol"],
        ),
    ];
    for (title, description, supports) in nw_priorities {
        let p = plans::add_priority(db, a, nw_plan, title, description).await?;
        let ids: Vec<i64> = supports
            .iter()
            .filter_map(|t| mercia_objective.get(t).copied())
            .collect();
        plans::set_priority_links(db, a, p, &ids).await?;
        if title.starts_with("Reducing anti-social") {
            let d = plans::add_deliverable(db, a, p, "CCTV upgrade across Bromsgrove, Redditch and Wyre Forest", "£195,000 of PCC capital funding over three years to modernise the CCTV infrastructure serving the three districts.").await?;
            plans::add_milestone(db, a, d, &MilestoneDetails { title: "Proposal for the capital contribution agreed by the three local authorities".into(), description: String::new(), due: due(date(2018, 3, 1), date(2018, 3, 31), "March 2018"), status: MilestoneStatus::Done }).await?;
        }
    }

    let reduce_crime = objective.get("Reduce overall crime by 5 per cent").copied();
    demo_measures(db, a, wm, reduce_crime).await?;
    demo_board(db, a, wm).await?;
    demo_scrutiny_panel(db, a, council).await?;
    let invest_to_save = demo_funds(db, a, wm).await?;
    demo_round(db, a, invest_to_save, &objective).await?;
    demo_grants(db, a, mercia, nwcsp).await?;
    demo_victims(db, a, wm).await?;

    // One account per role.
    let hash = passwords::hash_blocking(DEMO_PASSWORD.to_owned())
        .await
        .map_err(StoreError::Invalid)?;
    for account in &ACCOUNTS {
        let user = users::create(db, a, account.email, account.name, &hash).await?;
        let org = organisations::find_by_name(db, account.organisation)
            .await?
            .ok_or(StoreError::NotFound)?;
        users::add_membership(db, a, user, org.id, account.role).await?;
    }
    Ok(())
}

/// The measures of seed 003's performance paper, as police.uk and the surveys can give them:
/// total recorded crime with the Police and Crime Plan's "reduce overall crime by 5 per cent"
/// (set against 2018/19, the first financial year the demo's police.uk data covers), the
/// categories the paper reports on, anti-social behaviour, stop and search, and the two
/// survey measures with the values the paper quotes.
async fn demo_measures(
    db: &Db,
    a: &Author,
    owner: i64,
    reduce_crime: Option<i64>,
) -> Result<(), StoreError> {
    let month = |text: &str| {
        YearMonth::parse(text).ok_or_else(|| StoreError::Invalid(format!("bad month {text}")))
    };
    let count = |name: &str, description: &str, categories: Vec<CrimeCategory>| MeasureDetails {
        name: name.to_owned(),
        description: description.to_owned(),
        source: Source::Street { categories },
        unit: Unit::Count,
        polarity: Polarity::LowerIsBetter,
        frequency: Frequency::Monthly,
        target: None,
        objective_id: None,
    };
    let mut all = vec![MeasureDetails {
        target: Some(Target::Change {
            percent: -5.0,
            from: month("2018-04")?,
            to: month("2019-03")?,
        }),
        objective_id: reduce_crime,
        ..count(
            "Total recorded crime",
            "Every crime police.uk publishes (all categories but anti-social behaviour): the paper's TRC.",
            Vec::new(),
        )
    }];
    all[0].source = Source::total_recorded_crime();
    all.extend([
        count(
            "Anti-social behaviour",
            "Incidents of anti-social behaviour reported to the police.",
            vec![CrimeCategory::AntiSocialBehaviour],
        ),
        count(
            "Burglary",
            "Burglary of homes and other buildings.",
            vec![CrimeCategory::Burglary],
        ),
        count(
            "Robbery",
            "Robbery of personal property and of business property.",
            vec![CrimeCategory::Robbery],
        ),
        count(
            "Violence and sexual offences",
            "Violence against the person and sexual offences.",
            vec![CrimeCategory::ViolenceAndSexualOffences],
        ),
        count(
            "Vehicle crime",
            "Theft from and of motor vehicles, and interference with them.",
            vec![CrimeCategory::VehicleCrime],
        ),
        count(
            "Shoplifting",
            "Theft from shops and stalls, the largest part of business crime in seed 003.",
            vec![CrimeCategory::Shoplifting],
        ),
        MeasureDetails {
            polarity: Polarity::Neither,
            source: Source::StopAndSearch,
            ..count(
                "Stop and search",
                "Stops and searches recorded by the force (force areas only: the records carry no LSOA).",
                Vec::new(),
            )
        },
    ]);
    let survey = |name: &str, description: &str, polarity: Polarity| MeasureDetails {
        name: name.to_owned(),
        description: description.to_owned(),
        source: Source::Entered,
        unit: Unit::Percentage,
        polarity,
        frequency: Frequency::Quarterly,
        target: None,
        objective_id: None,
    };
    let confidence = survey(
        "Confidence in local policing",
        "Respondents to the Feeling the Difference survey who have confidence in their local police.",
        Polarity::HigherIsBetter,
    );
    let fear = survey(
        "Fear of becoming a victim of crime",
        "Respondents to the Feeling the Difference survey fearful of becoming a victim of crime.",
        Polarity::LowerIsBetter,
    );
    for details in &all {
        measures::add(db, a, owner, details).await?;
    }
    // Wave 38 of the survey (August 2015), as seed 003 quotes it for the West Midlands.
    for (details, value) in [(confidence, 83.6), (fear, 17.0)] {
        let id = measures::add(db, a, owner, &details).await?;
        let measure = measures::find(db, id).await?.ok_or(StoreError::NotFound)?;
        let wave_38 = Observation {
            area_code: "E23000014".to_owned(),
            period: month("2015-07")?,
            value,
            denominator: None,
        };
        measures::save_observations(db, a, &measure, &[wave_38]).await?;
    }
    Ok(())
}

/// Seed 002's funds for 2013/14: the Home Office Community Safety Fund allocation, passported
/// whole to the seven partnerships, and the £350,000 Invest to Save fund with the £30,000
/// awarded to the joint domestic homicide review research "in September 2013" (the day is not
/// given; the demo uses the first).
async fn demo_funds(db: &Db, a: &Author, opcc: i64) -> Result<i64, StoreError> {
    use safer_core::funds::{FinancialYear, FundDetails, Pence, Spending};
    let year = FinancialYear(2013);
    let community_safety = funds::create_fund(
        db,
        a,
        opcc,
        &FundDetails {
            name: "Community Safety Fund 2013/14".into(),
            source: "Home Office Community Safety Fund".into(),
            first_year: year,
            last_year: year,
            spending: Spending::Revenue,
            budget: Pence(696_900_000),
        },
    )
    .await?;
    funds::commit(
        db,
        a,
        community_safety,
        &funds::NewCommitment {
            description: "Passported to the seven Community Safety Partnerships in the West Midlands",
            recipient_id: None,
            amount: Pence(696_900_000),
            committed_on: date(2013, 4, 1),
        },
    )
    .await?;
    let invest_to_save = funds::create_fund(
        db,
        a,
        opcc,
        &FundDetails {
            name: "Invest to Save 2013/14".into(),
            source: "PCC budget".into(),
            first_year: year,
            last_year: year,
            spending: Spending::Both,
            budget: Pence(35_000_000),
        },
    )
    .await?;
    funds::commit(
        db,
        a,
        invest_to_save,
        &funds::NewCommitment {
            description: "Research into domestic homicide reviews: a joint bid from all seven local authority areas",
            recipient_id: None,
            amount: Pence(3_000_000),
            committed_on: date(2013, 9, 1),
        },
    )
    .await?;
    Ok(invest_to_save)
}

/// A seed 002 bid: partnership, reference, title, aims, background, outputs, outcomes, risks,
/// timeline, exit strategy, the Plan objectives it cites, and its cost lines (description,
/// pounds, capital, the least it could work with).
type SeedBid = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [(&'static str, i64, bool, Option<i64>)],
);

const NOT_STATED: &str = "Not stated in the business case.";
const DOMESTIC_ABUSE: &str = "Reduce the harm to vulnerable victims caused by domestic abuse";
const GANGS: &str = "Reduce the harm caused by gangs and organised crime by continuing to target them and targeted preventative work to prevent young people from joining gangs";
const REPEAT_VICTIMS: &str =
    "Develop strategies to reduce repeat victims of crime and anti-social behaviour";
const CONFIDENCE: &str = "Increase confidence in policing";

/// Seed 002's bids to the Invest to Save budget, £509,260 in all. Two business cases itemise
/// less than they ask for (C2 by £40, SS3 by £140); the balance is a line of its own, so the
/// computed totals match the papers and the slip shows.
const SEED_BIDS: [SeedBid; 13] = [
    (
        "Safer Solihull Partnership",
        "S1",
        "Project to address violent crime",
        "A one year project to support a targeted approach to violent crime in the priority areas of Chelmsley Wood and Smith's Wood, in two parts: Prevent and Protect.",
        "Violent crime accounts for 20.7 per cent of total recorded crime across the Solihull Local Policing Unit. Chelmsley Wood and Smith's Wood have the greatest proportion of offences, and domestic abuse there is five times the Solihull average.",
        "A violent crime caseworker giving short-term support, risk assessment and safety advice to victims of domestic abuse and violent crime living in a priority area. The Voice DVD for young people aged 16 and 17, produced and distributed to schools and colleges.",
        "Fewer repeat victims within the priority areas, measured by police data. An evidence base for substance misuse and domestic abuse commissioning. More young people aware of what controlling behaviour is, measured by questionnaires before and after the programme.",
        NOT_STATED,
        "One year from appointment of the caseworker.",
        "The results of the hypothesis testing will shape future service delivery; the partnership has earmarked £40,000 for MARAC and IDVA services into 2014/15.",
        &[DOMESTIC_ABUSE, REPEAT_VICTIMS],
        &[
            (
                "Prevent: production, manufacture and distribution of the DVD",
                10_000,
                false,
                None,
            ),
            (
                "Protect: violent crime caseworker with support costs, research and analysis",
                40_000,
                false,
                None,
            ),
        ],
    ),
    (
        "Safe and Sound Dudley",
        "D1",
        "Community Payback initiative",
        "Commission the local Community Payback team to deliver a flexible, responsive service in areas the partnership identifies.",
        "Crime in the borough is at an all-time low. The partnership means to sustain that against reduced funding with a one-off, non-recurring grant.",
        "Number of projects per month and year; number of offenders taking part; site clearance, graffiti removal and other tasks completed.",
        "Reduced reoffending; less anti-social behaviour, criminal damage and graffiti; cleaner and greener areas; more public confidence in the criminal justice system; qualitative outcomes from beneficiaries.",
        "An ongoing competitive procurement exercise will decide who delivers Community Payback in future. Funding would be paid in arrears of satisfactory work under a service level agreement with a disputes and termination clause.",
        "Projects identified by the local Police and Crime Board through 2013/14.",
        "Land brought back into use keeps its benefit; the service level agreement ends with the grant.",
        &[CONFIDENCE, REPEAT_VICTIMS],
        &[(
            "Community Payback: administration, supervisors, transport and consumables",
            50_000,
            false,
            None,
        )],
    ),
    (
        "Coventry Police and Crime Board",
        "C1",
        "Improving safeguarding in Coventry",
        "A revised model of multi-agency safeguarding that focuses on early intervention and prevention, active case management and safe and well aftercare, in response to domestic violence and abuse.",
        "Domestic violence and abuse is one of the biggest community safety issues in the city; serious case reviews found agencies need to work together better.",
        "Options for new ways of working, produced by a project manager and agreed by Police, Probation, the local authority and Health.",
        "Less duplication, timely information sharing, joint risk assessment, fewer repeat referrals; measured by an evaluation after implementation.",
        NOT_STATED,
        "Six months from the project manager's appointment; implementation by 1 April 2014.",
        "The new model's services are tendered to start on 30 June 2014.",
        &[DOMESTIC_ABUSE],
        &[
            ("Project manager for six months", 20_000, false, None),
            (
                "Set-up costs of the transitional arrangements",
                10_000,
                false,
                None,
            ),
            ("Evaluation of the new approach", 5_000, false, None),
        ],
    ),
    (
        "Coventry Police and Crime Board",
        "C2",
        "Safer Homes Initiative",
        "Recruit an additional 20 Special Constables to serve alongside neighbourhood policing teams in priority areas.",
        "Coventry City Council underwrites each Special Constable's operating costs up to £2,000 a year; the set-up costs remain.",
        "Twenty Special Constables recruited, trained and equipped by the end of 2013/14.",
        "More policing presence in priority areas, measured by hours served.",
        "Funds are conditional on recruitment by the end of the 2013-14 financial year.",
        "Indicative confirmation of funding in November 2013; recruitment by March 2014.",
        "Coventry City Council meets the operating costs each year.",
        &[CONFIDENCE],
        &[
            (
                "Training at £1,098 per officer for twenty Special Constables",
                21_960,
                false,
                None,
            ),
            (
                "Uniform at £800 per officer for twenty Special Constables",
                16_000,
                true,
                None,
            ),
            (
                "Balance of the £38,000 asked for, not itemised in the business case",
                40,
                false,
                None,
            ),
        ],
    ),
    (
        "Safer Walsall Partnership",
        "W1",
        "Business Crime Initiative",
        "Respond to an increase in business crime and low-level anti-social behaviour in the town centre, an identified priority area.",
        "An application for £25,000 of Proceeds of Crime Act funding for a pilot was unsuccessful; partners remain keen to run one for six to eight months.",
        "A pilot Business Crime Initiative; the Radio Link Scheme continues to serve existing businesses.",
        "Less business crime and anti-social behaviour in the town centre, measured by recorded crime.",
        NOT_STATED,
        "Six to eight months, to the end of March 2014.",
        "The Radio Link Scheme could retain an income of about £15,700; charges will be reviewed.",
        &[],
        &[("Pilot Business Crime Initiative", 25_000, false, None)],
    ),
    (
        "Safer Walsall Partnership",
        "W2",
        "No Cold Calling Zones",
        "Respond to distraction and bogus official burglaries and rogue doorstep sellers with No Cold Calling Zones.",
        "A first zone in Bentley and Darlaston was costed at £2,000.",
        "At least six or seven zones across the borough.",
        "Fewer distraction burglaries in the zones, measured by recorded crime.",
        NOT_STATED,
        "Materials bought in bulk in 2013/14.",
        "Materials bought in bulk serve zones beyond the grant.",
        &[REPEAT_VICTIMS],
        &[(
            "Materials for No Cold Calling Zones, bought in bulk",
            15_000,
            false,
            None,
        )],
    ),
    (
        "Birmingham Community Safety Partnership",
        "B1",
        "Youth violence",
        "A number of discrete interventions against youth violence.",
        "Youth violence is a Birmingham priority; the new anti-social behaviour powers are coming.",
        "A schools co-ordinator and programmes; a Youth Violence Strategy; a trial of re-deployable cameras; a feasibility study of youth workers in A&E; a database of the use made of new ASB powers.",
        "Children able to identify and manage personal risk; less youth violence where the cameras are deployed.",
        NOT_STATED,
        "2013/14.",
        NOT_STATED,
        &[GANGS],
        &[
            (
                "A schools co-ordinator and funding for schools-based programmes",
                30_000,
                false,
                None,
            ),
            (
                "Development of a Youth Violence Strategy",
                10_000,
                false,
                None,
            ),
            (
                "Trial of 4G re-deployable cameras in areas most affected by youth violence",
                35_000,
                true,
                Some(25_000),
            ),
            (
                "Feasibility study of specialist youth workers in A&E departments",
                10_000,
                false,
                None,
            ),
            (
                "A database logging the use made of new ASB powers",
                15_000,
                false,
                None,
            ),
        ],
    ),
    (
        "Birmingham Community Safety Partnership",
        "B2",
        "Domestic abuse",
        "A number of discrete interventions against domestic abuse.",
        "Domestic abuse is a Birmingham priority.",
        "A feasibility study of domestic abuse specialists in A&E; care and support pathways from primary care; target-hardening for victims in the offender management pilot.",
        "Fewer repeat victims of domestic abuse.",
        NOT_STATED,
        "2013/14.",
        NOT_STATED,
        &[DOMESTIC_ABUSE],
        &[
            (
                "Feasibility study of domestic abuse specialists in A&E departments",
                30_000,
                false,
                None,
            ),
            (
                "Care and support pathways from primary care for victims of domestic abuse",
                15_000,
                false,
                None,
            ),
            (
                "Target-hardening for victims in the offender management domestic abuse pilot",
                50_000,
                true,
                Some(30_000),
            ),
        ],
    ),
    (
        "Safer Sandwell Partnership",
        "SS1",
        "Domehawk cameras",
        "Respond to town issues and priorities with eight new mini Domehawk cameras.",
        "Town centres are a Sandwell priority.",
        "Eight cameras deployed with two years' 3G airtime.",
        "Less crime and anti-social behaviour where the cameras are deployed.",
        NOT_STATED,
        "Two years.",
        "The cameras remain the partnership's.",
        &[],
        &[
            (
                "Eight mini Domehawk cameras at £3,500 each",
                28_000,
                true,
                None,
            ),
            (
                "Eight 3G airtime contracts for two years at £360 per camera per year",
                5_760,
                false,
                None,
            ),
        ],
    ),
    (
        "Safer Sandwell Partnership",
        "SS2",
        "Alternative Pathways",
        "Help and support for young people who are potential offenders and gang members of the future.",
        "Partner agencies have identified over 50 of the most vulnerable young people in primary schools.",
        "Support for a cohort of 50 young people at about £400 each: mentoring, counselling, father support.",
        "Fewer young people drawn into crime, anti-social behaviour and gangs.",
        NOT_STATED,
        "2013/14.",
        NOT_STATED,
        &[GANGS],
        &[("Needs-led support for 50 young people", 20_000, false, None)],
    ),
    (
        "Safer Sandwell Partnership",
        "SS3",
        "Polish engagement project",
        "A series of engagement events for the Polish community in West Bromwich.",
        "Language and cultural barriers keep Polish nationals from local services.",
        "Six two-hour sessions with an interpreter.",
        "More Polish residents using local services.",
        NOT_STATED,
        "Within 2013/14.",
        NOT_STATED,
        &[],
        &[
            ("Interpreter for six two-hour sessions", 652, false, None),
            (
                "Contingency for a second interpreter for four sessions",
                208,
                false,
                None,
            ),
            ("Promotional material", 300, false, None),
            (
                "Room hire, unforeseen costs and refreshments",
                200,
                false,
                None,
            ),
            (
                "Balance of the £1,500 asked for, not itemised in the business case",
                140,
                false,
                None,
            ),
        ],
    ),
    (
        "Safer Sandwell Partnership",
        "SS4",
        "Multi Agency Safeguarding Hub",
        "Co-locate safeguarding agencies to identify risks to children and respond effectively.",
        "Safeguarding agencies in Sandwell work apart.",
        "A co-located hub with ICT, office space, training and an IDVA for five months.",
        "Risks to children identified sooner.",
        NOT_STATED,
        "November 2013 to March 2014.",
        NOT_STATED,
        &[DOMESTIC_ABUSE],
        &[
            ("Set-up costs of ICT infrastructure", 20_000, true, None),
            ("Office accommodation set-up", 4_000, true, None),
            ("Marketing and training", 1_500, false, None),
            (
                "An Independent Domestic Violence Advocate, November 2013 to March 2014",
                12_500,
                false,
                None,
            ),
        ],
    ),
    (
        "Safer Sandwell Partnership",
        "SS5",
        "Rights and Equality Sandwell",
        "Develop a user-led reference group so that the partnership connects with local communities.",
        "Data identifies concerns about service provision in some communities.",
        "A user-led reference group and forum.",
        "Better information on how people experience services.",
        NOT_STATED,
        NOT_STATED,
        NOT_STATED,
        &[],
        &[(
            "User-led reference group: mapping, capacity building, forum, evaluation, venues and travel",
            8_000,
            false,
            None,
        )],
    ),
];

/// Seed 002's second tranche of the Invest to Save budget: a round open to the seven CSPs,
/// with the bids submitted and waiting for the Commissioner's decision, as they were when the
/// Board commented on them on 5 November 2013. The papers give no round dates; these close
/// before that meeting.
async fn demo_round(
    db: &Db,
    a: &Author,
    fund: i64,
    objective: &std::collections::HashMap<&str, i64>,
) -> Result<(), StoreError> {
    use safer_core::bids::{BidText, CostLine, RoundDetails};
    use safer_core::funds::{Pence, Spending};
    let mut partnerships = Vec::new();
    for (name, _, _) in WEST_MIDLANDS_PARTNERSHIPS {
        if let Some(o) = organisations::find_by_name(db, name).await? {
            partnerships.push(o.id);
        }
    }
    let objectives: Vec<i64> = [
        "Implement 'invest to save' schemes that enable more efficient working practices",
        "Reduce overall crime by 5 per cent",
    ]
    .iter()
    .filter_map(|t| objective.get(t).copied())
    .collect();
    let round = bids::create_round(
        db,
        a,
        fund,
        &RoundDetails {
            name: "Invest to Save 2013/14: second tranche".into(),
            opens_on: date(2013, 9, 2),
            closes_on: date(2013, 10, 18),
            criteria: vec![
                "Leads to more efficient and effective working practices".into(),
                "Sustains work to reduce crime and disorder after the 12% cut to community safety funding".into(),
                "Is non-recurring, or saves more than it costs".into(),
            ],
            questions: vec![
                "What will the project do, and why is it needed?".into(),
                "What will it cost, line by line, and what is the least it could work with?".into(),
                "What will it deliver, and how will that be measured?".into(),
                "What happens when the money ends?".into(),
            ],
            line_limit: None,
        },
        &partnerships,
        &objectives,
    )
    .await?;
    for (
        partnership,
        reference,
        title,
        aims,
        background,
        outputs,
        outcomes,
        risks,
        timeline,
        exit,
        cited,
        lines,
    ) in SEED_BIDS
    {
        let p = organisations::find_by_name(db, partnership)
            .await?
            .ok_or_else(|| StoreError::Invalid(format!("no partnership {partnership}")))?;
        let text = BidText {
            reference: reference.into(),
            title: title.into(),
            aims: aims.into(),
            background: background.into(),
            outputs: outputs.into(),
            outcomes: outcomes.into(),
            risks: risks.into(),
            timeline: timeline.into(),
            exit_strategy: exit.into(),
        };
        let bid = bids::create_bid(db, a, round, p.id, p.id, &text).await?;
        let cited: Vec<i64> = cited
            .iter()
            .filter_map(|t| objective.get(t).copied())
            .collect();
        bids::update_bid(db, a, bid, 1, &text, &cited, &[]).await?;
        let mut version = 2;
        for (description, pounds, capital, least) in lines {
            let line = CostLine {
                description: (*description).into(),
                amount: Pence(pounds * 100),
                spending: if *capital {
                    Spending::Capital
                } else {
                    Spending::Revenue
                },
                minimum: least.map(|l| Pence(l * 100)),
            };
            bids::add_line(db, a, bid, version, &line).await?;
            version += 1;
        }
        bids::submit_bid(db, a, bid, version, date(2013, 10, 18)).await?;
    }
    Ok(())
}

/// Seed 004's grants from the West Mercia PCC to the North Worcestershire CSP for 2018/19,
/// reported on quarterly. Every return is in except Wyre Forest Keeping Safe's third quarter,
/// which is overdue; Street Pastors' second came in late.
async fn demo_grants(db: &Db, a: &Author, mercia: i64, nwcsp: i64) -> Result<(), StoreError> {
    use safer_core::funds::{FinancialYear, FundDetails, Pence, Spending};
    use safer_core::grants::{GrantDetails, Monitoring, PaymentBasis, ReturnReport, ReturnStatus};
    const PROJECTS: [(&str, i64); 7] = [
        (
            "North Worcs CSP Contribution to the West Mercia Analyst Team",
            20_000,
        ),
        ("Redditch & Bromsgrove Schools Respect Programme", 28_125),
        ("Wyre Forest Keeping Safe Project", 48_125),
        ("North Worcs Street Pastors Schemes", 7_333),
        ("North Worcs Young Citizens Challenge 2019", 1_000),
        ("North Worcs CCTV Scheme Upgrade (CSP Revenue)", 94_000),
        ("North Worcs CCTV Scheme Upgrade (PCC Capital)", 245_000),
    ];
    let total: i64 = PROJECTS.iter().map(|(_, pounds)| pounds * 100).sum();
    let fund = funds::create_fund(
        db,
        a,
        mercia,
        &FundDetails {
            name: "PCC grant to North Worcestershire CSP 2018/19".into(),
            source: "West Mercia PCC budget".into(),
            first_year: FinancialYear(2018),
            last_year: FinancialYear(2018),
            spending: Spending::Both,
            budget: Pence(total),
        },
    )
    .await?;
    for (title, pounds) in PROJECTS {
        let amount = Pence(pounds * 100);
        let grant = grants::create_grant(
            db,
            a,
            fund,
            &GrantDetails {
                title: title.into(),
                recipient_id: nwcsp,
                amount,
                awarded_on: date(2018, 4, 1),
                starts_on: date(2018, 4, 1),
                ends_on: date(2019, 3, 31),
                payment_basis: PaymentBasis::Advance,
                monitoring: Monitoring::Quarterly,
            },
        )
        .await?;
        grants::schedule_payment(db, a, grant, date(2018, 4, 30), amount).await?;
        let payment = grants::payments(db, grant).await?[0].id;
        grants::pay(db, a, grant, payment, date(2018, 4, 30)).await?;
        for (quarter, r) in grants::all_returns(db, grant)
            .await?
            .into_iter()
            .enumerate()
        {
            if title.starts_with("Wyre Forest") && r.period.starts_with("Q3") {
                continue;
            }
            let late = title.starts_with("North Worcs Street") && r.period.starts_with("Q2");
            let on = if late {
                r.due_on
                    .checked_add(jiff::Span::new().days(12))
                    .unwrap_or(r.due_on)
            } else {
                r.due_on
                    .checked_sub(jiff::Span::new().days(5))
                    .unwrap_or(r.due_on)
            };
            let quarters = i64::try_from(quarter + 1).unwrap_or(4);
            let report = ReturnReport {
                spend: vec![(title.to_owned(), Pence(amount.0 * quarters / 4))],
                outputs: "Delivery against the project plan, reported to the PCC for the quarter.".into(),
                narrative: "Progress of the grant funded project, reported quarterly to the PCC as the grant requires.".into(),
                status: ReturnStatus::OnTrack,
            };
            grants::submit_return(db, a, r.id, on, &report).await?;
        }
    }
    Ok(())
}

/// Seed 003: the Victims Fund allocations for 2015/16 and the Restorative Justice projects,
/// each a grant to its provider, reported on once at the year's end. The papers' two totals
/// for Restorative Justice differ by £1,000 (£304,466 in the Victims Fund table, £305,466 in
/// the projects' own): the Victims Fund allocates the first, the projects' fund awards the
/// second, so the fund report shows the slip rather than hiding it.
async fn demo_victims(db: &Db, a: &Author, wm: i64) -> Result<(), StoreError> {
    use safer_core::funds::{FinancialYear, FundDetails, Pence, Spending};
    use safer_core::grants::{GrantDetails, Monitoring, PaymentBasis, ReturnReport, ReturnStatus};
    const VICTIMS: [(&str, &str, i64); 7] = [
        (
            "West Midlands Sexual Violence Services",
            "Increased counselling services, Independent Sexual Violence Advisors and Children's ISVAs and Helpline",
            320_000,
        ),
        (
            "West Midlands Domestic Violence Consortium",
            "Support service for young people, education and awareness raising programme (honour based violence and forced marriage)",
            110_000,
        ),
        (
            "West Midlands Modern Day Slavery Network",
            "A multi agency response and a framework for support services in the West Midlands",
            50_000,
        ),
        (
            "Female Genital Mutilation support service",
            "Support service for victims of female genital mutilation",
            41_876,
        ),
        (
            "Barnardo's",
            "A West Midlands response for children and young people involved in child sexual exploitation",
            83_013,
        ),
        (
            "BRAKE",
            "Helpline for anyone bereaved or seriously injured in a crash, or their carers",
            2_000,
        ),
        (
            "Sandwell Women's Aid",
            "The West Midlands Independent Domestic Violence Advisory Service, for high risk victims and survivors",
            210_000,
        ),
    ];
    const RJ: [(&str, &str, i64); 7] = [
        (
            "HYPE – Helping Young People Engage Coventry",
            "Targeted support for young people in Coventry: early intervention and prevention",
            16_400,
        ),
        (
            "Prison Fellowship/Sycamore Tree",
            "Victim awareness programme in custody at HMP Oakwood and HMYOI Brinsford",
            9_900,
        ),
        (
            "Safer Travel Partnership West Midlands",
            "Low level crime and anti-social behaviour by 10 to 16 year olds on Birmingham's public transport",
            25_000,
        ),
        (
            "CRIB Birmingham",
            "Support to deliver restorative justice conferences at a youth centre for 16 to 25 year olds",
            26_762,
        ),
        (
            "Dery Foundation Birmingham",
            "Drop in surgeries for victims and face to face meetings between offender and victim",
            18_650,
        ),
        (
            "PPP – Passion, Place & Purpose",
            "Workshops and a conference for women, and restorative justice conferences with victims of crime",
            25_000,
        ),
        (
            "Pan Birmingham RJ Team",
            "A collaborative model for restorative justice across Birmingham: Midland Heart, Pioneer Group, Friendship Housing and West Midlands Police",
            183_754,
        ),
    ];
    let year = FinancialYear(2015);
    let fund = |name: &str, source: &str, pounds: i64| FundDetails {
        name: name.into(),
        source: source.into(),
        first_year: year,
        last_year: year,
        spending: Spending::Revenue,
        budget: Pence(pounds * 100),
    };
    let victims = funds::create_fund(
        db,
        a,
        wm,
        &fund(
            "Victims Fund 2015/16",
            "Ministry of Justice victims services grant",
            1_289_105,
        ),
    )
    .await?;
    let rj = funds::create_fund(
        db,
        a,
        wm,
        &fund(
            "Restorative Justice 2015/16",
            "Victims Fund 2015/16",
            305_466,
        ),
    )
    .await?;
    for (description, pounds) in [
        (
            "Victims Fund Round 2: providers of priority services",
            167_750,
        ),
        (
            "Restorative Justice: interventions across the West Midlands",
            304_466,
        ),
    ] {
        funds::commit(
            db,
            a,
            victims,
            &funds::NewCommitment {
                description,
                recipient_id: None,
                amount: Pence(pounds * 100),
                committed_on: date(2015, 4, 1),
            },
        )
        .await?;
    }
    for (fund_id, projects) in [(victims, &VICTIMS), (rj, &RJ)] {
        for (provider, service, pounds) in projects {
            let recipient = organisations::create(
                db,
                a,
                &NewOrganisation {
                    kind: OrganisationKind::Partner,
                    name: provider,
                    policing_body_id: Some(wm),
                    force_area: None,
                },
            )
            .await?;
            let grant = grants::create_grant(
                db,
                a,
                fund_id,
                &GrantDetails {
                    title: (*service).to_owned(),
                    recipient_id: recipient,
                    amount: Pence(pounds * 100),
                    awarded_on: date(2015, 4, 1),
                    starts_on: date(2015, 4, 1),
                    ends_on: date(2016, 3, 31),
                    payment_basis: PaymentBasis::Advance,
                    monitoring: Monitoring::Annual,
                },
            )
            .await?;
            for r in grants::all_returns(db, grant).await? {
                let report = ReturnReport {
                    spend: vec![((*service).to_owned(), Pence(pounds * 100))],
                    outputs: "Reported to the Commissioner at the end of the year.".into(),
                    narrative: "Delivered as funded (seed 003 gives no more detail).".into(),
                    status: ReturnStatus::OnTrack,
                };
                grants::submit_return(db, a, r.id, date(2016, 4, 20), &report).await?;
            }
        }
    }
    Ok(())
}

/// A paper as the demo writes it: presenter, title, description, and (heading, text) sections.
type SeedPaper = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

/// Seed 000: Solihull Council's Crime and Disorder Scrutiny Panel of 22 July 2015, which heard
/// how West Midlands Police and NHS Solihull CCG contribute to the Safer Solihull priorities,
/// public place violence and the night-time economy, and the ASB Act 2014 a year on. The
/// papers are published as the seed has them, in shortened sections. The papers give no time or
/// place; the Council House is where the council's panels meet.
async fn demo_scrutiny_panel(db: &Db, a: &Author, council: i64) -> Result<(), StoreError> {
    use safer_core::boards::{BodyKind, ItemKind, MeetingStatus};
    let panel = boards::create_body(
        db,
        a,
        council,
        BodyKind::ScrutinyPanel,
        "Solihull Crime and Disorder Scrutiny Panel",
        "The council's panel that scrutinises the Safer Solihull Partnership's work on crime and disorder.",
    )
    .await?;
    let meeting = boards::create_meeting(
        db,
        a,
        panel,
        jiff::civil::datetime(2015, 7, 22, 18, 0, 0, 0),
        "Council House, Solihull",
        MeetingStatus::Held,
    )
    .await?;
    // (presenter, title, the paper's own heading, its sections)
    let papers_of_the_day: [SeedPaper; 4] = [
        (
            "West Midlands Police",
            "How West Midlands Police contribute to the Safer Solihull Priorities",
            "Report from West Midlands Police",
            &[
                (
                    "Priority: Better Protecting People from Harm",
                    "This is a key focus for Police Neighbourhoods and the Safer Solihull Partnership. Enhanced delivery has been targeted towards the vulnerable such as the young, the elderly, and those that could become victim of exploitation.\n\nCollaboration Project. Elmdon / Lyndon Neighbourhood at Winchcombe Road Police Station became a pilot site for joint working between Police and Local authority services between March and end of May 2015.",
                ),
                (
                    "Priority: Bringing Offenders to Justice and Tackling Reoffending",
                    "The neighbourhood teams manage all Medium Risk IOM offenders and contribute to the LPU management of Top Targets, targeting the offenders which harm us most by proactively targeting their use of motor vehicles.",
                ),
                (
                    "Priority: Making Neighbourhoods Safer Places",
                    "Identifying specific areas of demand and working to reduce the demand placed on Police and other local services through structured SARA plans is a priority. Operation SAVVY has been implemented together with a greater focus on demand management.",
                ),
                (
                    "Priority: Supporting Stronger Communities",
                    "Business Crime is a volume offence within Solihull Town Centre and reducing this is critical to reducing demand. In all Solihull town centres (Solihull, Shirley, Chelmsley Wood) we have adopted a structured patrol plan.",
                ),
            ],
        ),
        (
            "NHS Solihull Clinical Commissioning Group",
            "NHS Solihull Clinical Commissioning Group: contribution to the Partnership Priorities",
            "Paper for Crime & Disorder Scrutiny Panel to be held on 22nd July 2015",
            &[
                (
                    "1. Purpose",
                    "To appraise the Crime & Disorder Scrutiny Panel of how NHS Solihull Clinical Commissioning Group (SCCG) is contributing to the Partnership Priorities.",
                ),
                (
                    "2. Our contribution",
                    "The Safer Solihull Local Police and Crime Board's four strategic priorities for 2015/16 are: better protecting people from harm; bringing offenders to justice and tackling re-offending; supporting stronger communities; and making our neighbourhoods safer places.\n\nSCCG regards its statutory responsibilities to safeguard children, young people and adults at risk of harm as a major priority for the organisation and for our work with local partners.",
                ),
            ],
        ),
        (
            "West Midlands Police",
            "Public Place Violence (PPV) and the Night Time Economy",
            "Report from West Midlands Police",
            &[
                (
                    "Public Place Violence",
                    "There have been 172 offences year to date which is an increase of 40 offences (30.3%), although rate of increase has fallen in June (+5 offences) and is now decreasing in July.\n\nSt Alphege ward accounts for approximately 20% of recorded PPV with its night time economy being a significant contributor to this. Night time economy offences have not increased.",
                ),
                (
                    "The night time economy",
                    "Night time economy plans are comprehensive and constantly evolving. This year has seen the introduction of night time briefings led by police involving participation of door staff, taxi marshals, police and CCTV.",
                ),
            ],
        ),
        (
            "West Midlands Police",
            "ASB Act 2014 one year on",
            "Report from West Midlands Police",
            &[
                (
                    "Community Remedy",
                    "Community Remedy commenced in January 2015. So far approximately 35 offenders have been referred through its options (restorative justice, a victim awareness course and community reparation).",
                ),
                (
                    "CBO",
                    "The transition from CRASBO to CBO has been smooth; there are now seven CBOs pending in the courts for a range of offences.",
                ),
                (
                    "Dispersal Notices",
                    "In Solihull we have had 8 dispersal authorisations in the north and south of the Borough from December 2014 to June 2015.",
                ),
                (
                    "Community Trigger",
                    "Since the 20th October 2014 Solihull has received 8 trigger requests. 4 met the trigger threshold and actions were put in place. 3 did not meet the trigger threshold and advice was given and the 8th is still being progressed through the procedure.",
                ),
            ],
        ),
    ];
    for (presenter, title, summary, sections) in papers_of_the_day {
        let item = boards::add_agenda_item(
            db,
            a,
            meeting,
            &NewAgendaItem {
                section: "",
                starts_at: "",
                title,
                description: summary,
                presenter,
                kind: ItemKind::WrittenReport,
                exemption: None,
            },
        )
        .await?;
        let paper = papers::create_paper(db, a, item, title).await?;
        for (heading, body) in sections {
            papers::add_section(db, a, paper, heading, body, None).await?;
        }
        papers::publish_paper(db, a, paper, &[]).await?;
    }
    boards::publish_agenda(db, a, meeting).await?;
    Ok(())
}

/// Two of March's papers: the work plan and actions, published (text only, as the seed has it),
/// and a draft on violence against women and girls whose live blocks show a plan's milestones
/// and a measure's chart with today's figures until it is published.
async fn demo_papers(db: &Db, a: &Author, march: i64) -> Result<(), StoreError> {
    use safer_core::papers::LiveBlock;
    let meeting = boards::meeting(db, march)
        .await?
        .ok_or(StoreError::NotFound)?;
    let agenda = boards::agenda(db, &meeting, boards::Audience::Secretariat).await?;
    let item = |title: &str| {
        agenda
            .iter()
            .find(|i| i.title.starts_with(title))
            .map(|i| i.id)
            .ok_or(StoreError::NotFound)
    };
    let work_plan =
        papers::create_paper(db, a, item("SPCB Workplan")?, "SPCB Workplan and Actions").await?;
    for (heading, body) in [
        (
            "Purpose",
            "To set out the Board's work plan for 2022 and the actions and future lines of inquiry it has agreed, for noting.",
        ),
        (
            "Actions",
            "There are six actions which remain outstanding. They are carried forward until complete and reported at every meeting.\n\nThe actions are listed with the notes of the last meeting.",
        ),
    ] {
        papers::add_section(db, a, work_plan, heading, body, None).await?;
    }
    papers::publish_paper(db, a, work_plan, &[]).await?;

    let vawg = papers::create_paper(
        db,
        a,
        item("Preventing and Reducing Crime")?,
        "Violence Against Women and Girls: delivery and performance",
    )
    .await?;
    papers::add_section(
        db,
        a,
        vawg,
        "Purpose",
        "To update the Board on the force's work to prevent and reduce violence against women and girls, and on the figures behind it.",
        None,
    )
    .await?;
    let plan = plans::list(db, &Default::default())
        .await?
        .into_iter()
        .find(|p| p.title == "Police and Crime Plan 2015/16");
    if let Some(plan) = plan {
        let block = LiveBlock::PlanMilestones { plan_id: plan.id };
        papers::add_section(
            db,
            a,
            vawg,
            "Delivery against the Police and Crime Plan",
            "",
            Some(&block),
        )
        .await?;
    }
    let measure = measures::list(db)
        .await?
        .into_iter()
        .find(|m| m.details.name == "Violence and sexual offences");
    if let Some(measure) = measure {
        let block = LiveBlock::Measure {
            measure_id: measure.id,
            area: "E23000034".to_owned(),
        };
        papers::add_section(
            db,
            a,
            vawg,
            "Violence and sexual offences",
            "The demo holds police.uk data for the City of London, so the chart shows its force area.",
            Some(&block),
        )
        .await?;
    }
    Ok(())
}

/// Seed 001: the Strategic Policing and Crime Board's notes of 22 February 2022 (items 012/22 to
/// 023/22, with its attendees and apologies) and its agenda of 22 March 2022, after the January
/// meeting whose eleven items took 001/22 to 011/22. Actions are raised in January and
/// February and carried to March, one closed there.
async fn demo_board(db: &Db, a: &Author, owner: i64) -> Result<(), StoreError> {
    use safer_core::boards::{ActionStatus, Attendance, BodyKind, ItemKind, MeetingStatus};
    let body = boards::create_body(
        db,
        a,
        owner,
        BodyKind::Board,
        "Strategic Policing and Crime Board",
        "The Police and Crime Commissioner holds the Chief Constable to account in public, monthly.",
    )
    .await?;
    // The members the February notes name; their terms are not in the papers.
    let members: Vec<boards::Member> = [
        ("Simon Foster", "Police and Crime Commissioner"),
        ("Bhupinder Gakhal", "Board Member"),
        ("Charmaine Burton", "Board Member"),
        ("Cath Hannon", "Board Member"),
    ]
    .into_iter()
    .map(|(name, role)| boards::Member {
        name: name.to_owned(),
        role: role.to_owned(),
        term_from: None,
        term_to: None,
    })
    .collect();
    boards::set_members(db, a, body, &members).await?;
    let place = "Main Conference Room (G2), Lloyd House, Birmingham";
    let at = |y, m, d| jiff::civil::datetime(y, m, d, 10, 0, 0, 0);
    let january =
        boards::create_meeting(db, a, body, at(2022, 1, 25), place, MeetingStatus::Held).await?;
    let february =
        boards::create_meeting(db, a, body, at(2022, 2, 22), place, MeetingStatus::Held).await?;
    let march = boards::create_meeting(
        db,
        a,
        body,
        at(2022, 3, 22),
        place,
        MeetingStatus::Confirmed,
    )
    .await?;
    boards::create_meeting(
        db,
        a,
        body,
        at(2022, 4, 26),
        place,
        MeetingStatus::Scheduled,
    )
    .await?;
    for m in [january, february] {
        boards::publish_agenda(db, a, m).await?;
        boards::approve_notes(db, a, m).await?;
    }

    // February's attendance and notes.
    let present = |name: &str, role: &str| Attendee {
        name: name.to_owned(),
        role: role.to_owned(),
        attendance: Attendance::Present,
    };
    let mut attendees: Vec<Attendee> = [
        ("Simon Foster", "Police and Crime Commissioner"),
        ("Alethea Fuller", "Deputy Chief Executive"),
        ("Arron Owen", "Cranstoun"),
        ("Bhupinder Gakhal", "Board Member"),
        ("Charmaine Burton", "Board Member"),
        ("David Thompson", "Chief Constable"),
        ("Emma Lister", "Staff Officer"),
        (
            "Helen Davies",
            "Birmingham and Solihull Family Drug and Alcohol Court",
        ),
        ("Jack Tracey", "Policy Officer"),
        ("Jayne Meir", "Assistant Chief Constable"),
        ("Joy Doal", "Anawim"),
        ("Mark Kenyon", "Chief Finance Officer"),
        ("Natalie Wilks", "Jonah's Project CIC"),
        ("Nicky Brennan", "Victims Commissioner"),
        ("Richard Costello", "Head of Communications"),
        ("Tom McNeil", "Assistant Police and Crime Commissioner"),
        ("Vanessa Jardine", "Deputy Chief Constable"),
    ]
    .into_iter()
    .map(|(n, r)| present(n, r))
    .collect();
    for (name, role) in [
        ("Wasim Ali", "Assistant Police and Crime Commissioner"),
        ("Cath Hannon", "Board Member"),
        ("Jonathan Jardine", "Chief Executive"),
    ] {
        attendees.push(Attendee {
            attendance: Attendance::Apologies,
            ..present(name, role)
        });
    }
    boards::set_attendance(db, a, february, &attendees).await?;
    // January's notes are not in the seed papers: one item stands for them, and the numbering
    // continues at 012/22 as the February notes have it.
    let january_item =
        boards::add_minute_item(db, a, january, "Item 6: Performance Report", "").await?;
    boards::continue_numbering(db, a, body, 2022, 12).await?;
    let mut items = Vec::new();
    for (title, notes) in [
        (
            "Item 1: PCC Update",
            "The PCC congratulated the Chief Constable on his knighthood, set out the response to the inspection after the murder of Arthur Labinjo-Hughes, and reported the Police and Crime Panel's support for the budget.",
        ),
        (
            "Item 2: Notes of the Last Meeting: 25th January 2022",
            "The notes were accepted as a correct record of the meeting.",
        ),
        (
            "Item 3: Questions from Members of the Public",
            "Questions on Neighbourhood Watch (submitted by Reg Banks) and on electric vehicles in the fleet and the Police Vehicle Procurement Framework (submitted by Brendan Connor), each asked by PCC Simon Foster, were answered.",
        ),
        (
            "Item 4: Questions from Members of the Board",
            "Bhupinder Gakhal asked what is being done to repair the relationship between West Midlands Police and the Sikh community; the Chief Constable answered.",
        ),
        (
            "Item 5: Preventing & Reducing Crime – Economic Crime",
            "Assistant Chief Constable Jayne Meir provided an overview of the report and the Board discussed car theft, fraud and cybercrime.",
        ),
        (
            "Item 6: Preventing & Reducing Crime",
            "Assistant Chief Constable Jayne Meir provided an overview of the report and the Board discussed spiking, diversion schemes and drugs.",
        ),
        (
            "Item 7: Performance Report",
            "Deputy Chief Constable Vanessa Jardine and Mark Kenyon provided an overview of the report.",
        ),
        (
            "Item 8: Finance Budget Monitoring",
            "Mark Kenyon provided an overview of the report.",
        ),
        (
            "Item 9: Criminal Justice System",
            "Partners presented on problem-solving courts, the Family Drug and Alcohol Court, New Chance, diversion and peer hearings.",
        ),
        (
            "Item 10: Chief Constable Update",
            "The Chief Constable spoke about the joint targeted area inspection of Solihull.",
        ),
        (
            "Item 11: SPCB Workplan",
            "For noting. There are six actions which remain outstanding.",
        ),
        (
            "Item 12: Date of the Next Meeting",
            "The next meeting of the Strategic Policing and Crime Board will take place on Tuesday 22nd March 2022.",
        ),
    ] {
        items.push(boards::add_minute_item(db, a, february, title, notes).await?);
    }

    // February's questions, as the notes record them.
    use safer_core::boards::QuestionKind;
    for (kind, question, submitted_by, asked_by, answer) in [
        (
            QuestionKind::Public,
            "What is West Midlands Police's attitude to Neighbourhood Watch?",
            "Reg Banks",
            "PCC Simon Foster",
            "West Midlands Police is hugely supportive of Neighbourhood Watch, is assessing how best to support the scheme, and advises those interested to contact their neighbourhood teams.",
        ),
        (
            QuestionKind::Public,
            "Given the significant improvements in battery range of electric vehicles and their commercial availability, what progress has been made in transitioning West Midlands Police internal combustion vehicles to electric versions?",
            "Brendan Connor",
            "PCC Simon Foster",
            "Electric cars and vans are joining the fleet and charging points are up to 44 and growing; the high-intensity fleet is not yet suitable to change over.",
        ),
        (
            QuestionKind::Public,
            "Does the Police Vehicle Procurement Framework assist in delivering this objective by placing a premium on Life Cycle cost including carbon emissions as opposed to 'price sticker' cost?",
            "Brendan Connor",
            "PCC Simon Foster",
            "Vehicles are procured nationally; each lot is measured against whole-life costs including CO2 values.",
        ),
        (
            QuestionKind::Member,
            "After the arrest of the 3 Sikh gentleman from Birmingham and the Perry Barr Custody incident the relationship between West Midlands Police and the Sikh community is at an all-time low. Can the Chief Constable advise what is being done to repair this damage?",
            "",
            "Bhupinder Gakhal",
            "The Chief Constable did not agree that relations are at an all-time low; work continues with the Sikh Police Association and a Gold Group, and the Perry Barr incident is subject to an IOPC investigation.",
        ),
    ] {
        let q = boards::Question {
            kind,
            question: question.to_owned(),
            submitted_by: submitted_by.to_owned(),
            asked_by: asked_by.to_owned(),
            answer: answer.to_owned(),
        };
        boards::add_question(db, a, february, &q).await?;
    }

    // Actions: one raised in January and closed at the March meeting, one raised in February
    // and still open.
    let vehicles = boards::raise_action(
        db,
        a,
        january,
        Some(january_item.id),
        "Report to the Board on the Force's plan to tackle the rise in vehicle crime",
        "Assistant Chief Constable Jayne Meir",
        Some(date(2022, 3, 22)),
    )
    .await?;
    boards::update_action(db, a, vehicles, date(2022, 2, 22), ActionStatus::Open, "Covered in part by the Economic Crime report; a fuller update will come to the March meeting.").await?;
    boards::update_action(
        db,
        a,
        vehicles,
        date(2022, 3, 22),
        ActionStatus::Closed,
        "Update given at the March meeting.",
    )
    .await?;
    boards::raise_action(
        db,
        a,
        february,
        Some(items[4].id),
        "Share the findings of the work with vehicle manufacturers on making vehicles harder to steal",
        "Office of the Police and Crime Commissioner",
        Some(date(2022, 4, 26)),
    )
    .await?;

    // March's agenda, as published.
    let agenda: [(&str, &str, &str, &str, ItemKind); 11] = [
        (
            "",
            "10:00",
            "Apologies and PCC Update",
            "The Commissioner will provide a general update.",
            ItemKind::Verbal,
        ),
        (
            "",
            "10:10",
            "Petitions",
            "Halesowen Police Station Closure Petition – James Morris MP.",
            ItemKind::Verbal,
        ),
        (
            "",
            "10:20",
            "Notes of the Last Meeting",
            "The notes of the Board meeting held on 22 February 2022, with the actions carried forward.",
            ItemKind::WrittenReport,
        ),
        (
            "",
            "10:25",
            "Questions from Members of the Board",
            "Questions on matters that have arisen between Board meetings.",
            ItemKind::Verbal,
        ),
        (
            "Police and Crime Plan",
            "10:35",
            "Preventing and Reducing Crime – Violence Against Women and Girls (VAWG)",
            "To be presented by: ACC Claire Bell",
            ItemKind::WrittenReport,
        ),
        (
            "Police and Crime Plan",
            "11:15",
            "Preparing for the Birmingham 2022 Commonwealth Games",
            "To be presented by: ACC Matt Ward and Chief Superintendent Dave Sturman",
            ItemKind::WrittenReport,
        ),
        (
            "Regular Items",
            "12:00",
            "Fees and Charges 2022/23",
            "To be presented by: Mark Kenyon",
            ItemKind::WrittenReport,
        ),
        (
            "Regular Items",
            "12:15",
            "OPCC External Commissioning Budget 2022/23",
            "To be presented by: Mark Kenyon",
            ItemKind::WrittenReport,
        ),
        (
            "Regular Items",
            "12:45",
            "Chief Constable Update",
            "The Chief Constable will give a verbal update on operational policing matters which can be discussed in the public domain.",
            ItemKind::Verbal,
        ),
        (
            "Regular Items",
            "12:55",
            "SPCB Workplan",
            "SPCB Workplan, and SPCB Actions and future lines of inquiry, for noting.",
            ItemKind::WrittenReport,
        ),
        (
            "Regular Items",
            "13:00",
            "Date of the Next Meeting",
            "Tuesday 26th April 2022.",
            ItemKind::ForNoting,
        ),
    ];
    for (section, starts_at, title, description, kind) in agenda {
        let presenter = description
            .strip_prefix("To be presented by: ")
            .unwrap_or("");
        boards::add_agenda_item(
            db,
            a,
            march,
            &NewAgendaItem {
                section,
                starts_at,
                title,
                description: if presenter.is_empty() {
                    description
                } else {
                    ""
                },
                presenter,
                kind,
                exemption: None,
            },
        )
        .await?;
    }
    boards::publish_agenda(db, a, march).await?;
    demo_papers(db, a, march).await?;
    // March's petition; the papers give no count of signatures.
    let petition = boards::Petition {
        meeting_id: Some(march),
        title: "Halesowen Police Station Closure Petition".to_owned(),
        lead_petitioner: "James Morris MP".to_owned(),
        signatures: None,
        threshold: None,
        response_due: None,
        response: String::new(),
    };
    boards::add_petition(db, a, body, &petition).await?;
    // The March items as the work plan had them, and the budget decision the February notes
    // report.
    for (title, lead) in [
        (
            "Preventing and Reducing Crime – Violence Against Women and Girls",
            "ACC Claire Bell",
        ),
        (
            "Preparing for the Birmingham 2022 Commonwealth Games",
            "ACC Matt Ward",
        ),
        ("Fees and Charges 2022/23", "Mark Kenyon"),
        ("OPCC External Commissioning Budget 2022/23", "Mark Kenyon"),
    ] {
        let item = boards::WorkPlanItem {
            planned_for: YearMonth::parse("2022-03").ok_or(StoreError::NotFound)?,
            title: title.to_owned(),
            lead: lead.to_owned(),
        };
        boards::plan_item(db, a, body, &item).await?;
    }
    let budget = boards::Decision {
        id: 0,
        body_id: body,
        meeting_id: None,
        title: "Police budget and council tax precept 2022/23".to_owned(),
        decision: "The cross-party West Midlands Police and Crime Panel supported the proposed budget for 2022/23 following public consultation.".to_owned(),
        reasons: "Passing the budget enables West Midlands Police to put more community officers on the streets.".to_owned(),
        decided_by: "West Midlands Police and Crime Panel".to_owned(),
        decided_on: date(2022, 2, 1),
        published: true,
    };
    boards::add_decision(db, a, &budget).await?;
    Ok(())
}
