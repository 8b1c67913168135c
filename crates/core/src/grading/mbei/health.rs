//! The Bridge Health Index arithmetic (Caltrans; Shepard & Johnson 2001):
//! condition-state weights, an element's health index and the bridge's,
//! from quantities per state and failure costs. Pure numbers: it knows
//! nothing of defects or components.

/// Linear condition-state weights for `states` states: (n − s) / (n − 1).
///
/// ```
/// use voussoir_core::grading::linear_weights;
/// assert_eq!(linear_weights(5), vec![1.0, 0.75, 0.5, 0.25, 0.0]);
/// ```
pub fn linear_weights(states: usize) -> Vec<f64> {
    if states < 2 {
        return vec![1.0; states];
    }
    (1..=states)
        .map(|state| (states - state) as f64 / (states - 1) as f64)
        .collect()
}

/// One element's quantities per condition state (CS1 first) and its cost
/// per unit.
#[derive(Debug, Clone, PartialEq)]
pub struct ElementStates {
    pub quantities: Vec<f64>,
    pub failure_cost: f64,
}

impl ElementStates {
    fn total_value(&self) -> f64 {
        self.quantities.iter().sum::<f64>() * self.failure_cost
    }

    fn current_value(&self, weights: &[f64]) -> f64 {
        self.quantities
            .iter()
            .zip(weights)
            .map(|(quantity, weight)| quantity * weight)
            .sum::<f64>()
            * self.failure_cost
    }

    /// The element health index, 0 to 1; `None` for an empty element.
    pub fn health(&self, weights: &[f64]) -> Option<f64> {
        let total = self.total_value();
        (total > 0.0).then(|| self.current_value(weights) / total)
    }
}

/// The Bridge Health Index, 0 to 100, of elements; `None` when they hold
/// no value.
///
/// ```
/// use voussoir_core::grading::{bridge_health_index, linear_weights, ElementStates};
/// let deck = ElementStates { quantities: vec![700.0, 200.0, 80.0, 20.0], failure_cost: 1.0 };
/// let girders = ElementStates { quantities: vec![100.0, 0.0, 0.0, 0.0], failure_cost: 10.0 };
/// let bhi = bridge_health_index(&[deck, girders], &linear_weights(4)).unwrap();
/// assert!((bhi - 93.0).abs() < 1e-9);
/// ```
pub fn bridge_health_index(elements: &[ElementStates], weights: &[f64]) -> Option<f64> {
    let total: f64 = elements.iter().map(ElementStates::total_value).sum();
    let current: f64 = elements
        .iter()
        .map(|element| element.current_value(weights))
        .sum();
    (total > 0.0).then(|| 100.0 * current / total)
}
