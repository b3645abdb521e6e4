//! `sqlx::migrate!` embeds the migrations when the crate compiles; without this, adding a
//! migration would not rebuild the crate.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
