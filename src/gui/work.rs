//! Named background tasks: at most one per name, each on its own named thread, each able to
//! report progress and to be cancelled, and each repainting the window when it finishes.
//!
//! `poll_promise` panics on the UI thread when a task's thread dies without sending a value,
//! so every task body runs under `catch_unwind`: a bug in a task becomes an error message,
//! never a crashed window.

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use poll_promise::Promise;

/// What a task can see of its own state: how far it got and whether it should stop.
#[derive(Clone, Debug, Default)]
pub struct Progress {
    done: Arc<AtomicUsize>,
    cancelled: Arc<AtomicBool>,
    note: Arc<Mutex<String>>,
}

impl Progress {
    /// Records that `done` units of work are finished.
    pub fn set(&self, done: usize) {
        self.done.store(done, Ordering::Relaxed);
    }

    /// Units of work finished so far.
    pub fn done(&self) -> usize {
        self.done.load(Ordering::Relaxed)
    }

    /// Whether the user asked the task to stop.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// The cancel flag itself, for core functions that take one.
    pub fn cancel_flag(&self) -> &AtomicBool {
        &self.cancelled
    }

    /// What the task is doing right now, in a few words (`Waiting 2 s before retrying`).
    pub fn set_note(&self, note: impl Into<String>) {
        if let Ok(mut slot) = self.note.lock() {
            *slot = note.into();
        }
    }

    /// The cancel flag itself, for work that must watch it from another thread (an HTTP
    /// exchange abandoned on cancel).
    pub fn cancel_handle(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.cancelled)
    }

    fn note(&self) -> String {
        self.note.lock().map(|n| n.clone()).unwrap_or_default()
    }

    fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }
}

struct Task<T: Send + 'static> {
    label: String,
    total: usize,
    progress: Progress,
    promise: Promise<Result<T, String>>,
}

/// A running task, as the status bar shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskStatus {
    /// The task's name (its key).
    pub name: &'static str,

    /// What it does, for people: `Loading big.ndjson`.
    pub label: String,

    /// Units done and in total (0 total: unknown).
    pub done: usize,

    /// Units in total; 0 when unknown.
    pub total: usize,

    /// What it is doing right now; may be empty.
    pub note: String,

    /// A stop was asked for and the task is finishing.
    pub stopping: bool,
}

/// The registry of running tasks; `T` is what every task returns.
pub struct Tasks<T: Send + 'static> {
    running: BTreeMap<&'static str, Task<T>>,
}

impl<T: Send + 'static> Default for Tasks<T> {
    fn default() -> Self {
        Self {
            running: BTreeMap::new(),
        }
    }
}

impl<T: Send + 'static> Tasks<T> {
    /// Starts `work` on a thread named `pinspect-{name}`. A task already running under `name`
    /// is cancelled and forgotten: its result, if it ever comes, is dropped.
    pub fn spawn(
        &mut self,
        ctx: &egui::Context,
        name: &'static str,
        label: impl Into<String>,
        total: usize,
        work: impl FnOnce(&Progress) -> Result<T, String> + Send + 'static,
    ) {
        self.cancel(name);

        let progress = Progress::default();
        let task_progress = progress.clone();
        let ctx = ctx.clone();
        let promise = Promise::spawn_thread(format!("pinspect-{name}"), move || {
            let result = std::panic::catch_unwind(AssertUnwindSafe(|| work(&task_progress)))
                .unwrap_or_else(|_| {
                    Err(format!(
                        "the background task {name:?} failed unexpectedly; please report this"
                    ))
                });
            ctx.request_repaint();
            result
        });

        self.running.insert(
            name,
            Task {
                label: label.into(),
                total,
                progress,
                promise,
            },
        );
    }

    /// Asks the task `name` to stop and forgets it: its result is not wanted.
    pub fn cancel(&mut self, name: &str) {
        if let Some(task) = self.running.remove(name) {
            task.progress.cancel();
        }
    }

    /// Asks the task `name` to stop but keeps it, for tasks whose partial result matters
    /// (a send that already made some requests).
    pub fn request_stop(&self, name: &str) {
        if let Some(task) = self.running.get(name) {
            task.progress.cancel();
        }
    }

    /// Whether a task runs under `name`.
    pub fn is_running(&self, name: &str) -> bool {
        self.running.contains_key(name)
    }

    /// The finished tasks' results, removed from the registry.
    pub fn take_finished(&mut self) -> Vec<(&'static str, Result<T, String>)> {
        let finished: Vec<&'static str> = self
            .running
            .iter()
            .filter(|(_, task)| task.promise.ready().is_some())
            .map(|(name, _)| *name)
            .collect();

        let mut results = Vec::new();
        for name in finished {
            let Some(task) = self.running.remove(name) else {
                continue;
            };
            if let Ok(result) = task.promise.try_take() {
                results.push((name, result));
            }
        }
        results
    }

    /// The running tasks, for the progress display.
    pub fn statuses(&self) -> Vec<TaskStatus> {
        self.running
            .iter()
            .map(|(name, task)| TaskStatus {
                name,
                label: task.label.clone(),
                done: task.progress.done(),
                total: task.total,
                note: task.progress.note(),
                stopping: task.progress.is_cancelled(),
            })
            .collect()
    }

    /// Waits for every running task; for tests and for shutdown.
    pub fn wait_all(&self) {
        for task in self.running.values() {
            let _ = task.promise.block_until_ready();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_task_per_name_and_results_come_back() {
        let ctx = egui::Context::default();
        let mut tasks: Tasks<usize> = Tasks::default();
        tasks.spawn(&ctx, "sum", "Adding", 3, |progress| {
            progress.set(3);
            Ok(1 + 2)
        });
        assert!(tasks.is_running("sum"));
        tasks.wait_all();
        let finished = tasks.take_finished();
        assert_eq!(finished, vec![("sum", Ok(3))]);
        assert!(!tasks.is_running("sum"));
    }

    #[test]
    fn a_second_task_with_the_same_name_cancels_the_first() {
        let ctx = egui::Context::default();
        let mut tasks: Tasks<&'static str> = Tasks::default();
        let (release, wait) = std::sync::mpsc::sync_channel::<()>(0);
        tasks.spawn(&ctx, "job", "First", 0, move |progress| {
            let _ = wait.recv();
            Ok(if progress.is_cancelled() {
                "cancelled"
            } else {
                "finished"
            })
        });
        tasks.spawn(&ctx, "job", "Second", 0, |_| Ok("second"));
        assert_eq!(tasks.statuses().len(), 1);
        drop(release);
        tasks.wait_all();
        assert_eq!(tasks.take_finished(), vec![("job", Ok("second"))]);
    }

    #[test]
    fn a_panicking_task_becomes_an_error() {
        let ctx = egui::Context::default();
        let mut tasks: Tasks<()> = Tasks::default();
        tasks.spawn(&ctx, "boom", "Failing", 0, |_| {
            std::panic::panic_any("deliberate")
        });
        tasks.wait_all();
        let finished = tasks.take_finished();
        let Some((_, Err(message))) = finished.first() else {
            panic!("expected an error, got {finished:?}");
        };
        assert!(message.contains("failed unexpectedly"), "{message}");
    }
}
