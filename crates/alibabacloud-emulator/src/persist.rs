//! A state file: the data set, saved after every write that changed it, so that state lasts
//! from one run to the next (`alicloud --emulator`, `alibabacloud-emulator --state`), and
//! shared by every emulator using the same file at the same time.
//!
//! * **Atomic saves.** A save writes a temporary file beside the state file
//!   (`.<name>.<pid>.<n>.tmp`) and renames it over the old one, so the file on disk is
//!   always either the previous state or the new one, whole, even if the process is killed
//!   mid-write. A process killed between the two steps leaves its temporary file behind:
//!   the next emulator to open the state file removes every such file of it (only names of
//!   that pattern, beside that file).
//! * **One writer at a time, on fresh data.** A lock file beside the state file
//!   (`.<name>.lock`, an advisory whole-file lock: `flock` on Unix, `LockFileEx` on
//!   Windows) is held exclusively through each write — re-read the state file if another
//!   process changed it, apply the write, save — and shared while a read checks for such a
//!   change. So writes of concurrent processes (`alicloud --emulator` run K times at once,
//!   or two `alibabacloud-emulator --state FILE`) are serialised, each applied to the data
//!   the previous one saved, and IDs stay unique.
//! * **Change detection.** The lock file holds the number of saves made under it (8
//!   bytes, big-endian); with the state file's length and modification time it tells a
//!   process whether the file changed since it last read or wrote it.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use crate::data::DataSet;

/// Where the state lives.
#[derive(Debug)]
pub(crate) struct StateFile {
    path: PathBuf,
    lock_path: PathBuf,
    /// What the file was when this process last read or wrote it.
    seen: Mutex<Option<Stamp>>,
}

/// What tells one version of the state file from another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    /// Saves made under the lock file.
    saves: u64,
    len: u64,
    modified: Option<SystemTime>,
}

/// The open lock file; [`StateFile::exclusive`] and [`StateFile::shared`] lock it.
pub(crate) type LockFile = fd_lock::RwLock<File>;

impl StateFile {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let lock_path = path.with_file_name(format!(".{}.lock", file_name(&path)));
        Self {
            path,
            lock_path,
            seen: Mutex::new(None),
        }
    }

    #[cfg(test)]
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn dir(&self) -> &Path {
        match self.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        }
    }

    /// Opens the lock file (creating it and the directory if needed), not locked yet.
    pub fn lock_file(&self) -> io::Result<LockFile> {
        std::fs::create_dir_all(self.dir())?;
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&self.lock_path)
            .map_err(|e| self.error("cannot open the lock file", e))?;
        Ok(fd_lock::RwLock::new(file))
    }

    /// At start, under the exclusive lock: removes the temporary files interrupted saves
    /// left behind, then reads the stored data set, or saves `initial` when there is none
    /// yet. The data set to serve, and whether it came from the file.
    pub fn open(&self, initial: impl FnOnce() -> DataSet) -> io::Result<(DataSet, bool)> {
        let mut lock = self.lock_file()?;
        let mut guard = lock.write()?;
        self.remove_stale_temporaries();
        if self.path.exists() {
            let data = self.read()?;
            self.remember(saves(&guard)?)?;
            Ok((data, true))
        } else {
            let data = initial();
            self.save(&mut guard, &data)?;
            Ok((data, false))
        }
    }

    /// Under a lock: the stored data set if the file changed since this process last read
    /// or wrote it.
    pub fn changed(&self, lock: &File) -> io::Result<Option<DataSet>> {
        let stamp = self.stamp(saves(lock)?)?;
        let seen = *self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen == Some(stamp) || !self.path.exists() {
            return Ok(None);
        }
        let data = self.read()?;
        *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = Some(stamp);
        Ok(Some(data))
    }

    /// Under the exclusive lock: saves `data` atomically and counts the save in the lock
    /// file.
    pub fn save(&self, lock: &mut File, data: &DataSet) -> io::Result<()> {
        self.write_atomically(data)
            .map_err(|e| self.error("cannot save", e))?;
        let count = saves(lock)?.wrapping_add(1);
        lock.seek(SeekFrom::Start(0))?;
        lock.write_all(&count.to_be_bytes())?;
        lock.flush()?;
        self.remember(count)
    }

    fn read(&self) -> io::Result<DataSet> {
        DataSet::from_json_file(&self.path)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))
    }

    fn remember(&self, saves: u64) -> io::Result<()> {
        let stamp = self.stamp(saves)?;
        *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = Some(stamp);
        Ok(())
    }

    fn stamp(&self, saves: u64) -> io::Result<Stamp> {
        match std::fs::metadata(&self.path) {
            Ok(meta) => Ok(Stamp {
                saves,
                len: meta.len(),
                modified: meta.modified().ok(),
            }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Stamp {
                saves,
                len: 0,
                modified: None,
            }),
            Err(e) => Err(self.error("cannot read", e)),
        }
    }

    fn write_atomically(&self, data: &DataSet) -> io::Result<()> {
        // A name of this save's own beside the file (process and a counter: concurrent
        // saves never share one); the rename is the one atomic step.
        static SAVES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let save = SAVES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let temp = self.dir().join(format!(
            ".{}.{}.{save}.tmp",
            file_name(&self.path),
            std::process::id()
        ));
        let written = File::create(&temp).and_then(|mut file| {
            file.write_all(data.to_json().as_bytes())?;
            file.sync_all()
        });
        match written.and_then(|()| std::fs::rename(&temp, &self.path)) {
            Ok(()) => Ok(()),
            Err(e) => {
                let _ = std::fs::remove_file(&temp);
                Err(e)
            }
        }
    }

    /// Removes `.<name>.<digits>.<digits>.tmp` beside the state file: what a save killed
    /// between writing and renaming leaves. Called under the exclusive lock, when no save
    /// is under way.
    fn remove_stale_temporaries(&self) {
        let Ok(entries) = std::fs::read_dir(self.dir()) else {
            return;
        };
        let name = file_name(&self.path);
        for entry in entries.flatten() {
            let file = entry.file_name();
            if is_temporary_of(&name, &file.to_string_lossy()) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    fn error(&self, what: &str, e: io::Error) -> io::Error {
        io::Error::new(e.kind(), format!("{what} {}: {e}", self.path.display()))
    }
}

/// The name of the file itself.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Whether `candidate` is a temporary file of a save of the state file `name`.
fn is_temporary_of(name: &str, candidate: &str) -> bool {
    let Some(middle) = candidate
        .strip_prefix('.')
        .and_then(|c| c.strip_prefix(name))
        .and_then(|c| c.strip_prefix('.'))
        .and_then(|c| c.strip_suffix(".tmp"))
    else {
        return false;
    };
    let mut parts = middle.split('.');
    let digits =
        |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    digits(parts.next()) && digits(parts.next()) && parts.next().is_none()
}

/// The number of saves the lock file counts.
fn saves(mut lock: &File) -> io::Result<u64> {
    let mut bytes = [0u8; 8];
    lock.seek(SeekFrom::Start(0))?;
    let mut read = 0;
    while read < bytes.len() {
        match lock.read(&mut bytes[read..])? {
            0 => break,
            n => read += n,
        }
    }
    Ok(if read == bytes.len() {
        u64::from_be_bytes(bytes)
    } else {
        0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_and_loads_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let file = StateFile::new(dir.path().join("nested/state.json"));
        let data = DataSet {
            account_id: "42".into(),
            ..DataSet::default()
        };
        let (opened, stored) = file.open(|| data.clone()).unwrap();
        assert!(!stored);
        assert_eq!(opened, data);
        assert_eq!(file.read().unwrap(), data);
        // Beside the state file only its lock file: no temporary files.
        let mut names: Vec<_> = std::fs::read_dir(dir.path().join("nested"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [".state.json.lock", "state.json"]);
        std::fs::write(file.path(), "{ not json").unwrap();
        assert_eq!(file.read().unwrap_err().kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn a_change_by_another_writer_is_seen_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let ours = StateFile::new(&path);
        let theirs = StateFile::new(&path);
        ours.open(DataSet::default).unwrap();
        theirs.open(DataSet::default).unwrap();
        let lock = ours.lock_file().unwrap();
        assert!(ours.changed(&lock.read().unwrap()).unwrap().is_none());

        let changed = DataSet {
            account_id: "7".into(),
            ..DataSet::default()
        };
        let mut lock = theirs.lock_file().unwrap();
        theirs.save(&mut lock.write().unwrap(), &changed).unwrap();
        let lock = ours.lock_file().unwrap();
        let guard = lock.read().unwrap();
        assert_eq!(ours.changed(&guard).unwrap(), Some(changed));
        assert_eq!(ours.changed(&guard).unwrap(), None);
    }

    #[test]
    fn only_temporary_files_of_the_state_file_match() {
        assert!(is_temporary_of("state.json", ".state.json.123.4.tmp"));
        assert!(!is_temporary_of("state.json", ".state.json.lock"));
        assert!(!is_temporary_of("state.json", ".other.json.123.4.tmp"));
        assert!(!is_temporary_of("state.json", ".state.json.12x.4.tmp"));
        assert!(!is_temporary_of("state.json", ".state.json.1.2.3.tmp"));
        assert!(!is_temporary_of("state.json", "state.json.1.2.tmp"));
        assert!(!is_temporary_of("state.json", ".state.json..2.tmp"));
    }
}
