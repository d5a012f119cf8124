//! One S3 event record: the object as it is now, its members written, kept or deleted.

use std::collections::{BTreeMap, BTreeSet};

use thumbprint_core::{ErrorCode, ENGINE_VERSION};

use super::names::{is_member_of, key_for_metadata, member_key, options_label, stem};
use super::UploadConfig;
use crate::fetch::MAX_SOURCE_BYTES;
use crate::http::App;
use crate::request::Source;
use crate::s3::NewObject;
use crate::ServiceError;

/// Metadata names of a member (`x-amz-meta-` is added on the wire).
pub mod meta {
    /// The engine version that made it.
    pub const ENGINE: &str = "thumbprint-engine";
    /// Its strong ETag (the one `POST /thumbnail` gives the same bytes).
    pub const ETAG: &str = "thumbprint-etag";
    /// The source's key (percent-encoded): also marks the object as a member.
    pub const SOURCE_KEY: &str = "thumbprint-source-key";
    /// The source's ETag when it was made.
    pub const SOURCE_ETAG: &str = "thumbprint-source-etag";
    /// The options it was made for (space-separated when several give the same member).
    pub const OPTIONS: &str = "thumbprint-options";
}

/// What happened to an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// `ObjectCreated:*`.
    Created,
    /// `ObjectRemoved:*`.
    Removed,
}

/// A record of an S3 event, its key decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectEvent {
    /// Created or removed.
    pub kind: EventKind,
    /// The bucket.
    pub bucket: String,
    /// The key, decoded.
    pub key: String,
}

/// What a record came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Members written (and stale ones deleted); members that could not be made are counted.
    Written {
        /// The members' keys (sorted).
        keys: Vec<String>,
        /// Members written.
        written: usize,
        /// Members refused by the engine (logged with their code).
        refused: usize,
        /// Stale members deleted.
        deleted: usize,
    },
    /// The members (these keys) already hold this version of the object: nothing written.
    Unchanged(Vec<String>),
    /// Members of a deleted source deleted.
    Deleted(usize),
    /// Nothing to do, and why.
    Skipped(&'static str),
}

/// A member that exists: its key and metadata.
struct Existing {
    key: String,
    metadata: BTreeMap<String, String>,
}

impl App {
    /// Handles one record; an error is a failure of the whole record (the caller returns it to
    /// Lambda, whose retries and on-failure destination keep the event).
    pub async fn upload_record(
        &self,
        config: &UploadConfig,
        event: &ObjectEvent,
    ) -> Result<Outcome, ServiceError> {
        if event.bucket == config.dest_bucket && event.key.starts_with(&config.dest_prefix) {
            return Ok(Outcome::Skipped("under the destination prefix"));
        }
        if event.key.ends_with('/') {
            // The console's "create folder" writes an empty object named like a folder.
            return Ok(Outcome::Skipped("a folder marker"));
        }
        let head = config.s3.head(&event.bucket, &event.key).await?;
        match (event.kind, head) {
            (_, Some(head)) if head.metadata.contains_key(meta::SOURCE_KEY) => {
                Ok(Outcome::Skipped("the object is a thumbprint member"))
            }
            // Made or made again: the object as it is now (a removal that arrives after a newer
            // upload finds the object there).
            (_, Some(head)) => self.make_members(config, event, &head).await,
            (EventKind::Created, None) => Ok(Outcome::Skipped("the object is gone")),
            (EventKind::Removed, None) if !config.delete_members => {
                Ok(Outcome::Skipped("deleting members is not configured"))
            }
            (EventKind::Removed, None) => {
                let (members, _) = self.members_of(config, &event.key).await?;
                for m in &members {
                    config.s3.delete(&config.dest_bucket, &m.key).await?;
                }
                Ok(Outcome::Deleted(members.len()))
            }
        }
    }

    /// The members of `key` in the destination: keys of a member's shape whose metadata names
    /// `key` as their source; and the keys of that shape that are not (another source with the
    /// same stem, `a.png` beside `a.jpg`, or an object that is no member): names taken.
    async fn members_of(
        &self,
        config: &UploadConfig,
        key: &str,
    ) -> Result<(Vec<Existing>, BTreeSet<String>), ServiceError> {
        let prefix = format!("{}{}-", config.dest_prefix, stem(key));
        let wanted = key_for_metadata(key);
        let (mut found, mut taken) = (Vec::new(), BTreeSet::new());
        for candidate in config.s3.list(&config.dest_bucket, &prefix).await? {
            if !is_member_of(&config.dest_prefix, key, &candidate) {
                continue;
            }
            if let Some(head) = config.s3.head(&config.dest_bucket, &candidate).await? {
                if head.metadata.get(meta::SOURCE_KEY) == Some(&wanted) {
                    found.push(Existing {
                        key: candidate,
                        metadata: head.metadata,
                    });
                } else {
                    taken.insert(candidate);
                }
            }
        }
        Ok((found, taken))
    }

    async fn make_members(
        &self,
        config: &UploadConfig,
        event: &ObjectEvent,
        head: &crate::s3::ObjectHead,
    ) -> Result<Outcome, ServiceError> {
        if head.size > MAX_SOURCE_BYTES as u64 {
            return Err(ServiceError::new(ErrorCode::SourceTooLarge));
        }
        let (existing, taken) = self.members_of(config, &event.key).await?;
        let current = |m: &Existing| {
            m.metadata.get(meta::SOURCE_ETAG) == Some(&head.etag)
                && m.metadata.get(meta::ENGINE).map(String::as_str) == Some(ENGINE_VERSION)
        };
        let made_for: BTreeSet<String> = existing
            .iter()
            .filter(|m| current(m))
            .flat_map(|m| {
                m.metadata
                    .get(meta::OPTIONS)
                    .map(|o| o.split(' ').map(str::to_string).collect::<Vec<_>>())
                    .unwrap_or_default()
            })
            .collect();
        if config
            .sizes
            .iter()
            .all(|o| made_for.contains(&options_label(o)))
        {
            // The members of this set (others of this version, a backfill job's, stay unnamed).
            let wanted: BTreeSet<String> = config.sizes.iter().map(options_label).collect();
            let of_this_set = |m: &&Existing| {
                current(m)
                    && m.metadata
                        .get(meta::OPTIONS)
                        .is_some_and(|o| o.split(' ').any(|l| wanted.contains(l)))
            };
            let keys = existing.iter().filter(of_this_set).map(|m| m.key.clone());
            return Ok(Outcome::Unchanged(keys.collect()));
        }
        let bytes = config
            .s3
            .get_matching(&event.bucket, &event.key, &head.etag)
            .await?;
        let members = config.sizes.iter().map(|o| Ok(*o)).collect();
        let start = std::time::Instant::now();
        let results = self.run_set(Source::Bytes(bytes), members).await?;
        // The engine's share of the record (prechecks, the wait for a slot, the set).
        tracing::info!(
            engine_ms = start.elapsed().as_secs_f64() * 1000.0,
            "upload set made"
        );
        // Members by key: two options can give the same member (a small source in two boxes).
        let mut by_key: BTreeMap<String, (thumbprint_core::Thumbnail, Vec<String>)> =
            BTreeMap::new();
        let mut refused = 0;
        let mut first_error = None;
        for (options, result) in config.sizes.iter().zip(results) {
            match result {
                Ok(t) => {
                    let key =
                        member_key(&config.dest_prefix, &event.key, t.width, t.height, t.format);
                    by_key
                        .entry(key)
                        .or_insert_with(|| (t, Vec::new()))
                        .1
                        .push(options_label(options));
                }
                Err(e) => {
                    refused += 1;
                    first_error.get_or_insert_with(|| e.clone());
                    tracing::warn!(
                        code = e.code.as_str(),
                        options = %options_label(options),
                        "a member could not be made"
                    );
                }
            }
        }
        if let (true, Some(e)) = (by_key.is_empty(), first_error) {
            // Not one member: the record fails with the first member's reason.
            return Err(e);
        }
        // A name another source's member (or an object that is no member) holds is not
        // overwritten: the first source keeps it (the batch CLI refuses such a name too).
        for key in by_key.keys().filter(|k| taken.contains(*k)) {
            refused += 1;
            tracing::warn!(
                member = %key,
                "a member's name is taken by another source's member or an object that is no member: not written"
            );
        }
        by_key.retain(|k, _| !taken.contains(k));
        if by_key.is_empty() {
            return Ok(Outcome::Skipped(
                "every member's name is taken by another source",
            ));
        }
        let source_key = key_for_metadata(&event.key);
        let written = by_key.len();
        for (key, (t, labels)) in &by_key {
            let object = NewObject {
                body: t.bytes.clone(),
                content_type: t.mime(),
                cache_control: &config.cache_control,
                metadata: vec![
                    (meta::ENGINE, ENGINE_VERSION.to_string()),
                    (meta::ETAG, t.etag.clone()),
                    (meta::SOURCE_KEY, source_key.clone()),
                    (meta::SOURCE_ETAG, head.etag.clone()),
                    (meta::OPTIONS, labels.join(" ")),
                ],
            };
            config.s3.put(&config.dest_bucket, key, object).await?;
        }
        // Members of an older version that this one does not have (other dimensions). Members
        // of this version made for other options (a backfill job's own set) stay.
        let mut deleted = 0;
        let stale = |m: &&Existing| {
            !by_key.contains_key(&m.key) && m.metadata.get(meta::SOURCE_ETAG) != Some(&head.etag)
        };
        for m in existing.iter().filter(stale) {
            config.s3.delete(&config.dest_bucket, &m.key).await?;
            deleted += 1;
        }
        Ok(Outcome::Written {
            keys: by_key.into_keys().collect(),
            written,
            refused,
            deleted,
        })
    }
}
