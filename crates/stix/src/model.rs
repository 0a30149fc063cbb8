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
        "incident" => &[
            r!("name", Str),
            p!("description", Str),
            p!("kill_chain_phases", KillChainPhases),
        ],
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
            p!("sample_refs", RefList(&["file", "artifact"])),
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
            r!("created_by_ref", Ref(&[])),
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
            r!("pe_type", OpenVocab("windows-pebinary-type")),
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

/// Open vocabularies of STIX 2.1 section 10, keyed by the validator check name.
pub fn vocabulary(check: &str) -> &'static [&'static str] {
    match check {
        "attack-motivation" => &[
            "accidental",
            "coercion",
            "dominance",
            "ideology",
            "notoriety",
            "organizational-gain",
            "personal-gain",
            "personal-satisfaction",
            "revenge",
            "unpredictable",
        ],
        "attack-resource-level" => &[
            "individual",
            "club",
            "contest",
            "team",
            "organization",
            "government",
        ],
        "grouping-context" => &["suspicious-activity", "malware-analysis", "unspecified"],
        "identity-class" => &[
            "individual",
            "group",
            "system",
            "organization",
            "class",
            "unknown",
        ],
        "implementation-languages" => &[
            "applescript",
            "bash",
            "c",
            "c++",
            "c#",
            "go",
            "java",
            "javascript",
            "lua",
            "objective-c",
            "perl",
            "php",
            "powershell",
            "python",
            "ruby",
            "scala",
            "swift",
            "typescript",
            "visual-basic",
            "x86-32",
            "x86-64",
        ],
        "indicator-types" => &[
            "anomalous-activity",
            "anonymization",
            "benign",
            "compromised",
            "malicious-activity",
            "attribution",
            "unknown",
        ],
        "industry-sector" => &[
            "agriculture",
            "aerospace",
            "automotive",
            "chemical",
            "commercial",
            "communications",
            "construction",
            "defense",
            "education",
            "energy",
            "entertainment",
            "financial-services",
            "government",
            "government-emergency-services",
            "government-local",
            "government-national",
            "government-public-services",
            "government-regional",
            "healthcare",
            "hospitality-leisure",
            "infrastructure",
            "infrastructure-dams",
            "infrastructure-nuclear",
            "infrastructure-water",
            "insurance",
            "manufacturing",
            "mining",
            "non-profit",
            "pharmaceuticals",
            "retail",
            "technology",
            "telecommunications",
            "transportation",
            "utilities",
        ],
        "infrastructure-types" => &[
            "amplification",
            "anonymization",
            "botnet",
            "command-and-control",
            "control-system",
            "exfiltration",
            "firewall",
            "hosting-malware",
            "hosting-target-lists",
            "phishing",
            "reconnaissance",
            "routers-switches",
            "staging",
            "workstation",
            "unknown",
        ],
        "malware-capabilities" => &[
            "accesses-remote-machines",
            "anti-debugging",
            "anti-disassembly",
            "anti-emulation",
            "anti-memory-forensics",
            "anti-sandbox",
            "anti-vm",
            "captures-input-peripherals",
            "captures-output-peripherals",
            "captures-system-state-data",
            "cleans-traces-of-infection",
            "commits-fraud",
            "communicates-with-c2",
            "compromises-data-availability",
            "compromises-data-integrity",
            "compromises-system-availability",
            "controls-local-machine",
            "degrades-security-software",
            "degrades-system-updates",
            "determines-c2-server",
            "emails-spam",
            "escalates-privileges",
            "evades-av",
            "exfiltrates-data",
            "fingerprints-host",
            "hides-artifacts",
            "hides-executing-code",
            "infects-files",
            "infects-remote-machines",
            "installs-other-components",
            "persists-after-system-reboot",
            "prevents-artifact-access",
            "prevents-artifact-deletion",
            "probes-network-environment",
            "self-modifies",
            "steals-authentication-credentials",
            "violates-system-operational-integrity",
        ],
        "malware-result" => &["malicious", "suspicious", "benign", "unknown"],
        "malware-types" => &[
            "adware",
            "backdoor",
            "bot",
            "bootkit",
            "ddos",
            "downloader",
            "dropper",
            "exploit-kit",
            "keylogger",
            "ransomware",
            "remote-access-trojan",
            "resource-exploitation",
            "rogue-security-software",
            "rootkit",
            "screen-capture",
            "spyware",
            "trojan",
            "unknown",
            "virus",
            "webshell",
            "wiper",
            "worm",
        ],
        "processor-architecture" => &[
            "alpha", "arm", "ia-64", "mips", "powerpc", "sparc", "x86", "x86-64",
        ],
        "region" => &[
            "africa",
            "eastern-africa",
            "middle-africa",
            "northern-africa",
            "southern-africa",
            "western-africa",
            "americas",
            "latin-america-caribbean",
            "south-america",
            "caribbean",
            "central-america",
            "northern-america",
            "asia",
            "central-asia",
            "eastern-asia",
            "southern-asia",
            "south-eastern-asia",
            "western-asia",
            "europe",
            "eastern-europe",
            "northern-europe",
            "southern-europe",
            "western-europe",
            "oceania",
            "antarctica",
            "australia-new-zealand",
            "melanesia",
            "micronesia",
            "polynesia",
        ],
        "report-types" => &[
            "attack-pattern",
            "campaign",
            "identity",
            "indicator",
            "intrusion-set",
            "malware",
            "observed-data",
            "threat-actor",
            "threat-report",
            "tool",
            "vulnerability",
        ],
        "threat-actor-types" => &[
            "activist",
            "competitor",
            "crime-syndicate",
            "criminal",
            "hacker",
            "insider-accidental",
            "insider-disgruntled",
            "nation-state",
            "sensationalist",
            "spy",
            "terrorist",
            "unknown",
        ],
        "threat-actor-role" => &[
            "agent",
            "director",
            "independent",
            "infrastructure-architect",
            "infrastructure-operator",
            "malware-author",
            "sponsor",
        ],
        "threat-actor-sophistication" => &[
            "none",
            "minimal",
            "intermediate",
            "advanced",
            "expert",
            "innovator",
            "strategic",
        ],
        "tool-types" => &[
            "denial-of-service",
            "exploitation",
            "information-gathering",
            "network-capture",
            "credential-exploitation",
            "remote-access",
            "vulnerability-scanning",
            "unknown",
        ],
        "indicator-pattern-types" => &["stix", "pcre", "sigma", "snort", "suricata", "yara"],
        "account-type" => &[
            "facebook",
            "ldap",
            "nis",
            "openid",
            "radius",
            "skype",
            "tacacs",
            "twitter",
            "unix",
            "windows-local",
            "windows-domain",
        ],
        "windows-pebinary-type" => &["dll", "exe", "sys"],
        "hash-algo" => &[
            "MD5", "SHA-1", "SHA-256", "SHA-512", "SHA3-256", "SHA3-512", "SSDEEP", "TLSH",
        ],
        _ => &[],
    }
}

/// Validator check code of an open vocabulary check name.
pub fn vocabulary_code(check: &str) -> &'static str {
    match check {
        "attack-motivation" => "211",
        "attack-resource-level" => "212",
        "identity-class" => "213",
        "indicator-types" => "214",
        "industry-sector" => "215",
        "malware-types" => "216",
        "report-types" => "218",
        "threat-actor-types" => "219",
        "threat-actor-role" => "220",
        "threat-actor-sophistication" => "221",
        "tool-types" => "222",
        "region" => "223",
        "grouping-context" => "225",
        "implementation-languages" => "226",
        "infrastructure-types" => "227",
        "malware-capabilities" => "228",
        "processor-architecture" => "229",
        "malware-result" => "230",
        "hash-algo" => "241",
        "windows-pebinary-type" => "243",
        "account-type" => "244",
        "indicator-pattern-types" => "245",
        _ => "210",
    }
}

/// The TLP 1.0 marking definitions predefined by STIX 2.1: (id, tlp word).
pub const TLP1: &[(&str, &str)] = &[
    (
        "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
        "white",
    ),
    (
        "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
        "green",
    ),
    (
        "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
        "amber",
    ),
    (
        "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
        "red",
    ),
];

/// The TLP 2.0 marking definitions of the OASIS extension: (id, tlp word).
pub const TLP2: &[(&str, &str)] = &[
    (
        "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
        "clear",
    ),
    (
        "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
        "green",
    ),
    (
        "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
        "amber",
    ),
    (
        "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        "amber+strict",
    ),
    (
        "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
        "red",
    ),
];

/// The relationship types STIX 2.1 suggests, as (source type, relationship, target types).
pub const SUGGESTED_RELATIONSHIPS: &[(&str, &str, &[&str])] = &[
    ("attack-pattern", "delivers", &["malware"]),
    (
        "attack-pattern",
        "targets",
        &["identity", "location", "vulnerability"],
    ),
    ("attack-pattern", "uses", &["malware", "tool"]),
    (
        "campaign",
        "attributed-to",
        &["intrusion-set", "threat-actor"],
    ),
    ("campaign", "compromises", &["infrastructure"]),
    ("campaign", "originates-from", &["location"]),
    (
        "campaign",
        "targets",
        &["identity", "location", "vulnerability"],
    ),
    (
        "campaign",
        "uses",
        &["attack-pattern", "infrastructure", "malware", "tool"],
    ),
    ("course-of-action", "investigates", &["indicator"]),
    (
        "course-of-action",
        "mitigates",
        &[
            "attack-pattern",
            "indicator",
            "malware",
            "tool",
            "vulnerability",
        ],
    ),
    (
        "course-of-action",
        "remediates",
        &["malware", "vulnerability"],
    ),
    ("identity", "located-at", &["location"]),
    (
        "indicator",
        "indicates",
        &[
            "attack-pattern",
            "campaign",
            "infrastructure",
            "intrusion-set",
            "malware",
            "threat-actor",
            "tool",
        ],
    ),
    ("indicator", "based-on", &["observed-data"]),
    (
        "infrastructure",
        "communicates-with",
        &[
            "infrastructure",
            "ipv4-addr",
            "ipv6-addr",
            "domain-name",
            "url",
        ],
    ),
    (
        "infrastructure",
        "consists-of",
        &[
            "infrastructure",
            "observed-data",
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
        ],
    ),
    ("infrastructure", "controls", &["infrastructure", "malware"]),
    ("infrastructure", "delivers", &["malware"]),
    ("infrastructure", "has", &["vulnerability"]),
    ("infrastructure", "hosts", &["tool", "malware"]),
    ("infrastructure", "located-at", &["location"]),
    ("infrastructure", "uses", &["infrastructure"]),
    ("intrusion-set", "attributed-to", &["threat-actor"]),
    ("intrusion-set", "compromises", &["infrastructure"]),
    ("intrusion-set", "hosts", &["infrastructure"]),
    ("intrusion-set", "owns", &["infrastructure"]),
    ("intrusion-set", "originates-from", &["location"]),
    (
        "intrusion-set",
        "targets",
        &["identity", "location", "vulnerability"],
    ),
    (
        "intrusion-set",
        "uses",
        &["attack-pattern", "infrastructure", "malware", "tool"],
    ),
    ("malware", "authored-by", &["threat-actor", "intrusion-set"]),
    ("malware", "beacons-to", &["infrastructure"]),
    ("malware", "exfiltrates-to", &["infrastructure"]),
    (
        "malware",
        "communicates-with",
        &["ipv4-addr", "ipv6-addr", "domain-name", "url"],
    ),
    ("malware", "downloads", &["malware", "tool", "file"]),
    ("malware", "drops", &["malware", "tool", "file"]),
    ("malware", "exploits", &["vulnerability"]),
    ("malware", "originates-from", &["location"]),
    (
        "malware",
        "targets",
        &["identity", "infrastructure", "location", "vulnerability"],
    ),
    (
        "malware",
        "uses",
        &["attack-pattern", "infrastructure", "malware", "tool"],
    ),
    ("malware", "variant-of", &["malware"]),
    ("malware-analysis", "characterizes", &["malware"]),
    ("malware-analysis", "analysis-of", &["malware"]),
    ("malware-analysis", "static-analysis-of", &["malware"]),
    ("malware-analysis", "dynamic-analysis-of", &["malware"]),
    ("threat-actor", "attributed-to", &["identity"]),
    ("threat-actor", "compromises", &["infrastructure"]),
    ("threat-actor", "hosts", &["infrastructure"]),
    ("threat-actor", "owns", &["infrastructure"]),
    ("threat-actor", "impersonates", &["identity"]),
    ("threat-actor", "located-at", &["location"]),
    (
        "threat-actor",
        "targets",
        &["identity", "location", "vulnerability"],
    ),
    (
        "threat-actor",
        "uses",
        &["attack-pattern", "infrastructure", "malware", "tool"],
    ),
    ("tool", "delivers", &["malware"]),
    ("tool", "drops", &["malware"]),
    ("tool", "has", &["vulnerability"]),
    (
        "tool",
        "targets",
        &["identity", "infrastructure", "location", "vulnerability"],
    ),
    (
        "domain-name",
        "resolves-to",
        &["domain-name", "ipv4-addr", "ipv6-addr"],
    ),
    ("ipv4-addr", "resolves-to", &["mac-addr"]),
    ("ipv4-addr", "belongs-to", &["autonomous-system"]),
    ("ipv6-addr", "resolves-to", &["mac-addr"]),
    ("ipv6-addr", "belongs-to", &["autonomous-system"]),
];

/// Relationship types allowed between any two objects.
pub const COMMON_RELATIONSHIPS: &[&str] = &["derived-from", "duplicate-of", "related-to"];

/// The TLP level an object's `object_marking_refs` give it (DESIGN 9): the most
/// restrictive TLP marking among them, TLP 1.0 white read as clear; `None` when there is
/// no TLP marking (the object then reads as green).
pub fn tlp_level<'a>(marking_refs: impl IntoIterator<Item = &'a str>) -> Option<&'static str> {
    let rank = |w: &str| match w {
        "clear" | "white" => 0,
        "green" => 1,
        "amber" => 2,
        "amber+strict" => 3,
        _ => 4,
    };
    let mut best: Option<&'static str> = None;
    for r in marking_refs {
        let word = TLP1
            .iter()
            .chain(TLP2)
            .find(|(id, _)| *id == r)
            .map(|(_, w)| *w);
        if let Some(w) = word {
            let w: &'static str = if w == "white" { "clear" } else { w };
            if best.is_none_or(|b| rank(w) > rank(b)) {
                best = Some(w);
            }
        }
    }
    best
}
