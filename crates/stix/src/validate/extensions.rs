//! `extensions`: extension-definition entries, predefined SCO extensions and the objects
//! embedded in them.

use super::checks::*;
use super::objects::*;
use super::values::{hashes, object_value};
use super::Sink;
use crate::model::{self, Category};
use serde_json::{Map, Value};

pub(super) fn ext_name_ok(k: &str) -> bool {
    k.strip_suffix("-ext").is_some_and(|b| {
        !b.is_empty()
            && valid_type_name(&format!("{b}xx"))
            && b.as_bytes()[0].is_ascii_lowercase()
            && !b.ends_with('-')
    })
}

pub(super) fn extensions(o: &Obj<'_>, v: &Value, p: &str, sink: &mut Sink) {
    let Some(m) = object_value(o, "extensions", v, p, sink) else {
        return;
    };
    let is_sco = model::category(o.ty) == Category::Sco;
    for (name, ev) in m {
        let pe = format!("{p}.{name}");
        if let Some(uuid) = name.strip_prefix("extension-definition--") {
            if uuid_version(uuid).is_none() {
                sink.must(
                    "extension-name",
                    o.id,
                    &pe,
                    format_args!(
                        "extensions: '{name}' is not a valid extension-definition identifier"
                    ),
                );
            }
            match ev.get("extension_type") {
                None => sink.must("required", o.id, &pe, "'extension_type' is a required property"),
                Some(Value::String(t)) if ["new-sdo", "new-sco", "new-sro", "property-extension", "toplevel-property-extension"].contains(&t.as_str()) => {}
                Some(Value::String(t)) => sink.must("enum", o.id, format_args!("{pe}.extension_type"), format_args!("extension_type: '{t}' is not one of ['new-sdo', 'new-sco', 'new-sro', 'property-extension', 'toplevel-property-extension']")),
                Some(t) => sink.must("json-type", o.id, format_args!("{pe}.extension_type"), format_args!("extension_type: {} is not of type 'string'", show(t))),
            }
            if is_sco
                && ev.get("extension_type").and_then(Value::as_str)
                    == Some("toplevel-property-extension")
            {
                sink.should("401", o.id, &pe, format_args!("Custom Cyber Observable Object extension type '{name}' should be implemented using an 'extension_type' of 'property-extension'."));
                sink.should("101", o.id, &pe, format_args!("Custom Cyber Observable Object extension type '{name}' should start with 'x-' followed by a source unique identifier (like a domain name with dots replaced by hyphens), a hyphen and then the name."));
                sink.should("102", o.id, &pe, format_args!("Custom Cyber Observable Object extension type '{name}' should start with 'x-'."));
            }
            if let Some(em) = ev.as_object() {
                for (ek, evv) in em {
                    if ek != "extension_type" {
                        generic_custom_value(o, ek, evv, &format!("{pe}.{ek}"), sink);
                    }
                }
            } else {
                sink.must("json-type", o.id, &pe, "an extension must be a JSON object");
            }
            continue;
        }
        if !ext_name_ok(name) || o.ty == "marking-definition" {
            sink.must("extension-name", o.id, &pe, format_args!("extensions: '{name}' does not match any of the regexes: '^([a-z][a-z0-9]*)+(-[a-z0-9]+)*\\-ext$', '^extension-definition--[0-9a-fA-F]{{8}}-[0-9a-fA-F]{{4}}-[1-5][0-9a-fA-F]{{3}}-[89abAB][0-9a-fA-F]{{3}}-[0-9a-fA-F]{{12}}$'"));
            if !name.starts_with("x-") {
                sink.should("102", o.id, &pe, format_args!("Custom Cyber Observable Object extension type '{name}' should start with 'x-'."));
            }
            continue;
        }
        let Some(em) = ev.as_object() else {
            sink.must("json-type", o.id, &pe, "an extension must be a JSON object");
            continue;
        };
        if em.is_empty() {
            sink.must(
                "empty-dict",
                o.id,
                &pe,
                format_args!("{name}: {{}} does not have enough properties"),
            );
        }
        match model::predefined_sco_extension(o.ty, name).filter(|_| is_sco) {
            Some(props) => {
                for pr in props {
                    if pr.required && !em.contains_key(pr.name) {
                        sink.must(
                            "required",
                            o.id,
                            &pe,
                            format_args!(
                                "'{}' is a required property of the {name} extension",
                                pr.name
                            ),
                        );
                    }
                }
                for (ek, evv) in em {
                    let pk = format!("{pe}.{ek}");
                    if let Some(pr) = props.iter().find(|pr| pr.name == ek) {
                        check_value(o, pr.ty, ek, evv, &pk, false, sink);
                        embedded(o, name, ek, evv, &pk, sink);
                    } else {
                        generic_custom_value(o, ek, evv, &pk, sink);
                        if o.opts.strict_properties {
                            sink.soft("custom-property", o.id, &pk, format_args!("Property '{ek}' is not one of those defined in the specification for the {name} extension in {} objects.", o.ty));
                        }
                        sco_custom_prop_should(
                            o,
                            ek,
                            &format!("in the {name} extension"),
                            &pk,
                            sink,
                        );
                    }
                }
                extension_semantics(o, name, em, &pe, sink);
            }
            None => {
                sink.should("401", o.id, &pe, format_args!("Custom Cyber Observable Object extension type '{name}' should be implemented using an 'extension_type' of 'property-extension'."));
                if !(name.starts_with("x-") && name[2..].trim_end_matches("-ext").contains('-')) {
                    sink.should("101", o.id, &pe, format_args!("Custom Cyber Observable Object extension type '{name}' should start with 'x-' followed by a source unique identifier (like a domain name with dots replaced by hyphens), a hyphen and then the name."));
                }
                if !name.starts_with("x-") {
                    sink.should("102", o.id, &pe, format_args!("Custom Cyber Observable Object extension type '{name}' should start with 'x-'."));
                }
                for (ek, evv) in em {
                    generic_custom_value(o, ek, evv, &format!("{pe}.{ek}"), sink);
                }
            }
        }
    }
}

pub(super) fn sco_custom_prop_should(o: &Obj<'_>, k: &str, where_: &str, p: &str, sink: &mut Sink) {
    sink.should("401", o.id, p, format_args!("Cyber Observable Object custom property '{k}' {where_} should be implemented using an extension with an 'extension_type' of 'property-extension' or 'toplevel-property-extension'."));
    if !(k.starts_with("x_") && k[2..].contains('_')) {
        sink.should("101", o.id, p, format_args!("Cyber Observable Object custom property '{k}' {where_} should start with 'x_' followed by a source unique identifier (like a domain name with dots replaced by hyphen), a hyphen and then the name."));
    }
    if !k.starts_with("x_") {
        sink.should(
            "102",
            o.id,
            p,
            format_args!(
                "Cyber Observable Object custom property '{k}' {where_} should start with 'x_'."
            ),
        );
    }
}

/// Embedded object lists inside predefined extensions (alternate data streams, sections...).
pub(super) fn embedded(o: &Obj<'_>, ext: &str, k: &str, v: &Value, p: &str, sink: &mut Sink) {
    let Some(known) = model::embedded_props(k) else {
        return;
    };
    let items: Vec<(String, &Value)> = match v {
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, x)| (format!("{p}[{i}]"), x))
            .collect(),
        Value::Object(_) => vec![(p.to_string(), v)],
        _ => return,
    };
    for (pi, item) in items {
        let Some(m) = item.as_object() else { continue };
        for (ik, iv) in m {
            let pk = format!("{pi}.{ik}");
            if ik == "hashes" {
                hashes(o, ik, iv, &pk, sink);
                if k == "sections" || k == "optional_header" {
                    if let Some(hm) = iv.as_object() {
                        for algo in hm.keys() {
                            if !registered_hash(algo) {
                                let what = if k == "sections" {
                                    "a section that has a hash"
                                } else {
                                    "an optional header that has a hash"
                                };
                                sink.should("241", o.id, &pk, format_args!("Object '{}' has a Windows PE Binary File extension with {what} of '{algo}', which is not a value in the hash-algorithm-ov vocabulary nor a custom value prepended with 'x_'.", o.id.unwrap_or("?")));
                            }
                        }
                    }
                }
                continue;
            }
            if !known.contains(&ik.as_str()) {
                let where_ = format!("in the {k} property of the {ext} extension");
                if o.opts.strict_properties {
                    sink.soft("custom-property", o.id, &pk, format_args!("Property '{ik}' in the {k} property of the {ext} extension is not one of those defined in the specification."));
                }
                sco_custom_prop_should(o, ik, &where_, &pk, sink);
            }
        }
    }
}

pub(super) fn extension_semantics(
    o: &Obj<'_>,
    name: &str,
    em: &Map<String, Value>,
    p: &str,
    sink: &mut Sink,
) {
    match name {
        "windows-pebinary-ext" => {
            if !em.keys().any(|k| {
                k != "pe_type"
                    && model::predefined_sco_extension("file", name)
                        .is_some_and(|ps| ps.iter().any(|pr| pr.name == k))
            }) {
                sink.must(
                    "required",
                    o.id,
                    p,
                    "the windows-pebinary-ext extension needs a property besides 'pe_type'",
                );
            }
            if let Some(Value::Object(h)) = em.get("file_header_hashes") {
                for algo in h.keys() {
                    if !registered_hash(algo) {
                        sink.should("241", o.id, format_args!("{p}.file_header_hashes"), format_args!("Object '{}' has a Windows PE Binary File extension with a file header hash of '{algo}', which is not a value in the hash-algorithm-ov vocabulary nor a custom value prepended with 'x_'.", o.id.unwrap_or("?")));
                    }
                }
            }
            if let Some(Value::String(t)) = em.get("pe_type") {
                if !model::vocabulary("windows-pebinary-type").contains(&t.as_str()) {
                    sink.should("243", o.id, format_args!("{p}.pe_type"), format_args!("Object '{}' has a Windows PE Binary File extension with a 'pe_type' of '{t}', which is not a value in the windows-pebinary-type-ov vocabulary.", o.id.unwrap_or("?")));
                }
            }
        }
        "pdf-ext" => {
            if let Some(Value::Object(d)) = em.get("document_info_dict") {
                for key in d.keys() {
                    if !PDF_DOC_INFO_KEYS.contains(&key.as_str()) {
                        sink.should("276", o.id, format_args!("{p}.document_info_dict"), format_args!("The 'document_info_dict' property of object '{}' contains a key ('{key}') that is not a valid PDF Document Information Dictionary key.", o.id.unwrap_or("?")));
                    }
                }
            }
        }
        "windows-process-ext" => {
            if let Some(Value::String(pr)) = em.get("priority") {
                if !pr.ends_with("_CLASS") {
                    sink.should(
                        "149",
                        o.id,
                        format_args!("{p}.priority"),
                        format_args!(
                            "The 'priority' property of object '{}' should end in '_CLASS'.",
                            o.id.unwrap_or("?")
                        ),
                    );
                }
            }
        }
        "http-request-ext" => {
            if let Some(Value::Object(h)) = em.get("request_header") {
                for (key, v) in h {
                    if !v.is_array() {
                        sink.must(
                            "json-type",
                            o.id,
                            format_args!("{p}.request_header.{key}"),
                            format_args!("request_header.{key}: {v} is not of type 'array'"),
                        );
                    }
                    if !model::lists::HTTP_REQUEST_HEADERS.contains(&key.as_str()) {
                        sink.should("274", o.id, format_args!("{p}.request_header"), format_args!("The 'request_header' property of object '{}' contains a header ('{key}') that is not a registered HTTP request header name.", o.id.unwrap_or("?")));
                    }
                }
            }
        }
        "socket-ext" => {
            if let Some(Value::Object(h)) = em.get("options") {
                for key in h.keys() {
                    if !model::lists::SOCKET_OPTIONS.contains(&key.as_str()) {
                        sink.should("275", o.id, format_args!("{p}.options"), format_args!("The 'options' property of object '{}' contains a key ('{key}') that is not a valid socket option (SO_*, ICMP_*, IP_*, MCAST_*, TCP_*).", o.id.unwrap_or("?")));
                    }
                }
            }
        }
        _ => {}
    }
}
