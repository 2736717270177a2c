//! Helpers for the domain's unit tests: a deterministic `IdSource` and a tiny engine that applies
//! writes the way the real one does.

use crate::Result;
use crate::config::Limits;
use crate::ids::IdSource;
use crate::model::{Millis, State};
use crate::ops::{Ctx, Write, settle};

/// A linear congruential generator: deterministic and good enough to mint distinct IDs.
pub struct SeqIds(pub u64);

impl IdSource for SeqIds {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

pub struct World {
    pub state: State,
    pub ids: SeqIds,
    pub now: Millis,
    pub limits: Limits,
}

impl World {
    pub fn new() -> Self {
        World {
            state: State::default(),
            ids: SeqIds(7),
            now: 1_700_000_000_000,
            limits: Limits::default(),
        }
    }

    pub fn read<T>(&self, caller: &str, f: impl FnOnce(&Ctx) -> Result<T>) -> Result<T> {
        let cx = Ctx {
            state: &self.state,
            caller,
            now: self.now,
            limits: &self.limits,
        };
        f(&cx)
    }

    pub fn write<T>(
        &mut self,
        caller: &str,
        f: impl FnOnce(&Ctx, &mut SeqIds) -> Result<Write<T>>,
    ) -> Result<T> {
        let w = {
            let cx = Ctx {
                state: &self.state,
                caller,
                now: self.now,
                limits: &self.limits,
            };
            f(&cx, &mut self.ids)?
        };
        // The engine may decide a write on top of others and take them back before storing
        // them: applying a write's changes and undoing them must give back the same state.
        let before = self.state.clone();
        let undos: Vec<_> = (w.changes.iter().cloned())
            .map(|c| self.state.apply_undoable(c))
            .collect();
        undos.into_iter().rev().for_each(|u| self.state.undo(u));
        assert!(
            self.state.same_as(&before),
            "undoing a write changed the state"
        );
        for c in w.changes {
            self.state.apply(c);
        }
        self.state.assert_indexes_true();
        Ok(w.output)
    }

    /// Moves the clock and applies whatever became due.
    pub fn advance(&mut self, ms: Millis) {
        self.now += ms;
        for c in settle(&self.state, self.now, &self.limits) {
            self.state.apply(c);
        }
        self.state.assert_indexes_true();
    }
}

/// A policy to create with no description and no tags.
pub fn new_policy(
    policy_type: crate::policy::PolicyType,
    name: &str,
    content: &str,
) -> crate::ops::NewPolicy {
    crate::ops::NewPolicy {
        policy_type,
        name: name.to_string(),
        description: String::new(),
        content: content.to_string(),
        tags: vec![],
    }
}
