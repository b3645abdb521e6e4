//! The `safer` command, run as a program.

mod bounded;

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

pub(crate) fn safer(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_safer"))
        .args(args)
        .env_remove("SAFER_DATABASE_URL")
        .env("SAFER_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run safer");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Twenty months around 3,000 then sixteen around 3,400, for two series.
fn csv() -> String {
    let mut out = String::from("series,period,value\n");
    for series in ["Total recorded crime", "Burglary"] {
        for i in 0..36 {
            let level = if i < 20 { 3000.0 } else { 3400.0 };
            let wobble = if i % 2 == 0 { 25.0 } else { -25.0 };
            out.push_str(&format!(
                "{series},{}-{:02},{}\n",
                2014 + i / 12,
                i % 12 + 1,
                level + wobble
            ));
        }
    }
    out
}

#[test]
fn spc_analyse_prints_json_with_phases_points_and_narrative() {
    let out = safer(
        &[
            "spc",
            "analyse",
            "--auto-rebase",
            "--improvement",
            "decrease",
            "--target",
            "3600",
        ],
        &csv(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let series = json.as_array().unwrap();
    assert_eq!(series.len(), 2);
    let trc = &series[0];
    assert_eq!(trc["series"], "Total recorded crime");
    assert_eq!(trc["chart"], "xmr");
    assert_eq!(trc["phases"].as_array().unwrap().len(), 2);
    assert_eq!(trc["phases"][1]["start"], "2015-09");
    assert_eq!(trc["phases"][1]["centre"], 3400.0);
    let point = &trc["points"][0];
    for key in [
        "period",
        "value",
        "centre",
        "upper",
        "lower",
        "outside_limits",
        "shift",
        "trend",
        "two_of_three",
        "special_cause",
        "variation",
    ] {
        assert!(point.get(key).is_some(), "points carry {key}");
    }
    assert_eq!(trc["assurance"], "consistently_met");
    assert!(
        trc["narrative"]
            .as_str()
            .unwrap()
            .starts_with("A step change up in September 2015 after 16 months above average")
    );
}

#[test]
fn spc_analyse_reads_a_file_and_writes_csv_or_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("series.csv");
    std::fs::write(&path, csv()).unwrap();
    let path = path.to_str().unwrap();
    let out = safer(
        &[
            "spc", "analyse", "--input", path, "--format", "csv", "--rebase", "2015-09",
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv_out = text(&out.stdout);
    assert_eq!(csv_out.lines().count(), 1 + 72);
    assert!(
        csv_out
            .lines()
            .nth(21)
            .unwrap()
            .ends_with(",common_cause,2")
    );
    let out = safer(
        &[
            "spc", "analyse", "--input", path, "--format", "text", "--method", "qic",
        ],
        "",
    );
    assert!(text(&out.stdout).contains("phase 1: 2014-01 to 2016-12, 36 points"));
}

#[test]
fn spc_analyse_names_the_line_of_bad_input_and_fails() {
    let out = safer(
        &["spc", "analyse"],
        "period,value\n2016-01,12\n2016-02,twelve\n2016-01,4\n",
    );
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("line 3: the value \"twelve\" is not a number"),
        "{err}"
    );
    assert!(
        err.contains("line 4: the period 2016-01 appears twice"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "nothing is analysed from bad input");
    let out = safer(&["spc", "analyse", "--rebase", "last-tuesday"], &csv());
    assert!(text(&out.stderr).contains("--rebase \"last-tuesday\""));
}

#[test]
fn users_are_added_disabled_and_given_roles_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("cli.db").display());
    assert!(safer(&["migrate", "--database", &db], "").status.success());
    let out = safer(
        &[
            "user",
            "add",
            "--database",
            &db,
            "--email",
            "New.Officer@example.org",
            "--name",
            "New Officer",
        ],
        "a long enough password\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("new.officer@example.org"));
    let short = safer(
        &[
            "user",
            "add",
            "--database",
            &db,
            "--email",
            "x@example.org",
            "--name",
            "X",
        ],
        "short\n",
    );
    assert!(!short.status.success());
    assert!(text(&short.stderr).contains("12 characters or more"));
    let bad_role = safer(
        &[
            "user",
            "grant",
            "--database",
            &db,
            "--email",
            "new.officer@example.org",
            "--role",
            "overlord",
            "--organisation",
            "Anything",
        ],
        "",
    );
    assert!(text(&bad_role.stderr).contains("is not a role; use one of administrator"));
    let disable = safer(
        &[
            "user",
            "disable",
            "--database",
            &db,
            "--email",
            "new.officer@example.org",
        ],
        "",
    );
    assert!(disable.status.success(), "{}", text(&disable.stderr));
    let backup = dir.path().join("copy.db");
    let out = safer(&["backup", "--database", &db, backup.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("checked its integrity"));
}

#[test]
fn a_new_deployment_is_set_up_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("new.db").display());
    let run = |args: &[&str], stdin: &str| {
        let mut all = args.to_vec();
        all.extend(["--database", db.as_str()]);
        safer(&all, stdin)
    };
    let ok = |out: Output| {
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    // Only migrate, serve and demo make a database; the rest refuse a path that names none.
    let refused = run(
        &[
            "org",
            "add",
            "--name",
            "Example OPCC",
            "--kind",
            "policing-body",
        ],
        "",
    );
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("there is no database at"),
        "{}",
        text(&refused.stderr)
    );
    ok(run(&["migrate"], ""));
    ok(run(
        &[
            "org",
            "add",
            "--name",
            "Example OPCC",
            "--kind",
            "policing-body",
            "--force-area",
            "E23000014,West Midlands",
        ],
        "",
    ));
    ok(run(
        &[
            "org",
            "add",
            "--name",
            "Safer Example",
            "--kind",
            "partnership",
            "--policing-body",
            "Example OPCC",
            "--area",
            "E08000029,Solihull",
            "--area",
            "E08000027,Dudley",
        ],
        "",
    ));
    let plan = ok(run(
        &[
            "plan",
            "add",
            "--organisation",
            "Safer Example",
            "--title",
            "Partnership Plan 2026/27",
            "--from",
            "2026-04-01",
            "--to",
            "2027-03-31",
        ],
        "",
    ));
    assert!(plan.contains("/plans/"), "{plan}");
    ok(run(
        &[
            "user",
            "add",
            "--email",
            "m@example.org",
            "--name",
            "M",
            "--role",
            "partnership_manager",
            "--organisation",
            "Safer Example",
        ],
        "a long enough password\n",
    ));

    // What was set up is in the database, scoped as the access rules say.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = safer_store::Db::connect(&db).await.unwrap();
        let partnership = safer_store::organisations::find_by_name(&store, "Safer Example")
            .await
            .unwrap()
            .unwrap();
        let areas = safer_store::organisations::areas(&store, partnership.id)
            .await
            .unwrap();
        assert_eq!(
            areas.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>(),
            ["E08000027", "E08000029"]
        );
        let manager = safer_store::users::find_by_email(&store, "m@example.org")
            .await
            .unwrap()
            .unwrap();
        let actor = safer_store::users::load_actor(&store, manager.id)
            .await
            .unwrap()
            .unwrap();
        let plans = safer_store::plans::list(&store, &actor.scope())
            .await
            .unwrap();
        assert_eq!(
            plans.iter().map(|p| p.title.as_str()).collect::<Vec<_>>(),
            ["Partnership Plan 2026/27"]
        );
        assert!(
            safer_store::plans::list(&store, &safer_core::access::ReadScope::public())
                .await
                .unwrap()
                .is_empty()
        );
    });

    // Mistakes are explained, and nothing is stored.
    let err = |out: Output| {
        assert!(!out.status.success());
        text(&out.stderr)
    };
    assert!(
        err(run(
            &["org", "add", "--name", "Orphan", "--kind", "partnership"],
            ""
        ))
        .contains("--policing-body")
    );
    assert!(
        err(run(
            &[
                "org",
                "add",
                "--name",
                "X",
                "--kind",
                "partnership",
                "--policing-body",
                "Example OPCC",
                "--area",
                "Solihull"
            ],
            ""
        ))
        .contains("ONS code and the name")
    );
    assert!(
        err(run(
            &[
                "org",
                "add",
                "--name",
                "Safer Example",
                "--kind",
                "partnership",
                "--policing-body",
                "Example OPCC"
            ],
            ""
        ))
        .contains("already in use")
    );
    assert!(
        err(run(
            &[
                "plan",
                "add",
                "--organisation",
                "Safer Example",
                "--title",
                "T",
                "--from",
                "2026-13-01",
                "--to",
                "2027-03-31"
            ],
            ""
        ))
        .contains("YYYY-MM-DD")
    );
    assert!(
        err(run(
            &[
                "plan",
                "add",
                "--organisation",
                "Nobody",
                "--title",
                "T",
                "--from",
                "2026-04-01",
                "--to",
                "2027-03-31"
            ],
            ""
        ))
        .contains("no organisation called")
    );
}

/// The real City of London street file for October 2018 (782 rows).
fn city_of_london_2018_10() -> std::path::PathBuf {
    std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/police-uk/city-of-london/2018-10-city-of-london-street.csv"
    ))
}

#[tokio::test]
async fn an_import_killed_midway_leaves_the_month_as_it_was() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("kill.db").display());
    let real = city_of_london_2018_10();
    assert!(safer(&["migrate", "--database", &db], "").status.success());
    let out = safer(
        &[
            "import",
            "--database",
            &db,
            "police-uk",
            real.to_str().unwrap(),
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Imported 782 rows from 1 files"));

    // A re-issue of the same month, big enough to be killed while it is being stored: every
    // City of London month's rows six times over, so that it has thousands of groups (month,
    // LSOA, category) and is stored in many statements within its one transaction.
    let reissue_dir = dir.path().join("reissue");
    std::fs::create_dir(&reissue_dir).unwrap();
    let folder = real.parent().unwrap();
    let mut big = String::new();
    let mut months: Vec<_> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with("-street.csv"))
        .collect();
    months.sort();
    for (i, path) in months.iter().enumerate() {
        let source = std::fs::read_to_string(path).unwrap();
        let (header, rows) = source.split_once('\n').unwrap();
        if i == 0 {
            big.push_str(header);
            big.push('\n');
        }
        // Each row moved to October 2018, the file's month: a row of another month is left out.
        let rows: String = rows
            .lines()
            .filter_map(|row| {
                let (id, rest) = row.split_once(',')?;
                let (_, rest) = rest.split_once(',')?;
                Some(format!("{id},2018-10,{rest}\n"))
            })
            .collect();
        for _ in 0..6 {
            big.push_str(&rows);
        }
    }
    let reissue = reissue_dir.join("2018-10-city-of-london-street.csv");
    std::fs::write(&reissue, big).unwrap();

    let mut child = Command::new(env!("CARGO_BIN_EXE_safer"))
        .args(["import", "--database", &db, "police-uk"])
        .arg(&reissue)
        .env("SAFER_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = Vec::new();
    for line in stderr.lines() {
        let line = line.unwrap();
        let midway = line.contains("rows stored so far");
        seen.push(line);
        if midway {
            child.kill().unwrap();
            break;
        }
    }
    let status = child.wait().unwrap();
    assert!(!status.success(), "killed before it finished: {seen:?}");

    let store = safer_store::Db::connect(&db).await.unwrap();
    assert_eq!(
        safer_store::police_uk::row_counts(&store, "city-of-london", "2018-10")
            .await
            .unwrap(),
        [782, 782, 0, 0],
        "the month is as it was before the killed import"
    );
    let files = safer_store::police_uk::files(&store).await.unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].row_count, 782);
}

/// Gives the grant schema for the package schema's reference to it, and refuses anything else:
/// nothing is fetched over the network.
struct GrantSchema(Value);

impl jsonschema::Retrieve for GrantSchema {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        if uri.as_str().ends_with("/schema/360-giving-schema.json") {
            Ok(self.0.clone())
        } else {
            Err(format!("{} is not a 360Giving schema", uri.as_str()).into())
        }
    }
}

/// The 360Giving schemas as published (release 1.4.3), from the shared reference folder.
fn giving_schema(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/reference/360giving")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).expect("the 360Giving schema")).unwrap()
}

#[test]
fn the_grants_export_is_a_valid_360giving_package_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("grants.db").display());
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = safer_store::Db::connect(&db).await.unwrap();
        store.migrate().await.unwrap();
        safer_store::demo::load(&store).await.unwrap();
        // Decide seed 002's round, so that grants from bids (with what they asked for) are in.
        let fund = safer_store::funds::funds(&store)
            .await
            .unwrap()
            .into_iter()
            .find(|f| f.name == "Invest to Save 2013/14")
            .unwrap();
        let round = safer_store::bids::rounds(&store, fund.id).await.unwrap()[0].id;
        let pcc = safer_store::users::find_by_email(&store, "pcc@west-midlands.example")
            .await
            .unwrap()
            .unwrap();
        let pcc = safer_store::users::load_actor(&store, pcc.id)
            .await
            .unwrap()
            .unwrap();
        let bids = safer_store::bids::bids(&store, &pcc.scope(), round)
            .await
            .unwrap();
        let outcomes: Vec<(i64, safer_core::bids::Outcome)> = bids
            .iter()
            .filter(|b| ["B1", "S1", "SS3"].contains(&b.reference.as_str()))
            .map(|b| {
                let outcome = if b.least < b.requested {
                    safer_core::bids::Outcome::Reduced(b.least)
                } else {
                    safer_core::bids::Outcome::Full
                };
                (b.id, outcome)
            })
            .collect();
        safer_store::bids::decide_round(
            &store,
            &safer_store::Author::system("test"),
            round,
            jiff::civil::date(2013, 11, 12),
            "Invest to Save",
            &outcomes,
        )
        .await
        .unwrap();
        store.close().await;
    });

    let json_out = dir.path().join("grants.json");
    let out = safer(
        &[
            "export",
            "360giving",
            "--database",
            &db,
            "--out",
            json_out.to_str().unwrap(),
            "--prefix",
            "360G-wmpcc",
            "--publisher",
            "West Midlands OPCC",
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("Wrote 24 grants"),
        "{}",
        text(&out.stderr)
    );
    let package: Value =
        serde_json::from_str(&std::fs::read_to_string(&json_out).unwrap()).unwrap();

    // The package schema refers to the grant schema by its published address (1.4.2's); the
    // resolver is given the local 1.4.3 file for it, and nothing is fetched.
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .with_retriever(GrantSchema(giving_schema("360-giving-schema.json")))
        .build(&giving_schema("360-giving-package-schema.json"))
        .expect("the package schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&package)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // And a broken grant is caught, so the validation is real.
    let mut broken = package.clone();
    broken["grants"][0]
        .as_object_mut()
        .unwrap()
        .remove("awardDate");
    assert!(!validator.is_valid(&broken));

    let grants = package["grants"].as_array().unwrap();
    let b1 = grants
        .iter()
        .find(|g| g["title"] == "Youth violence")
        .unwrap();
    assert_eq!(b1["amountAwarded"], 90000.0);
    assert_eq!(b1["amountAppliedFor"], 100000.0);
    assert_eq!(b1["fromOpenCall"], "Yes");
    assert_eq!(b1["beneficiaryLocation"][0]["geoCode"], "E08000025");
    assert!(
        b1["recipientOrganization"][0]["id"]
            .as_str()
            .unwrap()
            .starts_with("360G-wmpcc-org-")
    );
    let wyre = grants
        .iter()
        .find(|g| g["title"] == "Wyre Forest Keeping Safe Project")
        .unwrap();
    assert_eq!(wyre["beneficiaryLocation"].as_array().unwrap().len(), 3);
    assert_eq!(wyre["amountDisbursed"], 48125.0);

    let csv_out = dir.path().join("grants.csv");
    let out = safer(
        &[
            "export",
            "360giving",
            "--database",
            &db,
            "--out",
            csv_out.to_str().unwrap(),
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv_text = std::fs::read_to_string(&csv_out).unwrap();
    let mut lines = csv_text.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("Identifier,Title,Description,Currency,Amount Awarded")
    );
    assert_eq!(lines.count(), 24);

    // Bad input says what to fix, and nothing is written over.
    let again = safer(
        &[
            "export",
            "360giving",
            "--database",
            &db,
            "--out",
            csv_out.to_str().unwrap(),
        ],
        "",
    );
    assert!(
        text(&again.stderr).contains("it must not exist already"),
        "{}",
        text(&again.stderr)
    );
    let bad = safer(
        &[
            "export",
            "360giving",
            "--database",
            &db,
            "--out",
            "x.json",
            "--prefix",
            "WMPCC",
        ],
        "",
    );
    assert!(text(&bad.stderr).contains("is not a 360Giving prefix"));
    let unknown = safer(
        &[
            "export",
            "360giving",
            "--database",
            &db,
            "--out",
            dir.path().join("x.txt").to_str().unwrap(),
        ],
        "",
    );
    assert!(text(&unknown.stderr).contains("--format json, csv or xlsx"));
    let xlsx_out = dir.path().join("grants.xlsx");
    let out = safer(
        &[
            "export",
            "360giving",
            "--database",
            &db,
            "--out",
            xlsx_out.to_str().unwrap(),
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        &std::fs::read(&xlsx_out).unwrap()[..2],
        b"PK",
        "an XLSX file is a zip archive"
    );
}

#[tokio::test]
async fn audit_verify_checks_the_demo_log_and_names_an_edited_event() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("audit.db").display());
    let db = safer_store::Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    safer_store::demo::load(&db).await.unwrap();
    let out = safer(&["audit", "verify", "--database", &url], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(said.starts_with("Verified "), "{said}");
    assert!(
        said.contains("none has been changed, removed or inserted"),
        "{said}"
    );

    // Behind the triggers' back, as a database administrator could.
    let safer_store::Db::Sqlite(pool) = &db else {
        unreachable!()
    };
    sqlx::raw_sql(
        "DROP TRIGGER audit_events_no_update; \
         UPDATE audit_events SET actor_label = 'someone else' WHERE id = 10",
    )
    .execute(pool)
    .await
    .unwrap();
    db.close().await;
    let out = safer(&["audit", "verify", "--database", &url], "");
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("audit event 10 does not match"), "{err}");
    assert!(err.contains("The 9 events before it verified"), "{err}");
}

#[test]
fn retention_asks_for_a_dry_run_or_an_apply_and_says_what_is_due() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("retention.db").display());
    assert!(safer(&["migrate", "--database", &db], "").status.success());
    let out = safer(&["retention", "--database", &db], "");
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("--dry-run|--apply"),
        "{}",
        text(&out.stderr)
    );
    let out = safer(&["retention", "--dry-run", "--database", &db], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("nothing is due"),
        "{}",
        text(&out.stdout)
    );
}
