//! A state file: the data set, saved after every write that changed it, so that state lasts
//! from one run to the next (`alicloud --emulator`, `alibabacloud-emulator --state`).
//!
//! A save writes a temporary file beside the state file and renames it over the old one,
//! so the file on disk is always either the previous state or the new one, whole, even if
//! the process is killed mid-write.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::data::DataSet;

/// Where the state lives.
#[derive(Clone, Debug)]
pub(crate) struct StateFile {
    path: PathBuf,
}

impl StateFile {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The stored data set, or `None` when the file does not exist yet.
    pub fn load(&self) -> io::Result<Option<DataSet>> {
        if !self.path.exists() {
            return Ok(None);
        }
        DataSet::from_json_file(&self.path)
            .map(Some)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))
    }

    /// Saves `data` atomically (creating the directory if needed).
    pub fn save(&self, data: &DataSet) -> io::Result<()> {
        let dir = match self.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(dir)?;
        // A name of this save's own beside the file (process and a counter: concurrent
        // saves never share one); the rename is the one atomic step.
        static SAVES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let save = SAVES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = dir.join(format!(".{name}.{}.{save}.tmp", std::process::id()));
        let written = std::fs::File::create(&temp).and_then(|mut file| {
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

    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_and_loads_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let file = StateFile::new(dir.path().join("nested/state.json"));
        assert!(file.load().unwrap().is_none());
        let data = DataSet {
            account_id: "42".into(),
            ..DataSet::default()
        };
        file.save(&data).unwrap();
        assert_eq!(file.load().unwrap().unwrap(), data);
        // Only the state file is left in the directory: no temporary files.
        let names: Vec<_> = std::fs::read_dir(dir.path().join("nested"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["state.json"]);
        std::fs::write(file.path(), "{ not json").unwrap();
        assert_eq!(file.load().unwrap_err().kind(), io::ErrorKind::InvalidData);
    }
}
