//! The `safer` command, run as a program.

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn safer(args: &[&str], stdin: &str) -> Output {
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

fn text(bytes: &[u8]) -> String {
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
        for _ in 0..6 {
            big.push_str(rows);
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
