//! `concord schema`: concord's STIX extension.

use super::Ctx;
use crate::exit;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the extension-definition object (with concord's identity) as a STIX bundle instead of the JSON schema.
    #[arg(long)]
    definition: bool,
}

pub fn run(_ctx: &Ctx, args: Args) -> anyhow::Result<i32> {
    use concord_stix::concord_ext;
    if args.definition {
        let bundle = serde_json::json!({
            "type": "bundle",
            "id": "bundle--5b7e1c2a-9d4f-4c1e-8a36-2f0d6c9b7e41",
            "objects": [concord_ext::identity(), concord_ext::extension_definition()]
        });
        println!("{}", serde_json::to_string_pretty(&bundle)?);
    } else {
        print!("{}", concord_ext::SCHEMA);
    }
    Ok(exit::OK)
}
