//! Embeds a copy of `rules/` in the binary, so `kzcheck` works from anywhere.
use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut files = Vec::new();
    for name in ["lexicon.yaml", "entities.yaml", "story.yaml"] {
        files.push(name.to_string());
    }
    let claims = root.join("claims");
    println!("cargo:rerun-if-changed={}", claims.display());
    let mut claim_files: Vec<String> = std::fs::read_dir(&claims)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
                .collect()
        })
        .unwrap_or_default();
    claim_files.sort();
    files.extend(claim_files.into_iter().map(|n| format!("claims/{n}")));
    let mut out = String::from("&[\n");
    for f in &files {
        let path = root.join(f);
        println!("cargo:rerun-if-changed={}", path.display());
        if path.exists() {
            writeln!(
                out,
                "    ({f:?}, include_str!({:?})),",
                path.display().to_string()
            )
            .unwrap();
        }
    }
    out.push(']');
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin_rules.rs");
    std::fs::write(dest, out).unwrap();
}
