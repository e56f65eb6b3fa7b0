//! Finance: budgets that cover the simulated cost with a given confidence, and the
//! capacity (and so the lump sum) needed to meet a wait-norm target. [`pricing`] is the
//! one place that turns tariffs and yearly amounts into indexed euros (the simulation's
//! price table included); [`funding`] computes what each funding model pays;
//! [`savings`] compares strategies with a baseline; [`money`] holds [`money::Euros`].
//! These return rows; `report::finance_csv` writes them.

pub mod funding;
pub mod grant;
pub mod money;
pub use crate::model::pricing;
pub mod savings;
pub mod target;

use crate::experiment::{self, ExperimentError, Plan, Results};
use crate::model::Model;
use crate::stats::summary::{quantile_sorted, summarise};
use crate::stats::{LevelRef, Metric};
use crate::timeline::PeriodRef;
use money::Euros;

/// A budget per segment and year: the `confidence`-quantile of the simulated P×Q cost over
/// replications, with a distribution-free 95% interval for that quantile.
#[derive(Clone, Debug)]
pub struct Budget {
    pub segment: String,
    pub year: i16,
    pub budget: Euros,
    pub ci_low: Euros,
    pub ci_high: Euros,
    pub pxq_mean: Euros,
}

/// The order-statistic 95% interval of the `q`-quantile of sorted values (normal
/// approximation to the binomial ranks), or NaN bounds with too few values.
pub fn quantile_ci(sorted: &[f64], q: f64) -> (f64, f64) {
    let n = sorted.len() as f64;
    if sorted.len() < 2 {
        return (f64::NAN, f64::NAN);
    }
    let half = 1.96 * (n * q * (1.0 - q)).sqrt();
    let lo = (n * q - half).floor();
    let hi = (n * q + half).ceil();
    let at = |r: f64| {
        if r < 1.0 || r > n {
            f64::NAN
        } else {
            sorted[r as usize - 1]
        }
    };
    (at(lo), at(hi))
}

/// Budgets per segment (and `all`) and calendar year.
pub fn budgets(model: &Model, res: &Results, confidence: f64) -> Vec<Budget> {
    let tl = &model.timeline;
    let mut out = Vec::new();
    let levels = std::iter::once(("all".to_string(), LevelRef::All)).chain(
        model
            .segments
            .iter()
            .enumerate()
            .map(|(g, name)| (name.clone(), LevelRef::Segment(g))),
    );
    for (segment, level) in levels {
        for (y, (year, _)) in tl.years.iter().enumerate() {
            let mut v: Vec<f64> = res
                .per_rep(level, Metric::Cost, PeriodRef::Year(y))
                .iter()
                .copied()
                .filter(|x| x.is_finite())
                .collect();
            v.sort_by(f64::total_cmp);
            let (ci_low, ci_high) = quantile_ci(&v, confidence);
            out.push(Budget {
                segment: segment.clone(),
                year: *year,
                budget: Euros::new(quantile_sorted(&v, confidence)),
                ci_low: Euros::new(ci_low),
                ci_high: Euros::new(ci_high),
                pxq_mean: Euros::new(summarise(v.iter().copied(), &mut Vec::new()).mean),
            });
        }
    }
    out
}

/// Who carries an overrun of a budget, per segment, year and funding model: what the care
/// costs beyond the budget on average over replications, and how much of it falls on the
/// region and on the provider.
#[derive(Clone, Debug)]
pub struct Overrun {
    pub segment: String,
    pub year: i16,
    /// `pxq` (the region pays the care given, whatever the budget) or `taakgericht` (the
    /// budget as a lump sum, under the segment's contract if the scenario gives one).
    pub model: &'static str,
    /// Share of replications in which the care costs more than the budget.
    pub p_over: f64,
    /// Mean of the P×Q cost beyond the budget (0 in a replication below it).
    pub overrun: Euros,
    /// Mean of what the region pays beyond the budget.
    pub region: Euros,
    /// Mean of what the provider carries: the care it gives beyond what it is paid.
    pub provider: Euros,
}

/// Who carries an overrun of each budget of `budgets` (per segment and year; not the
/// region, `all`): under P×Q the region pays the whole overrun; paid the budget as a
/// taakgericht lump sum, the provider carries it, except what the segment's contract
/// (`corridor`, `settle_above`) has the region settle beyond the corridor.
pub fn overruns(model: &Model, res: &Results, budgets: &[Budget]) -> Vec<Overrun> {
    let mut out = Vec::new();
    for b in budgets.iter().filter(|b| b.segment != "all") {
        let Some(g) = model.segments.iter().position(|s| *s == b.segment) else {
            continue;
        };
        let Some(y) = model
            .timeline
            .years
            .iter()
            .position(|(yr, _)| *yr == b.year)
        else {
            continue;
        };
        let contract = model
            .finance
            .contracts
            .iter()
            .find(|(s, _)| s.0 as usize == g)
            .map(|(_, c)| *c)
            .unwrap_or(crate::model::Contract {
                corridor: f64::INFINITY,
                above: 0.0,
                below: 0.0,
                rebase_every: None,
            });
        let costs: Vec<f64> = res
            .per_rep(LevelRef::Segment(g), Metric::Cost, PeriodRef::Year(y))
            .iter()
            .copied()
            .filter(|x| x.is_finite())
            .collect();
        let budget = b.budget.value();
        if costs.is_empty() || !budget.is_finite() {
            continue;
        }
        let n = costs.len() as f64;
        let mean = |f: &dyn Fn(f64) -> f64| costs.iter().map(|c| f(*c)).sum::<f64>() / n;
        let p_over = mean(&|c| if c > budget { 1.0 } else { 0.0 });
        let overrun = mean(&|c| (c - budget).max(0.0));
        out.push(Overrun {
            segment: b.segment.clone(),
            year: b.year,
            model: "pxq",
            p_over,
            overrun: Euros::new(overrun),
            region: Euros::new(overrun),
            provider: Euros::ZERO,
        });
        let region = mean(&|c| (funding::settle(budget, c, &contract) - budget).max(0.0));
        let provider = mean(&|c| (c - funding::settle(budget, c, &contract)).max(0.0));
        out.push(Overrun {
            segment: b.segment.clone(),
            year: b.year,
            model: "taakgericht",
            p_over,
            overrun: Euros::new(overrun),
            region: Euros::new(region),
            provider: Euros::new(provider),
        });
    }
    out
}

/// The largest factor of a service's own capacity schedule the search tries.
const MAX_FACTOR: f64 = 2.0;

/// Experiments of the capacity search per group of services searched together. The main
/// run gives 100% for free; the first experiment tries 200% for a service short at 100%
/// (and halves the bracket of one that reaches the target there), the other six halve
/// every bracket: each service's factor to 1/64 of [100%, 200%] (1.6 percentage points) or
/// 1/128 of [least, 100%].
pub const SEARCH_STEPS: u32 = 7;

/// How the capacity search treats the services it sizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sizing {
    /// Every searched service bisected in the same experiments, each judged on its own
    /// share within the norm: [`SEARCH_STEPS`] experiments in all (what `budget` does).
    Together,
    /// One service at a time, the others at their own schedule: [`SEARCH_STEPS`]
    /// experiments per service (the reference `Together` is checked against).
    Alone,
}

/// Whether the capacity search sizes service `s`: it has a capacity (not staff), a norm
/// and a tariff.
fn searched(model: &Model, s: usize) -> bool {
    let svc = &model.services[s];
    svc.capacity.is_some()
        && svc.norm.is_some()
        && svc.tariff.is_some()
        && svc.staff.is_none()
        && svc.open_ended.is_none()
}

/// Replications the capacity search runs with `plan` (for a progress bar): exactly what
/// [`capacity_needs`] runs, whatever it finds.
pub fn capacity_search_replications(model: &Model, plan: Plan, sizing: Sizing) -> u64 {
    let services = (0..model.services.len())
        .filter(|s| searched(model, *s))
        .count() as u64;
    let groups = match sizing {
        Sizing::Together => services.min(1),
        Sizing::Alone => services,
    };
    groups * u64::from(SEARCH_STEPS) * u64::from(plan.replications)
}

/// The fewest replications for which `budget.csv` has a 95% interval of the
/// `confidence`-quantile (both order statistics of [`quantile_ci`] exist): 35 at 0.9.
pub fn min_replications(confidence: f64) -> u32 {
    (2..=crate::experiment::MAX_REPLICATIONS)
        .find(|&n| {
            let n = f64::from(n);
            let half = 1.96 * (n * confidence * (1.0 - confidence)).sqrt();
            (n * confidence - half).floor() >= 1.0 && (n * confidence + half).ceil() <= n
        })
        .unwrap_or(crate::experiment::MAX_REPLICATIONS)
}

/// The capacity a service needs, per year, for the share of admissions within the wait
/// norm to reach `target`, and what that capacity costs.
#[derive(Clone, Debug)]
pub struct CapacityNeed {
    pub service: String,
    pub year: i16,
    /// Mean places over the year (NaN when not sized; see `note`).
    pub capacity: f64,
    /// The places paid for whether used or not (place-day cost) plus the admissions the
    /// simulation made at that capacity at the admission tariff.
    pub budget: Euros,
    /// Why a service has no capacity: empty when sized.
    pub note: &'static str,
}

/// Note of a service whose places come from its staff.
pub const NOTE_STAFFED: &str = "staffed: its places follow fte × caseload, not sized here";
/// Note of a service that misses the target even at 200% of its schedule.
pub const NOTE_MISSED: &str = "misses the target even at 200% of its capacity";
/// Note of a service whose schedule has no places at all: no factor of it can help.
pub const NOTE_NO_PLACES: &str =
    "has no places to scale (capacity 0 throughout): give it places in the scenario";

/// The service's planned capacity at `t`: its capacity, changed by each planned step
/// from the step's time (gates ignored: the plan, not what happened).
fn planned(svc: &crate::model::Service, t: f64) -> f64 {
    svc.steps
        .iter()
        .filter(|st| st.at <= t)
        .max_by(|a, b| a.at.total_cmp(&b.at))
        .map_or_else(
            || svc.capacity.as_ref().map_or(f64::NAN, |c| c.at(t)),
            |st| f64::from(st.value),
        )
}

/// One service's search: the smallest factor of its schedule whose share within the norm
/// reaches the target lies in (`lo`, `hi`].
#[derive(Clone, Debug)]
struct Bracket {
    s: usize,
    /// A factor known to miss the target, or the least the service may have.
    lo: f64,
    hi: f64,
    /// Mean admissions per year at `hi`, once `hi` is known to reach the target.
    at_hi: Option<Vec<f64>>,
    /// Even the largest factor misses the target.
    missed: bool,
}

impl Bracket {
    /// The bracket of service `s` before any experiment of its own: (least, 200%], halved
    /// at 100% by the main run `base` (its first `n` replications are those of every
    /// candidate, so 100% costs nothing).
    fn new(model: &Model, s: usize, base: &Results, n: usize, target: f64) -> Bracket {
        let svc = &model.services[s];
        // never fewer places at the start than youths in care then
        let cap0 = svc.capacity.as_ref().map_or(0.0, |c| c.at(0.0));
        let least = if cap0 > 0.0 {
            f64::from(svc.initial) / cap0
        } else {
            0.0
        };
        let mut b = Bracket {
            s,
            lo: least,
            hi: MAX_FACTOR.max(least),
            at_hi: None,
            missed: false,
        };
        if least < 1.0 {
            let level = LevelRef::Service(s);
            let shares = base.per_rep(level, Metric::OverNormShare, PeriodRef::Total);
            let over = summarise(
                shares[..n.min(shares.len())].iter().copied(),
                &mut Vec::new(),
            );
            let referred = base.summary(level, Metric::Arrivals, PeriodRef::Total).mean > 0.0;
            if reaches(1.0 - over.mean, target, referred) {
                b.hi = 1.0;
                b.at_hi = Some(admissions(model, base, s));
            } else {
                b.lo = 1.0;
            }
        }
        b
    }

    /// The factor to try next: the top while it is not known to reach the target, else
    /// the middle.
    fn candidate(&self) -> f64 {
        if self.at_hi.is_some() {
            (self.lo + self.hi) / 2.0
        } else {
            self.hi
        }
    }

    /// Narrows the bracket by the outcome `res` of trying factor `k`.
    fn judge(&mut self, model: &Model, k: f64, res: &Results, target: f64) {
        if self.missed {
            return;
        }
        let level = LevelRef::Service(self.s);
        let over = res.summary(level, Metric::OverNormShare, PeriodRef::Total);
        let referred = res.summary(level, Metric::Arrivals, PeriodRef::Total).mean > 0.0;
        if reaches(1.0 - over.mean, target, referred) {
            self.hi = k;
            self.at_hi = Some(admissions(model, res, self.s));
        } else if self.at_hi.is_none() {
            self.missed = true;
        } else {
            self.lo = k;
        }
    }
}

/// Whether a share within the norm reaches the target. NaN (nobody admitted, nobody gave
/// up) reaches it only when nobody was `referred` either: youths referred and never
/// admitted all waited too long.
fn reaches(within: f64, target: f64, referred: bool) -> bool {
    if within.is_nan() {
        !referred
    } else {
        within >= target
    }
}

/// Mean admissions per year of service `s` in `res`.
fn admissions(model: &Model, res: &Results, s: usize) -> Vec<f64> {
    (0..model.timeline.years.len())
        .map(|y| {
            res.summary(LevelRef::Service(s), Metric::Admissions, PeriodRef::Year(y))
                .mean
        })
        .collect()
}

/// `model` with service `s`'s capacity schedule (its planned steps included) scaled by `k`.
fn scale(model: &mut Model, s: usize, k: f64) {
    let sv = &mut model.services[s];
    sv.capacity = sv.capacity.as_ref().map(|c| c.scaled(k));
    for st in &mut sv.steps {
        st.value = (f64::from(st.value) * k).round() as u32;
    }
}

/// Runs [`SEARCH_STEPS`] experiments with `plan` per group of brackets (`groups` index
/// `brackets`), every bracket of a group at its candidate in the same experiment, the
/// other services at their own schedule.
fn bisect(
    model: &Model,
    plan: Plan,
    target: f64,
    brackets: &mut [Bracket],
    groups: &[Vec<usize>],
    on_progress: &(dyn Fn(u64) + Sync),
) -> Result<(), ExperimentError> {
    let mut done = 0;
    for group in groups {
        for _ in 0..SEARCH_STEPS {
            let mut m = model.clone();
            let ks: Vec<f64> = group.iter().map(|&i| brackets[i].candidate()).collect();
            for (&i, &k) in group.iter().zip(&ks) {
                scale(&mut m, brackets[i].s, k);
            }
            let res = experiment::run(&m, plan, &|n| on_progress(done + n))?;
            done += u64::from(plan.replications);
            for (&i, &k) in group.iter().zip(&ks) {
                brackets[i].judge(model, k, &res, target);
            }
        }
    }
    Ok(())
}

/// Searches, for every service with a norm and a tariff, the capacity whose share of
/// youths served within the norm over the whole window reaches `target` (youths who gave
/// up waiting or overflowed count as not served within it, `over_norm_share`): the
/// scenario's own capacity schedule (its steps included) scaled by the smallest factor
/// from the least that holds the youths in care at the start up to 200% that reaches it,
/// found by bisection (the share grows with the places). One factor per service, so a
/// year's capacity follows the schedule and not the noise of one year's waits. Every
/// candidate runs the same replications of `plan` (common random numbers), the first
/// replications of the main run `base`, which gives 100% without a run of its own.
/// `sizing` says whether the services are bisected together or one at a time. Staffed
/// services get rows with a note instead. `on_progress` is called with the replications
/// run so far (of [`capacity_search_replications`]).
pub fn capacity_needs(
    model: &Model,
    plan: Plan,
    base: &Results,
    target: f64,
    sizing: Sizing,
    on_progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<CapacityNeed>, ExperimentError> {
    let n = plan.replications as usize;
    let mut brackets: Vec<Bracket> = (0..model.services.len())
        .filter(|&s| searched(model, s))
        .map(|s| Bracket::new(model, s, base, n, target))
        .collect();
    let groups: Vec<Vec<usize>> = match sizing {
        Sizing::Together if brackets.is_empty() => Vec::new(),
        Sizing::Together => vec![(0..brackets.len()).collect()],
        Sizing::Alone => (0..brackets.len()).map(|i| vec![i]).collect(),
    };
    bisect(model, plan, target, &mut brackets, &groups, on_progress)?;
    Ok(needs(model, &brackets))
}

/// The rows of `capacity.csv` from the finished brackets, in the order of the services.
fn needs(model: &Model, brackets: &[Bracket]) -> Vec<CapacityNeed> {
    let tl = &model.timeline;
    let mut out = Vec::new();
    for (s, svc) in model.services.iter().enumerate() {
        let Some(tariff) = &svc.tariff else { continue };
        if svc.norm.is_none() {
            continue;
        }
        let not_sized = |note| {
            tl.years.iter().map(move |(year, _)| CapacityNeed {
                service: svc.id.clone(),
                year: *year,
                capacity: f64::NAN,
                budget: Euros::new(f64::NAN),
                note,
            })
        };
        if svc.staff.is_some() {
            out.extend(not_sized(NOTE_STAFFED));
            continue;
        }
        // a service with no bracket was not searched: no capacity to scale, or an
        // open-ended contract, which pays for its places whatever the search would say
        let Some(b) = brackets.iter().find(|b| b.s == s) else {
            continue;
        };
        let no_places = (0..=tl.horizon.ceil() as usize).all(|t| planned(svc, t as f64) <= 0.0);
        let Some(admissions) = b.at_hi.as_ref().filter(|_| !no_places) else {
            out.extend(not_sized(if no_places {
                NOTE_NO_PLACES
            } else {
                NOTE_MISSED
            }));
            continue;
        };
        let k = b.hi;
        for (y, (year, period)) in tl.years.iter().enumerate() {
            let days = period.days().max(1.0);
            let (mut sum, mut n) = (0.0, 0.0);
            let mut t = period.start;
            while t < period.end {
                sum += planned(svc, t) * k;
                n += 1.0;
                t += 1.0;
            }
            let capacity = (sum / f64::max(n, 1.0) * 10.0).round() / 10.0;
            let mid = (period.start + period.end) / 2.0;
            let places = capacity * days * pricing::place_day_cost(tariff, &model.finance, period);
            let admitted = admissions[y] * pricing::admission_cost(tariff, &model.finance, mid);
            out.push(CapacityNeed {
                service: svc.id.clone(),
                year: *year,
                capacity,
                budget: Euros::new(places + if admitted.is_finite() { admitted } else { 0.0 }),
                note: "",
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_interval_brackets_the_quantile() {
        let v: Vec<f64> = (1..=100).map(|x| x as f64).collect();
        let (lo, hi) = quantile_ci(&v, 0.9);
        assert!(
            lo < 90.0 && hi > 90.0 && lo >= 80.0 && hi <= 97.0,
            "{lo} {hi}"
        );
        assert!(quantile_ci(&[1.0], 0.9).0.is_nan());
    }

    #[test]
    fn the_minimum_replications_give_both_bounds_and_one_fewer_does_not() {
        for q in [0.5, 0.8, 0.9, 0.95] {
            let n = min_replications(q) as usize;
            let v: Vec<f64> = (1..=n).map(|x| x as f64).collect();
            let (lo, hi) = quantile_ci(&v, q);
            assert!(lo.is_finite() && hi.is_finite(), "{q} {n}");
            let (lo, hi) = quantile_ci(&v[..n - 1], q);
            assert!(lo.is_nan() || hi.is_nan(), "{q} {n}");
        }
        assert_eq!(min_replications(0.9), 35);
    }

    /// M/M/c stations: Poisson arrivals of `per_day`, exponential stays of one day, wait
    /// norm half a day; one station per (id, places, per_day), no flow between them.
    fn stations(list: &[(&str, u32, f64)]) -> Model {
        let mut text = "[scenario]\nname = \"mmc\"\nstart = 2024-01-01\nend = 2024-12-31\n\
                        warmup = 30\nseed = 7\n"
            .to_string();
        for (id, places, per_day) in list {
            text += &format!(
                "[[inflow]]\nto = \"{id}\"\nper_year = {}\n\
                 [[service]]\nid = \"{id}\"\nsegment = \"g\"\nsetting = \"ambulant\"\n\
                 capacity = {places}\nlos = {{ dist = \"exponential\", mean = 1.0 }}\n\
                 queue = {{ norm = 0.5 }}\ntariff = {{ per_day = 100.0 }}\n",
                per_day * 365.25
            );
        }
        crate::scenario::load(&crate::scenario::Source {
            name: "mmc.toml".into(),
            text,
        })
        .expect("valid")
    }

    /// The capacity `budget` finds in the first year per service (NaN with a note), and
    /// the largest progress count reported.
    fn search(model: &Model, target: f64, sizing: Sizing) -> (Vec<(f64, &'static str)>, u64) {
        let plan = |replications| Plan {
            replications,
            seed: 3,
            threads: Some(2),
        };
        let base = experiment::run(model, plan(8), &|_| {}).unwrap();
        let seen = std::sync::atomic::AtomicU64::new(0);
        let needs = capacity_needs(model, plan(4), &base, target, sizing, &|n| {
            seen.fetch_max(n, std::sync::atomic::Ordering::Relaxed);
        })
        .unwrap();
        let first = needs
            .iter()
            .filter(|n| n.year == 2024)
            .map(|n| (n.capacity, n.note))
            .collect();
        (first, seen.into_inner())
    }

    #[test]
    fn the_search_finds_the_places_erlang_c_needs() {
        // λ = 9/day, one-day stays: P(wait ≤ ½ day) is 0.59 with 10 places, 0.84 with 11,
        // 0.94 with 12 (Erlang C); places are the capacity rounded, so 11 places are any
        // capacity from 10.5
        let m = stations(&[("s", 10, 9.0)]);
        let (at80, progress) = search(&m, 0.8, Sizing::Together);
        assert!((10.5..=10.7).contains(&at80[0].0), "{at80:?}");
        assert_eq!(
            progress,
            capacity_search_replications(
                &m,
                Plan {
                    replications: 4,
                    seed: 3,
                    threads: None
                },
                Sizing::Together
            )
        );
        assert_eq!(progress, u64::from(SEARCH_STEPS) * 4);
        // monotone: a higher target needs more places, a lower one fewer
        let (at90, _) = search(&m, 0.9, Sizing::Together);
        assert!((11.5..=11.7).contains(&at90[0].0), "{at90:?}");
        let (at50, _) = search(&m, 0.5, Sizing::Together);
        assert!(at50[0].0 < 10.5 && at50[0].0 >= 9.5, "{at50:?}");
    }

    #[test]
    fn services_with_no_flow_between_them_are_sized_together_as_alone_and_a_miss_is_noted() {
        // three stations with no flow between them: sizing them together changes nothing
        // (every service draws from its own random streams); the last misses even at 200%
        let m = stations(&[("a", 10, 9.0), ("b", 30, 20.0), ("c", 2, 9.0)]);
        let (together, n_together) = search(&m, 0.8, Sizing::Together);
        let (alone, n_alone) = search(&m, 0.8, Sizing::Alone);
        assert_eq!(format!("{together:?}"), format!("{alone:?}"));
        assert_eq!((n_together, n_alone), (28, 3 * 28));
        assert!(together[1].0 < 30.0 && together[1].0 > 20.0, "{together:?}");
        assert!(
            together[2].0.is_nan() && together[2].1 == NOTE_MISSED,
            "{together:?}"
        );
    }

    #[test]
    fn a_service_where_youths_are_referred_but_never_admitted_is_not_fine() {
        // capacity 0: nobody is admitted, so no wait is judged (over_norm_share is
        // undefined), yet every youth referred there waits for ever; and there are no
        // places for a factor to scale
        let m = stations(&[("z", 0, 0.3), ("a", 10, 9.0)]);
        let (found, _) = search(&m, 0.8, Sizing::Together);
        assert!(
            found[0].0.is_nan() && found[0].1 == NOTE_NO_PLACES,
            "{found:?}"
        );
        assert!((10.5..=10.7).contains(&found[1].0), "{found:?}");
        // no referrals at all: undefined is fine, nobody waited
        assert!(reaches(f64::NAN, 0.8, false));
        assert!(!reaches(f64::NAN, 0.8, true));
        assert!(reaches(0.85, 0.8, true) && !reaches(0.75, 0.8, true));
    }
}
