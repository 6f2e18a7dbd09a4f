//! WAL checkpoints on a background thread instead of inside the writer's commit.
//!
//! In WAL mode every commit appends pages to the `-wal` file, and a checkpoint copies them back into
//! the database file. SQLite's automatic checkpoint runs inside the commit that crosses the
//! threshold, so one sync page in a few paid for copying and syncing 16 MB: a fifth of the batch
//! upsert time. Here the writer's commit only notices the WAL has grown and wakes a thread with its
//! own connection, which runs a PASSIVE checkpoint (it never blocks the writer or readers) while the
//! writer goes on with the next page. SQLite's documentation suggests exactly this split.
//!
//! A WAL is only restarted from its beginning when a write starts after everything in it has been
//! copied back. Should that not happen (commits back to back, a starved core, a reader pinning an
//! old snapshot), the writer checkpoints itself once the WAL passes [`Thresholds::writer`], so the
//! file stays bounded.

use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;

use rusqlite::wal::CheckpointMode;
use rusqlite::Connection;

use crate::error::Result;

/// WAL sizes, in pages (4 KB), that trigger checkpoints.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Thresholds {
    /// The background thread is woken. 16 MB, as the automatic checkpoint was configured before:
    /// smaller means more, shorter checkpoints, each with a sync.
    pub background: i32,
    /// The writer stops relying on the thread and checkpoints inside its commit. Only reached when
    /// commits follow each other too closely for the WAL to be restarted between them (a bulk load
    /// with no network wait between pages).
    pub writer: i32,
}

impl Thresholds {
    pub(crate) const DEFAULT: Thresholds = Thresholds {
        background: 4000,
        writer: 8000,
    };
}

/// Owns the checkpoint thread; dropping it stops the thread and waits for a checkpoint in progress.
pub(crate) struct Checkpointer {
    signal: Arc<Signal>,
    thread: Option<JoinHandle<()>>,
}

#[derive(Default)]
struct Signal {
    state: Mutex<Wanted>,
    changed: Condvar,
}

#[derive(Default)]
struct Wanted {
    checkpoint: bool,
    /// The thread is checkpointing now.
    running: bool,
    stop: bool,
}

impl Signal {
    fn set(&self, update: impl FnOnce(&mut Wanted)) {
        // The state is a few flags; a panic elsewhere cannot leave them inconsistent.
        let mut wanted = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        update(&mut wanted);
        // All: the thread and (in tests) someone waiting for it to go idle share the condvar.
        self.changed.notify_all();
    }

    /// Blocks until a checkpoint or a stop is wanted; true for a checkpoint, which is then running.
    fn wait(&self) -> bool {
        let mut wanted = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while !wanted.checkpoint && !wanted.stop {
            wanted = self
                .changed
                .wait(wanted)
                .unwrap_or_else(PoisonError::into_inner);
        }
        let checkpoint = !wanted.stop;
        wanted.checkpoint = false;
        wanted.running = checkpoint;
        checkpoint
    }

    /// Blocks until no checkpoint is wanted or running.
    #[cfg(test)]
    fn wait_idle(&self) {
        let mut wanted = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while wanted.checkpoint || wanted.running {
            wanted = self
                .changed
                .wait(wanted)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl Checkpointer {
    /// Starts the thread with its own connection to `path`, and hooks `writer`'s commits to it
    /// (which also turns off the writer's automatic checkpoint). None when no thread can be started:
    /// the writer then keeps SQLite's automatic checkpoint.
    pub(crate) fn start(
        path: &Path,
        writer: &mut Connection,
        thresholds: Thresholds,
    ) -> Result<Option<Checkpointer>> {
        let conn = super::open_checkpointer(path)?;
        let signal = Arc::new(Signal::default());
        let spawned = {
            let signal = Arc::clone(&signal);
            std::thread::Builder::new()
                .name("teng-checkpoint".into())
                .spawn(move || {
                    while signal.wait() {
                        // Best effort: a checkpoint that cannot finish now (a reader on an old
                        // snapshot, another checkpoint) is retried after a later commit, and the
                        // writer's own fallback bounds the WAL meanwhile.
                        let _ = conn.wal_checkpoint_v2(None::<&str>, CheckpointMode::PASSIVE);
                        signal.set(|wanted| wanted.running = false);
                    }
                })
        };
        let Ok(thread) = spawned else {
            return Ok(None);
        };
        let hook_signal = Arc::clone(&signal);
        writer.wal_hook(Some(move |wal: &mut rusqlite::hooks::Wal, pages| {
            if pages >= thresholds.writer {
                // RESTART so the next commit starts the WAL from its beginning again. Busy while
                // the thread is copying: then the next commit tries again.
                let _ = wal.checkpoint_v2(CheckpointMode::RESTART);
            } else if pages >= thresholds.background {
                hook_signal.set(|wanted| wanted.checkpoint = true);
            }
            Ok(())
        }))?;
        Ok(Some(Checkpointer {
            signal,
            thread: Some(thread),
        }))
    }
}

#[cfg(test)]
impl Checkpointer {
    /// Waits until the thread has done the checkpoints asked of it so far.
    fn wait_idle(&self) {
        self.signal.wait_idle();
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.signal.set(|wanted| wanted.stop = true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use rusqlite::Connection;

    use super::*;

    /// Writes `commits` transactions of about 20 pages each, calling `between` after each, and
    /// returns the largest WAL file seen.
    fn write_and_watch_wal(
        path: &Path,
        writer: &Connection,
        commits: usize,
        between: impl Fn(),
    ) -> u64 {
        writer
            .execute_batch("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, data BLOB)")
            .unwrap();
        let wal = path.with_extension("db-wal");
        let mut largest = 0;
        for _ in 0..commits {
            writer
                .execute_batch(
                    "BEGIN;
                     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20)
                     INSERT INTO t (data) SELECT randomblob(4000) FROM n;
                     COMMIT;",
                )
                .unwrap();
            largest = largest.max(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0));
            between();
        }
        largest
    }

    fn open(path: &Path) -> Connection {
        let conn = super::super::open_writer(path).unwrap();
        // Nothing else checkpoints: the automatic checkpoint is off, as the hook would turn it off.
        conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
        conn
    }

    const WAL_PAGE: u64 = 4096 + 24;

    #[test]
    fn without_checkpoints_the_wal_grows_with_every_commit() {
        // The control for the tests below: 100 commits of ~20 pages leave ~2000 pages in the WAL.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let conn = open(&path);
        let largest = write_and_watch_wal(&path, &conn, 100, || ());
        assert!(
            largest > 1500 * WAL_PAGE,
            "WAL reached only {largest} bytes"
        );
    }

    #[test]
    fn the_background_thread_keeps_the_wal_small_when_commits_leave_it_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let mut conn = open(&path);
        let thresholds = Thresholds {
            background: 100,
            writer: i32::MAX, // only the thread checkpoints
        };
        let checkpointer = Checkpointer::start(&path, &mut conn, thresholds)
            .unwrap()
            .expect("thread started");
        // After each commit, wait for the checkpoint it may have asked for, as the pause between
        // two sync pages (a network round trip) gives the thread time to finish.
        let largest = write_and_watch_wal(&path, &conn, 100, || checkpointer.wait_idle());
        assert!(
            largest < 400 * WAL_PAGE,
            "WAL reached {largest} bytes with checkpoints every 100 pages"
        );
        drop(checkpointer);
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 2000);
    }

    #[test]
    fn the_writer_bounds_the_wal_when_commits_come_back_to_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let mut conn = open(&path);
        let thresholds = Thresholds {
            background: i32::MAX, // the thread is never woken
            writer: 200,
        };
        let _checkpointer = Checkpointer::start(&path, &mut conn, thresholds)
            .unwrap()
            .expect("thread started");
        let largest = write_and_watch_wal(&path, &conn, 100, || ());
        assert!(
            largest < 300 * WAL_PAGE,
            "WAL reached {largest} bytes with the writer checkpointing at 200 pages"
        );
    }

    #[test]
    fn data_written_while_checkpointing_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        {
            let mut conn = open(&path);
            let thresholds = Thresholds {
                background: 50,
                writer: 400,
            };
            let _checkpointer = Checkpointer::start(&path, &mut conn, thresholds)
                .unwrap()
                .expect("thread started");
            write_and_watch_wal(&path, &conn, 60, || ());
        }
        let conn = Connection::open(&path).unwrap();
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 1200);
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
    }
}
