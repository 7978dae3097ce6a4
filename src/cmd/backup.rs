//! `kioku backup` and `kioku restore`.

use super::fit::thousands;
use super::Context;
use crate::cli::{BackupArgs, RestoreArgs};
use crate::store::{self, Store};
use anyhow::{bail, Result};
use std::process::ExitCode;

pub fn backup(args: BackupArgs, ctx: &Context) -> Result<ExitCode> {
    if args.list {
        let found = store::list_backups(&ctx.db);
        if found.is_empty() {
            println!("no backups yet in {}", store::backup_dir(&ctx.db).display());
        }
        for path in found {
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            println!("{}  {:.1} MB", path.display(), size as f64 / 1e6);
        }
        return Ok(ExitCode::SUCCESS);
    }
    if !ctx.db.is_file() {
        bail!(
            "there is no database at {} to back up yet",
            ctx.db.display()
        );
    }
    let store = Store::open(&ctx.db)?;
    let path = match args.file {
        Some(file) => {
            if file.exists() {
                bail!("{} already exists; name a new file", file.display());
            }
            store.backup_to(&file)?;
            file
        }
        None => store.backup(ctx.now, "")?,
    };
    let reviews = store::verify(&path)?;
    println!(
        "backed up {} reviews to {} (integrity checked)",
        thousands(reviews as usize),
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn restore(args: RestoreArgs, ctx: &Context) -> Result<ExitCode> {
    let (reviews, kept) = store::restore(&args.file, &ctx.db, ctx.now)?;
    println!(
        "restored {} ({} reviews, integrity checked) as {}",
        args.file.display(),
        thousands(reviews as usize),
        ctx.db.display()
    );
    if let Some(kept) = kept {
        println!("the database it replaced is kept as {}", kept.display());
    }
    Ok(ExitCode::SUCCESS)
}
