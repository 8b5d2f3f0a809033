//! `kensa schema`: the JSON Schema (draft 2020-12) of evidence.json, generated from the evidence
//! types themselves, so the published schema cannot drift from what `kensa audit` writes.

use super::{out, Outcome};
use crate::error::Error;
use crate::model::evidence::{Evidence, SCHEMA};
use schemars::generate::SchemaSettings;
use serde_json::Value;

/// Print the schema.
pub fn run() -> Result<Outcome, Error> {
    let text = serde_json::to_string_pretty(&evidence_schema()).unwrap_or_default();
    out(&format!("{text}\n"));
    Ok(Outcome::Clean)
}

/// The schema of evidence.json as kensa writes it (serde's serialize side: a field left out when
/// empty is optional, every other one required; closed sets as their serde names). Every object
/// with named properties admits no others, so a validator catches a key kensa never writes. The
/// reading side stays lenient: evidence from older versions still loads for `--baseline`.
pub fn evidence_schema() -> Value {
    let schema = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<Evidence>();
    let mut v = schema.to_value();
    deny_unknown_properties(&mut v);
    if let Value::Object(root) = &mut v {
        root.insert("$id".into(), SCHEMA.into());
        root.insert("title".into(), "kensa evidence.json".into());
    }
    v
}

/// Sets `additionalProperties: false` on every object schema that names its properties and says
/// nothing about others (maps, which give a schema for their values, are left as they are).
fn deny_unknown_properties(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if m.contains_key("properties") && !m.contains_key("additionalProperties") {
                m.insert("additionalProperties".into(), Value::Bool(false));
            }
            m.values_mut().for_each(deny_unknown_properties);
        }
        Value::Array(a) => a.iter_mut().for_each(deny_unknown_properties),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_names_itself_and_closes_every_object() {
        let v = evidence_schema();
        assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
        assert_eq!(v["$id"], SCHEMA);
        assert_eq!(v["type"], "object");
        assert_eq!(v["additionalProperties"], false);
        let required: Vec<&str> = v["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        for key in ["schema", "tool", "items", "accounts", "breach_check"] {
            assert!(required.contains(&key), "{key} required");
        }
        // Left out when empty, so optional.
        assert!(!required.contains(&"run") && !required.contains(&"baseline"));
        let defs = v["$defs"].as_object().unwrap();
        for (name, def) in defs {
            if def.get("properties").is_some() {
                assert_eq!(def["additionalProperties"], false, "{name}");
            }
        }
        // Closed sets as their serde names; run.reports described.
        let text = v.to_string();
        for name in [
            "undetermined",
            "8+rotation",
            "cross_system",
            "TOO_SHORT",
            "shift_jis",
        ] {
            assert!(text.contains(&format!("\"{name}\"")), "{name}");
        }
        assert!(defs["Run"]["properties"]["reports"].is_object());
        assert_eq!(defs["HashPrefix"]["maxLength"], 8);
        // Maps keep a schema for their values.
        let recovered = &defs["Recovery"]["properties"]["recovered"];
        assert_ne!(recovered["additionalProperties"], false, "{recovered}");
    }
}
