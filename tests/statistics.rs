//! The course report's agreement coefficients against independent
//! implementations: Krippendorff's alpha against the `krippendorff` Python
//! package (to 1e-9), Gwet's AC1 and AC2 against `irrCAC` (which prints
//! five decimals). Skipped with a note when the packages are absent (CI
//! installs them).

use voussoir_core::reliability::coefficients::{gwet, krippendorff_interval};

fn python_with(modules: &str) -> Option<&'static str> {
    ["/usr/bin/python3", "python3"].into_iter().find(|python| {
        std::process::Command::new(python)
            .args(["-c", &format!("import {modules}")])
            .output()
            .is_ok_and(|output| output.status.success())
    })
}

fn run(python: &str, script: &str) -> Vec<f64> {
    let output = std::process::Command::new(python)
        .args(["-c", script])
        .output()
        .expect("run python");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .map(|value| value.parse().expect("a number"))
        .collect()
}

/// Rating tables of a few shapes: a paradox (the reference constant),
/// spread classes, missing ratings.
fn tables() -> Vec<Vec<Vec<Option<usize>>>> {
    let mut paradox = vec![vec![Some(1), Some(1)]; 16];
    paradox.push(vec![Some(1), Some(2)]);
    let spread: Vec<Vec<Option<usize>>> = (0..13)
        .map(|unit| {
            (0..6)
                .map(|rater| Some(1 + (unit * 7 + rater * 3 + unit * rater) % 5))
                .collect()
        })
        .collect();
    let mut missing = spread.clone();
    for (unit, ratings) in missing.iter_mut().enumerate() {
        ratings[unit % 6] = None;
    }
    vec![paradox, spread, missing]
}

fn python_rows(table: &[Vec<Option<usize>>]) -> String {
    let rows: Vec<String> = table
        .iter()
        .map(|unit| {
            let cells: Vec<String> = unit
                .iter()
                .map(|value| value.map_or("None".to_string(), |value| value.to_string()))
                .collect();
            format!("[{}]", cells.join(", "))
        })
        .collect();
    format!("[{}]", rows.join(", "))
}

#[test]
fn krippendorffs_alpha_matches_the_krippendorff_package() {
    let Some(python) = python_with("krippendorff, numpy") else {
        eprintln!("skipped: the krippendorff Python package is not installed");
        return;
    };
    for table in tables() {
        let ours = krippendorff_interval(
            &table
                .iter()
                .map(|unit| unit.iter().flatten().map(|value| *value as f64).collect())
                .collect::<Vec<Vec<f64>>>(),
        );
        // The package wants raters × units, NaN for missing.
        let script = format!(
            "import numpy, krippendorff\nunits = {}\ndata = numpy.array([[numpy.nan if v is None else v for v in unit] for unit in units], dtype=float).T\nprint(repr(krippendorff.alpha(reliability_data=data, level_of_measurement='interval')))",
            python_rows(&table)
        );
        let theirs = run(python, &script)[0];
        let ours = ours.expect("defined");
        assert!((ours - theirs).abs() < 1e-9, "{ours} vs {theirs}");
    }
}

#[test]
fn gwets_ac1_and_ac2_match_irrcac() {
    let Some(python) = python_with("irrCAC, pandas") else {
        eprintln!("skipped: the irrCAC Python package is not installed");
        return;
    };
    for table in tables() {
        let pairs: Vec<(usize, usize)> = table
            .iter()
            .filter_map(|unit| Some((unit.first().copied()??, unit.get(1).copied()??)))
            .collect();
        let script = format!(
            "import pandas\nfrom irrCAC.raw import CAC\npairs = {:?}\ndf = pandas.DataFrame({{'a': [p[0] for p in pairs], 'b': [p[1] for p in pairs]}})\nfor weights in ['identity', 'linear']:\n    print(CAC(df, weights=weights, categories=[1, 2, 3, 4, 5]).gwet()['est']['coefficient_value'])",
            pairs
        );
        let theirs = run(python, &script);
        for (linear, theirs) in [(false, theirs[0]), (true, theirs[1])] {
            let ours = gwet(&pairs, 5, linear).expect("defined");
            assert!(
                (ours - theirs).abs() < 1e-5,
                "linear {linear}: {ours} vs {theirs}"
            );
        }
    }
}
