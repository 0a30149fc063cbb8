//! The STIX 2.1 object model as data: every object type, its category and the properties
//! the specification defines for it, with their value shapes. The validator and the
//! typed accessors are driven by these tables, so adding a type is one table entry.

/// Where an object type sits in the STIX 2.1 taxonomy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// STIX Domain Object.
    Sdo,
    /// STIX Relationship Object (relationship, sighting).
    Sro,
    /// STIX Cyber-observable Object.
    Sco,
    /// marking-definition, language-content, extension-definition.
    Meta,
    /// The bundle envelope.
    Bundle,
    /// A type the specification does not define.
    Custom,
}

/// The value shape of a property.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ty {
    Str,
    /// A string from an open vocabulary (value is the vocabulary's check name).
    OpenVocab(&'static str),
    /// A list of strings from an open vocabulary.
    OpenVocabList(&'static str),
    /// A string from a closed enumeration.
    Enum(&'static [&'static str]),
    StrList,
    Bool,
    Int,
    /// Integer with inclusive bounds.
    IntRange(i64, i64),
    Float,
    /// Number with inclusive bounds.
    FloatRange(f64, f64),
    Timestamp,
    /// An identifier; the list holds the allowed target types (empty: any).
    Ref(&'static [&'static str]),
    RefList(&'static [&'static str]),
    KillChainPhases,
    ExternalReferences,
    GranularMarkings,
    Hashes,
    Dict,
    Extensions,
    /// A URI.
    Uri,
    /// Base64 data.
    Binary,
    /// Hex data.
    Hex,
    /// A list of JSON objects (checked elsewhere).
    ObjList,
    /// Anything (checked elsewhere).
    Any,
}

use Ty::*;

/// A property the specification defines.
#[derive(Debug, Clone, Copy)]
pub struct Prop {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
}

macro_rules! p {
    ($name:expr, $ty:expr $(,)?) => {
        Prop {
            name: $name,
            ty: $ty,
            required: false,
        }
    };
}
macro_rules! r {
    ($name:expr, $ty:expr $(,)?) => {
        Prop {
            name: $name,
            ty: $ty,
            required: true,
        }
    };
}

/// Identifier target types that denote SCOs.
pub const SCO_TYPES: &[&str] = &[
    "artifact",
    "autonomous-system",
    "directory",
    "domain-name",
    "email-addr",
    "email-message",
    "file",
    "ipv4-addr",
    "ipv6-addr",
    "mac-addr",
    "mutex",
    "network-traffic",
    "process",
    "software",
    "url",
    "user-account",
    "windows-registry-key",
    "x509-certificate",
];

pub const SDO_TYPES: &[&str] = &[
    "attack-pattern",
    "campaign",
    "course-of-action",
    "grouping",
    "identity",
    "incident",
    "indicator",
    "infrastructure",
    "intrusion-set",
    "location",
    "malware",
    "malware-analysis",
    "note",
    "observed-data",
    "opinion",
    "report",
    "threat-actor",
    "tool",
    "vulnerability",
];

pub const SRO_TYPES: &[&str] = &["relationship", "sighting"];
pub const META_TYPES: &[&str] = &[
    "marking-definition",
    "language-content",
    "extension-definition",
];

/// The category of an object type.
pub fn category(ty: &str) -> Category {
    if SDO_TYPES.contains(&ty) {
        Category::Sdo
    } else if SCO_TYPES.contains(&ty) {
        Category::Sco
    } else if SRO_TYPES.contains(&ty) {
        Category::Sro
    } else if META_TYPES.contains(&ty) {
        Category::Meta
    } else if ty == "bundle" {
        Category::Bundle
    } else {
        Category::Custom
    }
}

/// Common properties of SDOs and SROs.
pub const COMMON_SDO: &[Prop] = &[
    r!("type", Str),
    r!("spec_version", Enum(&["2.1"])),
    r!("id", Ref(&[])),
    p!("created_by_ref", Ref(&[])),
    r!("created", Timestamp),
    r!("modified", Timestamp),
    p!("revoked", Bool),
    p!("labels", StrList),
    p!("confidence", IntRange(0, 100)),
    p!("lang", Str),
    p!("external_references", ExternalReferences),
    p!("object_marking_refs", RefList(&["marking-definition"])),
    p!("granular_markings", GranularMarkings),
    p!("extensions", Extensions),
];

/// Common properties of SCOs.
pub const COMMON_SCO: &[Prop] = &[
    r!("type", Str),
    p!("spec_version", Enum(&["2.1"])),
    r!("id", Ref(&[])),
    p!("object_marking_refs", RefList(&["marking-definition"])),
    p!("granular_markings", GranularMarkings),
    p!("defanged", Bool),
    p!("extensions", Extensions),
];

const SOFTWARE: &[&str] = &["software"];

/// Whether the specification defines property `prop` for the SCO type `ty`.
pub fn sco_property_defined(ty: &str, prop: &str) -> bool {
    COMMON_SCO
        .iter()
        .chain(specific_props(ty).unwrap_or(&[]))
        .any(|p| p.name == prop)
}

/// The type-specific properties of each STIX 2.1 type.
pub fn specific_props(ty: &str) -> Option<&'static [Prop]> {
    let props: &'static [Prop] = match ty {
        "attack-pattern" => &[
            r!("name", Str),
            p!("description", Str),
            p!("aliases", StrList),
            p!("kill_chain_phases", KillChainPhases),
        ],
        "campaign" => &[
            r!("name", Str),
            p!("description", Str),
            p!("aliases", StrList),
            p!("first_seen", Timestamp),
            p!("last_seen", Timestamp),
            p!("objective", Str),
        ],
        "course-of-action" => &[r!("name", Str), p!("description", Str)],
        "grouping" => &[
            p!("name", Str),
            p!("description", Str),
            r!("context", OpenVocab("grouping-context")),
            r!("object_refs", RefList(&[])),
        ],
        "identity" => &[
            r!("name", Str),
            p!("description", Str),
            p!("roles", StrList),
            p!("identity_class", OpenVocab("identity-class")),
            p!("sectors", OpenVocabList("industry-sector")),
            p!("contact_information", Str),
        ],
        // The schema and the reference list no kill_chain_phases for incident.
        "incident" => &[r!("name", Str), p!("description", Str)],
        "indicator" => &[
            p!("name", Str),
            p!("description", Str),
            p!("indicator_types", OpenVocabList("indicator-types")),
            r!("pattern", Str),
            r!("pattern_type", OpenVocab("indicator-pattern-types")),
            p!("pattern_version", Str),
            r!("valid_from", Timestamp),
            p!("valid_until", Timestamp),
            p!("kill_chain_phases", KillChainPhases),
        ],
        "infrastructure" => &[
            r!("name", Str),
            p!("description", Str),
            p!(
                "infrastructure_types",
                OpenVocabList("infrastructure-types")
            ),
            p!("aliases", StrList),
            p!("kill_chain_phases", KillChainPhases),
            p!("first_seen", Timestamp),
            p!("last_seen", Timestamp),
        ],
        "intrusion-set" => &[
            r!("name", Str),
            p!("description", Str),
            p!("aliases", StrList),
            p!("first_seen", Timestamp),
            p!("last_seen", Timestamp),
            p!("goals", StrList),
            p!("resource_level", OpenVocab("attack-resource-level")),
            p!("primary_motivation", OpenVocab("attack-motivation")),
            p!("secondary_motivations", OpenVocabList("attack-motivation")),
        ],
        "location" => &[
            p!("name", Str),
            p!("description", Str),
            p!("latitude", FloatRange(-90.0, 90.0)),
            p!("longitude", FloatRange(-180.0, 180.0)),
            p!("precision", FloatRange(0.0, f64::MAX)),
            p!("region", OpenVocab("region")),
            p!("country", Str),
            p!("administrative_area", Str),
            p!("city", Str),
            p!("street_address", Str),
            p!("postal_code", Str),
        ],
        "malware" => &[
            p!("name", Str),
            p!("description", Str),
            p!("malware_types", OpenVocabList("malware-types")),
            r!("is_family", Bool),
            p!("aliases", StrList),
            p!("kill_chain_phases", KillChainPhases),
            p!("first_seen", Timestamp),
            p!("last_seen", Timestamp),
            p!("operating_system_refs", RefList(SOFTWARE)),
            p!(
                "architecture_execution_envs",
                OpenVocabList("processor-architecture")
            ),
            p!(
                "implementation_languages",
                OpenVocabList("implementation-languages")
            ),
            p!("capabilities", OpenVocabList("malware-capabilities")),
            p!("sample_refs", RefList(&[])),
        ],
        "malware-analysis" => &[
            r!("product", Str),
            p!("version", Str),
            p!("host_vm_ref", Ref(SOFTWARE)),
            p!("operating_system_ref", Ref(SOFTWARE)),
            p!("installed_software_refs", RefList(SOFTWARE)),
            p!("configuration_version", Str),
            p!("modules", StrList),
            p!("analysis_engine_version", Str),
            p!("analysis_definition_version", Str),
            p!("submitted", Timestamp),
            p!("analysis_started", Timestamp),
            p!("analysis_ended", Timestamp),
            p!("result_name", Str),
            p!("result", OpenVocab("malware-result")),
            p!("analysis_sco_refs", RefList(&[])),
            p!("sample_ref", Ref(&["file", "network-traffic", "artifact"])),
        ],
        "note" => &[
            p!("abstract", Str),
            r!("content", Str),
            p!("authors", StrList),
            r!("object_refs", RefList(&[])),
        ],
        "observed-data" => &[
            r!("first_observed", Timestamp),
            r!("last_observed", Timestamp),
            r!("number_observed", IntRange(1, 999_999_999)),
            p!("objects", Dict),
            p!("object_refs", RefList(&[])),
        ],
        "opinion" => &[
            p!("explanation", Str),
            p!("authors", StrList),
            r!(
                "opinion",
                Enum(&[
                    "strongly-disagree",
                    "disagree",
                    "neutral",
                    "agree",
                    "strongly-agree"
                ]),
            ),
            r!("object_refs", RefList(&[])),
        ],
        "report" => &[
            r!("name", Str),
            p!("description", Str),
            p!("report_types", OpenVocabList("report-types")),
            r!("published", Timestamp),
            r!("object_refs", RefList(&[])),
        ],
        "threat-actor" => &[
            r!("name", Str),
            p!("description", Str),
            p!("threat_actor_types", OpenVocabList("threat-actor-types")),
            p!("aliases", StrList),
            p!("first_seen", Timestamp),
            p!("last_seen", Timestamp),
            p!("roles", OpenVocabList("threat-actor-role")),
            p!("goals", StrList),
            p!("sophistication", OpenVocab("threat-actor-sophistication")),
            p!("resource_level", OpenVocab("attack-resource-level")),
            p!("primary_motivation", OpenVocab("attack-motivation")),
            p!("secondary_motivations", OpenVocabList("attack-motivation")),
            p!("personal_motivations", OpenVocabList("attack-motivation")),
        ],
        "tool" => &[
            r!("name", Str),
            p!("description", Str),
            p!("tool_types", OpenVocabList("tool-types")),
            p!("aliases", StrList),
            p!("kill_chain_phases", KillChainPhases),
            p!("tool_version", Str),
        ],
        "vulnerability" => &[r!("name", Str), p!("description", Str)],
        "relationship" => &[
            r!("relationship_type", Str),
            p!("description", Str),
            r!("source_ref", Ref(&[])),
            r!("target_ref", Ref(&[])),
            p!("start_time", Timestamp),
            p!("stop_time", Timestamp),
        ],
        "sighting" => &[
            p!("description", Str),
            p!("first_seen", Timestamp),
            p!("last_seen", Timestamp),
            p!("count", IntRange(0, 999_999_999)),
            r!("sighting_of_ref", Ref(&[])),
            p!("observed_data_refs", RefList(&["observed-data"])),
            p!("where_sighted_refs", RefList(&["identity", "location"])),
            p!("summary", Bool),
        ],
        // SCOs
        "artifact" => &[
            p!("mime_type", Str),
            p!("payload_bin", Binary),
            p!("url", Uri),
            p!("hashes", Hashes),
            p!(
                "encryption_algorithm",
                Enum(&["AES-256-GCM", "ChaCha20-Poly1305", "mime-type-indicated"]),
            ),
            p!("decryption_key", Str),
        ],
        "autonomous-system" => &[r!("number", Int), p!("name", Str), p!("rir", Str)],
        "directory" => &[
            r!("path", Str),
            p!("path_enc", Str),
            p!("ctime", Timestamp),
            p!("mtime", Timestamp),
            p!("atime", Timestamp),
            p!("contains_refs", RefList(&["file", "directory"])),
        ],
        "domain-name" => &[
            r!("value", Str),
            p!(
                "resolves_to_refs",
                RefList(&["ipv4-addr", "ipv6-addr", "domain-name"])
            ),
        ],
        "email-addr" => &[
            r!("value", Str),
            p!("display_name", Str),
            p!("belongs_to_ref", Ref(&["user-account"])),
        ],
        "email-message" => &[
            r!("is_multipart", Bool),
            p!("date", Timestamp),
            p!("content_type", Str),
            p!("from_ref", Ref(&["email-addr"])),
            p!("sender_ref", Ref(&["email-addr"])),
            p!("to_refs", RefList(&["email-addr"])),
            p!("cc_refs", RefList(&["email-addr"])),
            p!("bcc_refs", RefList(&["email-addr"])),
            p!("message_id", Str),
            p!("subject", Str),
            p!("received_lines", StrList),
            p!("additional_header_fields", Dict),
            p!("body", Str),
            p!("body_multipart", ObjList),
            p!("raw_email_ref", Ref(&["artifact"])),
        ],
        "file" => &[
            p!("hashes", Hashes),
            p!("size", IntRange(0, i64::MAX)),
            p!("name", Str),
            p!("name_enc", Str),
            p!("magic_number_hex", Hex),
            p!("mime_type", Str),
            p!("ctime", Timestamp),
            p!("mtime", Timestamp),
            p!("atime", Timestamp),
            p!("parent_directory_ref", Ref(&["directory"])),
            p!("contains_refs", RefList(&[])),
            p!("content_ref", Ref(&["artifact"])),
        ],
        "ipv4-addr" => &[
            r!("value", Str),
            p!("resolves_to_refs", RefList(&["mac-addr"])),
            p!("belongs_to_refs", RefList(&["autonomous-system"])),
        ],
        "ipv6-addr" => &[
            r!("value", Str),
            p!("resolves_to_refs", RefList(&["mac-addr"])),
            p!("belongs_to_refs", RefList(&["autonomous-system"])),
        ],
        "mac-addr" => &[r!("value", Str)],
        "mutex" => &[r!("name", Str)],
        "network-traffic" => &[
            p!("start", Timestamp),
            p!("end", Timestamp),
            p!("is_active", Bool),
            p!(
                "src_ref",
                Ref(&["ipv4-addr", "ipv6-addr", "mac-addr", "domain-name"])
            ),
            p!(
                "dst_ref",
                Ref(&["ipv4-addr", "ipv6-addr", "mac-addr", "domain-name"])
            ),
            p!("src_port", IntRange(0, 65535)),
            p!("dst_port", IntRange(0, 65535)),
            r!("protocols", StrList),
            p!("src_byte_count", IntRange(0, i64::MAX)),
            p!("dst_byte_count", IntRange(0, i64::MAX)),
            p!("src_packets", IntRange(0, i64::MAX)),
            p!("dst_packets", IntRange(0, i64::MAX)),
            p!("ipfix", Dict),
            p!("src_payload_ref", Ref(&["artifact"])),
            p!("dst_payload_ref", Ref(&["artifact"])),
            p!("encapsulates_refs", RefList(&["network-traffic"])),
            p!("encapsulated_by_ref", Ref(&["network-traffic"])),
        ],
        "process" => &[
            p!("is_hidden", Bool),
            p!("pid", Int),
            p!("created_time", Timestamp),
            p!("cwd", Str),
            p!("command_line", Str),
            p!("environment_variables", Dict),
            p!("opened_connection_refs", RefList(&["network-traffic"])),
            p!("creator_user_ref", Ref(&["user-account"])),
            p!("image_ref", Ref(&["file"])),
            p!("parent_ref", Ref(&["process"])),
            p!("child_refs", RefList(&["process"])),
        ],
        "software" => &[
            r!("name", Str),
            p!("cpe", Str),
            p!("swid", Str),
            p!("languages", StrList),
            p!("vendor", Str),
            p!("version", Str),
        ],
        "url" => &[r!("value", Uri)],
        "user-account" => &[
            p!("user_id", Str),
            p!("credential", Str),
            p!("account_login", Str),
            p!("account_type", OpenVocab("account-type")),
            p!("display_name", Str),
            p!("is_service_account", Bool),
            p!("is_privileged", Bool),
            p!("can_escalate_privs", Bool),
            p!("is_disabled", Bool),
            p!("account_created", Timestamp),
            p!("account_expires", Timestamp),
            p!("credential_last_changed", Timestamp),
            p!("account_first_login", Timestamp),
            p!("account_last_login", Timestamp),
        ],
        "windows-registry-key" => &[
            p!("key", Str),
            p!("values", ObjList),
            p!("modified_time", Timestamp),
            p!("creator_user_ref", Ref(&["user-account"])),
            p!("number_of_subkeys", IntRange(0, i64::MAX)),
        ],
        "x509-certificate" => &[
            p!("is_self_signed", Bool),
            p!("hashes", Hashes),
            p!("version", Str),
            p!("serial_number", Str),
            p!("signature_algorithm", Str),
            p!("issuer", Str),
            p!("validity_not_before", Timestamp),
            p!("validity_not_after", Timestamp),
            p!("subject", Str),
            p!("subject_public_key_algorithm", Str),
            p!("subject_public_key_modulus", Str),
            p!("subject_public_key_exponent", Int),
            p!("x509_v3_extensions", Dict),
        ],
        // Meta objects carry their own full property lists (see `meta_props`).
        _ => return None,
    };
    Some(props)
}

/// Full property lists of the meta objects (they do not share the SDO common set).
pub fn meta_props(ty: &str) -> Option<&'static [Prop]> {
    let props: &'static [Prop] = match ty {
        "marking-definition" => &[
            r!("type", Str),
            r!("spec_version", Enum(&["2.1"])),
            r!("id", Ref(&[])),
            p!("created_by_ref", Ref(&[])),
            r!("created", Timestamp),
            p!("lang", Str),
            p!("external_references", ExternalReferences),
            p!("object_marking_refs", RefList(&["marking-definition"])),
            p!("granular_markings", GranularMarkings),
            p!("extensions", Extensions),
            p!("name", Str),
            p!("definition_type", Str),
            p!("definition", Dict),
        ],
        "language-content" => &[
            r!("type", Str),
            r!("spec_version", Enum(&["2.1"])),
            r!("id", Ref(&[])),
            p!("created_by_ref", Ref(&[])),
            r!("created", Timestamp),
            r!("modified", Timestamp),
            p!("revoked", Bool),
            p!("labels", StrList),
            p!("confidence", IntRange(0, 100)),
            p!("external_references", ExternalReferences),
            p!("object_marking_refs", RefList(&["marking-definition"])),
            p!("granular_markings", GranularMarkings),
            p!("extensions", Extensions),
            r!("object_ref", Ref(&[])),
            p!("object_modified", Timestamp),
            r!("contents", Dict),
        ],
        "extension-definition" => &[
            r!("type", Str),
            r!("spec_version", Enum(&["2.1"])),
            r!("id", Ref(&[])),
            p!("created_by_ref", Ref(&[])),
            r!("created", Timestamp),
            r!("modified", Timestamp),
            p!("revoked", Bool),
            p!("labels", StrList),
            p!("external_references", ExternalReferences),
            p!("object_marking_refs", RefList(&["marking-definition"])),
            p!("granular_markings", GranularMarkings),
            r!("name", Str),
            p!("description", Str),
            r!("schema", Str),
            r!("version", Str),
            r!(
                "extension_types",
                Any, // checked in the validator: non-empty list of the five words
            ),
            p!("extension_properties", StrList),
        ],
        "bundle" => &[r!("type", Str), r!("id", Ref(&[])), p!("objects", ObjList)],
        _ => return None,
    };
    Some(props)
}

/// Extension types the specification predefines for SCOs, with their properties.
pub fn predefined_sco_extension(sco: &str, ext: &str) -> Option<&'static [Prop]> {
    let props: &'static [Prop] = match (sco, ext) {
        ("file", "archive-ext") => &[r!("contains_refs", RefList(&[])), p!("comment", Str)],
        ("file", "ntfs-ext") => &[p!("sid", Str), p!("alternate_data_streams", ObjList)],
        ("file", "pdf-ext") => &[
            p!("version", Str),
            p!("is_optimized", Bool),
            p!("document_info_dict", Dict),
            p!("pdfid0", Str),
            p!("pdfid1", Str),
        ],
        ("file", "raster-image-ext") => &[
            p!("image_height", Int),
            p!("image_width", Int),
            p!("bits_per_pixel", Int),
            p!("exif_tags", Dict),
        ],
        ("file", "windows-pebinary-ext") => &[
            r!("pe_type", Str),
            p!("imphash", Str),
            p!("machine_hex", Hex),
            p!("number_of_sections", IntRange(0, i64::MAX)),
            p!("time_date_stamp", Timestamp),
            p!("pointer_to_symbol_table_hex", Hex),
            p!("number_of_symbols", IntRange(0, i64::MAX)),
            p!("size_of_optional_header", IntRange(0, i64::MAX)),
            p!("characteristics_hex", Hex),
            p!("file_header_hashes", Hashes),
            p!("optional_header", Dict),
            p!("sections", ObjList),
        ],
        ("network-traffic", "http-request-ext") => &[
            r!("request_method", Str),
            r!("request_value", Str),
            p!("request_version", Str),
            p!("request_header", Dict),
            p!("message_body_length", IntRange(0, i64::MAX)),
            p!("message_body_data_ref", Ref(&["artifact"])),
        ],
        ("network-traffic", "icmp-ext") => &[r!("icmp_type_hex", Hex), r!("icmp_code_hex", Hex)],
        ("network-traffic", "socket-ext") => &[
            r!("address_family", Str),
            p!("is_blocking", Bool),
            p!("is_listening", Bool),
            p!("options", Dict),
            p!("socket_type", Str),
            p!("socket_descriptor", IntRange(0, i64::MAX)),
            p!("socket_handle", Int),
        ],
        ("network-traffic", "tcp-ext") => &[p!("src_flags_hex", Hex), p!("dst_flags_hex", Hex)],
        ("process", "windows-process-ext") => &[
            p!("aslr_enabled", Bool),
            p!("dep_enabled", Bool),
            p!("priority", Str),
            p!("owner_sid", Str),
            p!("window_title", Str),
            p!("startup_info", Dict),
            p!(
                "integrity_level",
                Enum(&["low", "medium", "high", "system"])
            ),
        ],
        ("process", "windows-service-ext") => &[
            p!("service_name", Str),
            p!("descriptions", StrList),
            p!("display_name", Str),
            p!("group_name", Str),
            p!("start_type", Str),
            p!("service_dll_refs", RefList(&["file"])),
            p!("service_type", Str),
            p!("service_status", Str),
        ],
        ("user-account", "unix-account-ext") => &[
            p!("gid", Int),
            p!("groups", StrList),
            p!("home_dir", Str),
            p!("shell", Str),
        ],
        _ => return None,
    };
    Some(props)
}

/// Properties of the embedded types inside predefined extensions and objects.
pub fn embedded_props(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "alternate_data_streams" => &["name", "hashes", "size"],
        "sections" => &["name", "size", "entropy", "hashes"],
        "body_multipart" => &[
            "body",
            "body_raw_ref",
            "content_type",
            "content_disposition",
        ],
        "values" => &["name", "data", "data_type"],
        "optional_header" => &[
            "magic_hex",
            "major_linker_version",
            "minor_linker_version",
            "size_of_code",
            "size_of_initialized_data",
            "size_of_uninitialized_data",
            "address_of_entry_point",
            "base_of_code",
            "base_of_data",
            "image_base",
            "section_alignment",
            "file_alignment",
            "major_os_version",
            "minor_os_version",
            "major_image_version",
            "minor_image_version",
            "major_subsystem_version",
            "minor_subsystem_version",
            "win32_version_value_hex",
            "size_of_image",
            "size_of_headers",
            "checksum_hex",
            "subsystem_hex",
            "dll_characteristics_hex",
            "size_of_stack_reserve",
            "size_of_stack_commit",
            "size_of_heap_reserve",
            "size_of_heap_commit",
            "loader_flags_hex",
            "number_of_rva_and_sizes",
            "hashes",
        ],
        _ => return None,
    })
}

pub mod lists;
mod vocab;
pub use vocab::*;
