//! Writing files without ever leaving a half-written one: write a temporary file in the same
//! folder, flush it to disk, then rename it into place. Files are readable by their owner only.

use std::io::Write;
use std::path::Path;

use crate::error::Error;

/// Writes `contents` to `path` atomically; refuses to replace an existing file unless `force`.
pub fn write_atomic(path: &Path, contents: &[u8], force: bool) -> Result<(), Error> {
    let mut file = AtomicFile::create(path, force)?;
    file.write_all(contents).map_err(|source| Error::Write {
        path: path.to_path_buf(),
        source,
    })?;
    file.commit()
}

/// A file being written: a temporary file beside the target, renamed into place by
/// [`AtomicFile::commit`]. Dropped without a commit, it leaves no trace.
pub struct AtomicFile {
    path: std::path::PathBuf,
    force: bool,
    tmp: tempfile::NamedTempFile,
}

impl AtomicFile {
    /// Starts writing `path`; refuses at once if it exists and `force` is not given.
    pub fn create(path: &Path, force: bool) -> Result<AtomicFile, Error> {
        if path.exists() && !force {
            return Err(Error::Exists {
                path: path.to_path_buf(),
            });
        }
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        // tempfile creates the file with mode 0600 on Unix.
        let tmp = tempfile::Builder::new()
            .prefix(".mend-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|source| Error::Write {
                path: path.to_path_buf(),
                source,
            })?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            force,
            tmp,
        })
    }

    /// Flushes the data to disk and renames the file into place.
    pub fn commit(self) -> Result<(), Error> {
        let write_err = |source| Error::Write {
            path: self.path.clone(),
            source,
        };
        self.tmp.as_file().sync_all().map_err(write_err)?;
        let persisted = if self.force {
            self.tmp.persist(&self.path)
        } else {
            self.tmp.persist_noclobber(&self.path)
        };
        persisted.map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                Error::Exists {
                    path: self.path.clone(),
                }
            } else {
                Error::Write {
                    path: self.path.clone(),
                    source: e.error,
                }
            }
        })?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.tmp.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.tmp.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_overwrite_without_force_and_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        write_atomic(&path, b"one", false).unwrap();
        let err = write_atomic(&path, b"two", false).unwrap_err();
        assert!(matches!(err, Error::Exists { .. }));
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        write_atomic(&path, b"two", true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }

    #[cfg(unix)]
    #[test]
    fn files_are_private_to_their_owner() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.md");
        write_atomic(&path, b"x", false).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
