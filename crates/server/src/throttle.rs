//! Login throttling: failed logins slow down further guesses with growing
//! delays, per account *and* address, so that one classmate's mistakes
//! never lock out another (the whole class may share one address behind a
//! NAT or a proxy). An account guessed at from many addresses, or an
//! address guessing many accounts, is slowed too, at higher thresholds.
//!
//! A check reserves the attempt before the password is verified, in one
//! step under one lock, so a burst of concurrent guesses cannot slip
//! through between the check and the record. Failures live in a bounded
//! cache: a flood of invented names evicts old entries, it cannot grow the
//! server. An instructor can clear an account's failures.
//!
//! This module decides; it does not read requests or passwords.

use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Free failures for one account from one address before delays start.
const FREE_PAIR_FAILURES: u32 = 3;
/// Free failures for one account across every address.
const FREE_ACCOUNT_FAILURES: u32 = 20;
/// Free failures from one address across every account (a class behind
/// one NAT mistyping now and then).
const FREE_ADDRESS_FAILURES: u32 = 50;
/// The longest delay between two guesses.
const MAX_DELAY: Duration = Duration::from_secs(300);
/// Failures older than this are forgotten.
const FORGET_AFTER: Duration = Duration::from_secs(3600);
/// How many keys the throttle remembers at most.
const REMEMBERED_KEYS: usize = 10_000;
/// Names longer than this are no account's (logins are at most 32
/// characters): refused before they are remembered.
pub const LONGEST_NAME: usize = 64;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

/// What a login attempt is counted under.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Pair(String, IpAddr),
    Account(String),
    Address(IpAddr),
}

impl Key {
    fn free(&self) -> u32 {
        match self {
            Key::Pair(..) => FREE_PAIR_FAILURES,
            Key::Account(_) => FREE_ACCOUNT_FAILURES,
            Key::Address(_) => FREE_ADDRESS_FAILURES,
        }
    }
}

/// The delay after `count` failures when `free` are free: 1 s, 2 s, 4 s...
/// up to [`MAX_DELAY`].
fn delay(count: u32, free: u32) -> Duration {
    if count < free {
        return Duration::ZERO;
    }
    let doublings = (count - free).min(16);
    Duration::from_secs(1u64 << doublings).min(MAX_DELAY)
}

/// Why an attempt must wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wait(pub Duration);

/// The attempt being made: pass it back with its outcome.
#[derive(Debug)]
pub struct Attempt {
    keys: [Key; 3],
}

pub struct LoginThrottle {
    failures: quick_cache::sync::Cache<Key, Failures>,
    /// Makes check-and-reserve one step.
    lock: Mutex<()>,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle {
            failures: quick_cache::sync::Cache::new(REMEMBERED_KEYS),
            lock: Mutex::new(()),
        }
    }
}

impl LoginThrottle {
    /// Checks and reserves an attempt for `name` from `address`: refused
    /// with the time to wait while any of its keys is slowed down; else
    /// counted as a failure until [`LoginThrottle::succeeded`] says
    /// otherwise.
    pub fn begin(&self, name: &str, address: IpAddr) -> Result<Attempt, Wait> {
        self.begin_at(name, address, Instant::now())
    }

    fn begin_at(&self, name: &str, address: IpAddr, now: Instant) -> Result<Attempt, Wait> {
        let name = name.trim().to_lowercase();
        let keys = [
            Key::Pair(name.clone(), address),
            Key::Account(name),
            Key::Address(address),
        ];
        let _guard = match self.lock.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let mut longest = Duration::ZERO;
        for key in &keys {
            if let Some(failures) = self.failures.get(key) {
                if now.duration_since(failures.last) > FORGET_AFTER {
                    self.failures.remove(key);
                    continue;
                }
                let ready = failures.last + delay(failures.count, key.free());
                longest = longest.max(ready.saturating_duration_since(now));
            }
        }
        if !longest.is_zero() {
            return Err(Wait(longest));
        }
        for key in &keys {
            let count = self.failures.get(key).map_or(0, |failures| failures.count);
            self.failures.insert(
                key.clone(),
                Failures {
                    count: count.saturating_add(1),
                    last: now,
                },
            );
        }
        Ok(Attempt { keys })
    }

    /// The password was right: the attempt was no failure, and the account
    /// starts afresh from this address.
    pub fn succeeded(&self, attempt: Attempt) {
        let _guard = match self.lock.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let [pair, account, address] = attempt.keys;
        self.failures.remove(&pair);
        for key in [account, address] {
            if let Some(mut failures) = self.failures.get(&key) {
                failures.count = failures.count.saturating_sub(1);
                self.failures.insert(key, failures);
            }
        }
    }

    /// Clears an account's failures, from every address (the instructor's
    /// unlock).
    pub fn unlock(&self, name: &str) {
        let name = name.trim().to_lowercase();
        let _guard = match self.lock.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        self.failures.retain(|key, _| match key {
            Key::Pair(account, _) | Key::Account(account) => *account != name,
            Key::Address(_) => true,
        });
    }

    /// Accounts slowed down now, with their failure counts.
    pub fn slowed_accounts(&self) -> Vec<(String, u32)> {
        let now = Instant::now();
        let mut accounts: Vec<(String, u32)> = self
            .failures
            .iter()
            .filter_map(|(key, failures)| match key {
                Key::Pair(name, _) | Key::Account(name)
                    if failures.last + delay(failures.count, key.free()) > now =>
                {
                    Some((name, failures.count))
                }
                _ => None,
            })
            .collect();
        accounts.sort();
        accounts.dedup_by(|a, b| a.0 == b.0);
        accounts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(last: u8) -> IpAddr {
        IpAddr::from([10, 0, 0, last])
    }

    #[test]
    fn delays_grow_after_the_free_failures() {
        assert_eq!(delay(2, 3), Duration::ZERO);
        assert_eq!(delay(3, 3), Duration::from_secs(1));
        assert_eq!(delay(5, 3), Duration::from_secs(4));
        assert_eq!(delay(40, 3), MAX_DELAY);
    }

    #[test]
    fn one_classmates_mistakes_never_slow_another() {
        let throttle = LoginThrottle::default();
        let now = Instant::now();
        for _ in 0..3 {
            assert!(throttle.begin_at("alice", address(1), now).is_ok());
        }
        assert!(throttle.begin_at("alice", address(1), now).is_err());
        // The instructor and Bob, behind the same address, are not slowed.
        assert!(throttle.begin_at("claire", address(1), now).is_ok());
        assert!(throttle.begin_at("bob", address(1), now).is_ok());
        // Nor is Alice from another address.
        assert!(throttle.begin_at("alice", address(2), now).is_ok());
        // A second later Alice may try again from the first.
        let later = now + Duration::from_secs(1);
        assert!(throttle.begin_at("alice", address(1), later).is_ok());
    }

    #[test]
    fn a_burst_of_concurrent_guesses_is_evaluated_only_up_to_the_free_ones() {
        let throttle = LoginThrottle::default();
        let now = Instant::now();
        let allowed = (0..40)
            .filter(|_| throttle.begin_at("alice", address(9), now).is_ok())
            .count();
        assert_eq!(allowed, FREE_PAIR_FAILURES as usize);
    }

    #[test]
    fn success_clears_the_pair_and_unlock_clears_the_account() {
        let throttle = LoginThrottle::default();
        let now = Instant::now();
        for _ in 0..2 {
            let _ = throttle.begin_at("alice", address(1), now);
        }
        let attempt = throttle.begin_at("alice", address(1), now).expect("third");
        throttle.succeeded(attempt);
        assert!(throttle.begin_at("alice", address(1), now).is_ok());
        for _ in 0..5 {
            let _ = throttle.begin_at("alice", address(1), now);
        }
        assert_eq!(
            throttle
                .slowed_accounts()
                .first()
                .map(|(name, _)| name.as_str()),
            Some("alice")
        );
        throttle.unlock("Alice");
        assert!(throttle.begin_at("alice", address(1), now).is_ok());
    }

    #[test]
    fn invented_names_cannot_grow_the_memory() {
        let throttle = LoginThrottle::default();
        let now = Instant::now();
        for n in 0..30_000u32 {
            let _ = throttle.begin_at(&format!("name{n}"), address((n % 200) as u8), now);
        }
        assert!(throttle.failures.len() <= REMEMBERED_KEYS * 2);
    }
}
