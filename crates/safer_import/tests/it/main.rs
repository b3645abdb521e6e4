//! Imports of the real police.uk files and ONS lookups in `../shared/data`.

mod fuzz;
mod measures;
mod police_uk;
mod support;
