//! The GOV.UK components against govuk-frontend's own fixtures (read from the installed npm
//! package, never copied into the repository): every fixture whose options the typed component
//! supports is rendered and compared with the published HTML, element by element.

use askama::Template;
use safer_web::components::{ErrorSummary, Select, TextInput, Textarea};
use scraper::{Html, Node};
use serde_json::Value;
use std::path::PathBuf;

fn fixtures(component: &str) -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!(
        "../../node_modules/govuk-frontend/dist/govuk/components/{component}/fixtures.json"
    ));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} is installed by `npm ci`: {e}", path.display()));
    let json: Value = serde_json::from_str(&text).unwrap();
    json["fixtures"].as_array().unwrap().clone()
}

/// Elements (tag and sorted attributes, classes sorted) and text (whitespace collapsed), in order.
fn structure(html: &str) -> Vec<String> {
    let doc = Html::parse_fragment(html);
    let mut out = Vec::new();
    for node in doc.tree.root().descendants() {
        match node.value() {
            Node::Element(e) if e.name() != "html" => {
                let mut attrs: Vec<String> = e
                    .attrs()
                    .map(|(k, v)| {
                        if k == "class" {
                            let mut classes: Vec<&str> = v.split_whitespace().collect();
                            classes.sort_unstable();
                            format!("class={}", classes.join(" "))
                        } else {
                            format!("{k}={v}")
                        }
                    })
                    .collect();
                attrs.sort();
                out.push(format!("<{} {}>", e.name(), attrs.join(" ")));
            }
            Node::Text(t) => {
                let text = t.split_whitespace().collect::<Vec<_>>().join(" ");
                if !text.is_empty() {
                    out.push(text);
                }
            }
            _ => {}
        }
    }
    out
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(|x| x.get("text"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

fn supported(options: &Value, keys: &[&str]) -> bool {
    options.as_object().is_some_and(|o| o.keys().all(|k| keys.contains(&k.as_str())))
        // Only plain-text labels, hints and messages: no HTML, no page-heading labels, no classes on them.
        && ["label", "hint", "errorMessage"].iter().all(|k| options.get(*k).is_none_or(|v| v.as_object().is_some_and(|o| o.keys().all(|x| x == "text"))))
}

#[test]
fn text_inputs_match_the_govuk_fixtures() {
    let mut compared = 0;
    for fixture in fixtures("input") {
        let o = &fixture["options"];
        if !supported(
            o,
            &[
                "id",
                "name",
                "label",
                "hint",
                "errorMessage",
                "value",
                "type",
                "autocomplete",
                "classes",
            ],
        ) {
            continue;
        }
        let input_type = match o.get("type").and_then(Value::as_str) {
            None | Some("text") => "text",
            // safer adds spellcheck="false" to these, which the fixtures do not have.
            Some(_) => continue,
        };
        let name = o["name"].as_str().unwrap_or_default().to_owned();
        let classes: &'static str = match o.get("classes").and_then(Value::as_str) {
            None => "",
            Some(c) => Box::leak(c.to_owned().into_boxed_str()),
        };
        let autocomplete: Option<&'static str> = o
            .get("autocomplete")
            .and_then(Value::as_str)
            .map(|a| &*Box::leak(a.to_owned().into_boxed_str()));
        let input = TextInput {
            id: o
                .get("id")
                .and_then(Value::as_str)
                .map_or_else(|| name.clone(), str::to_owned),
            name,
            label: text(o, "label").unwrap_or_default(),
            hint: text(o, "hint"),
            value: o
                .get("value")
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .unwrap_or_default(),
            error: text(o, "errorMessage"),
            input_type,
            autocomplete,
            classes,
        };
        assert_eq!(
            structure(&input.render().unwrap()),
            structure(fixture["html"].as_str().unwrap()),
            "input fixture {:?}",
            fixture["name"]
        );
        compared += 1;
    }
    assert!(
        compared >= 10,
        "only {compared} input fixtures were compared"
    );
}

#[test]
fn textareas_match_the_govuk_fixtures() {
    let mut compared = 0;
    for fixture in fixtures("textarea") {
        let o = &fixture["options"];
        if !supported(o, &["id", "name", "label", "hint", "errorMessage", "value"]) {
            continue;
        }
        let name = o["name"].as_str().unwrap_or_default();
        // safer's textarea uses one value for its id and its name.
        if o.get("id")
            .and_then(Value::as_str)
            .is_some_and(|id| id != name)
        {
            continue;
        }
        let textarea = Textarea {
            id: name.to_owned(),
            label: text(o, "label").unwrap_or_default(),
            hint: text(o, "hint"),
            value: o
                .get("value")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            error: text(o, "errorMessage"),
        };
        assert_eq!(
            structure(&textarea.render().unwrap()),
            structure(fixture["html"].as_str().unwrap()),
            "textarea fixture {:?}",
            fixture["name"]
        );
        compared += 1;
    }
    assert!(
        compared >= 3,
        "only {compared} textarea fixtures were compared"
    );
}

#[test]
fn error_summaries_match_the_govuk_fixtures() {
    let mut compared = 0;
    for fixture in fixtures("error-summary") {
        let o = &fixture["options"];
        if !supported(o, &["titleText", "errorList"]) || o["titleText"] != "There is a problem" {
            continue;
        }
        let Some(items) = o["errorList"].as_array() else {
            continue;
        };
        let errors: Option<Vec<(String, String)>> = items
            .iter()
            .map(|i| {
                let keys_ok = i
                    .as_object()
                    .is_some_and(|m| m.keys().all(|k| k == "text" || k == "href"));
                Some((
                    i.get("href")?.as_str()?.strip_prefix('#')?.to_owned(),
                    i.get("text")?.as_str()?.to_owned(),
                ))
                .filter(|_| keys_ok)
            })
            .collect();
        let Some(errors) = errors else { continue };
        let summary = ErrorSummary { errors };
        assert_eq!(
            structure(&summary.render().unwrap()),
            structure(fixture["html"].as_str().unwrap()),
            "error summary fixture {:?}",
            fixture["name"]
        );
        compared += 1;
    }
    assert!(compared >= 1, "no error summary fixture was compared");
}

#[test]
fn selects_match_the_govuk_fixtures() {
    let scalar = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
    let mut compared = 0;
    for fixture in fixtures("select") {
        let o = &fixture["options"];
        if !supported(
            o,
            &[
                "id",
                "name",
                "label",
                "hint",
                "errorMessage",
                "items",
                "value",
            ],
        ) {
            continue;
        }
        let Some(items) = o["items"].as_array() else {
            continue;
        };
        // Plain options with a value and text only: no disabled, attributes or per-item selected flags.
        if !items.iter().all(|i| {
            i.as_object()
                .is_some_and(|m| m.len() == 2 && m.contains_key("value") && m.contains_key("text"))
        }) {
            continue;
        }
        let name = o["name"].as_str().unwrap_or_default().to_owned();
        let select = Select {
            id: o
                .get("id")
                .and_then(Value::as_str)
                .map_or_else(|| name.clone(), str::to_owned),
            name,
            label: text(o, "label").unwrap_or_default(),
            hint: text(o, "hint"),
            items: items
                .iter()
                .map(|i| (scalar(&i["value"]), scalar(&i["text"])))
                .collect(),
            selected: o.get("value").map(scalar),
            error: text(o, "errorMessage"),
        };
        assert_eq!(
            structure(&select.render().unwrap()),
            structure(fixture["html"].as_str().unwrap()),
            "select fixture {:?}",
            fixture["name"]
        );
        compared += 1;
    }
    assert!(
        compared >= 3,
        "only {compared} select fixtures were compared"
    );
}
