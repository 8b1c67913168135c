//! Measurements taken on a defect: each quantity typed, with its unit, its
//! plausible range and its names in both languages. Which measurements a
//! defect type takes is the catalogue's business; this module only knows
//! what each quantity is.

use serde::{Deserialize, Serialize};

macro_rules! measures {
    ($( $variant:ident $field:ident, $fr_column:literal, $limit:literal, $count:literal, $en:literal, $fr:literal; )*) => {
        /// One measured quantity.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Measure { $( $variant, )* }

        impl Measure {
            pub const ALL: &'static [Measure] = &[ $( Measure::$variant, )* ];

            /// Stable code, with its unit: the column of CSV files, the key
            /// in JSON and bundles, the column in the field book.
            pub fn code(self) -> &'static str {
                match self { $( Measure::$variant => stringify!($field), )* }
            }
            /// The French column name a defects sheet may use instead.
            pub fn french_column(self) -> &'static str {
                match self { $( Measure::$variant => $fr_column, )* }
            }
            /// Largest plausible value: anything above it is a typing mistake.
            pub fn upper_limit(self) -> f64 {
                match self { $( Measure::$variant => $limit, )* }
            }
            /// True for counts, which take whole numbers only.
            pub fn is_count(self) -> bool {
                match self { $( Measure::$variant => $count, )* }
            }
            /// English name with its unit, for pages and messages.
            pub fn name_en(self) -> &'static str {
                match self { $( Measure::$variant => $en, )* }
            }
            /// French name with its unit.
            pub fn name_fr(self) -> &'static str {
                match self { $( Measure::$variant => $fr, )* }
            }
        }

        /// Measurements taken on a defect; every field is optional and in
        /// the unit its name gives.
        #[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
        pub struct Measurements {
            $(
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<f64>,
            )*
        }

        impl Measurements {
            pub fn get(&self, measure: Measure) -> Option<f64> {
                match measure { $( Measure::$variant => self.$field, )* }
            }

            pub fn set(&mut self, measure: Measure, value: Option<f64>) {
                match measure { $( Measure::$variant => self.$field = value, )* }
            }
        }
    };
}

measures! {
    CrackWidthMm crack_width_mm, "ouverture_mm", 100.0, false, "crack width (mm)", "ouverture (mm)";
    CrackSpacingMm crack_spacing_mm, "espacement_fissures_mm", 10000.0, false, "crack spacing (mm)", "espacement des fissures (mm)";
    CrackOrientationDeg crack_orientation_deg, "orientation_deg", 180.0, false, "crack orientation (° from horizontal)", "orientation (° sur l'horizontale)";
    CrackLengthMm crack_length_mm, "longueur_fissure_mm", 10000.0, false, "crack length (mm)", "longueur de fissure (mm)";
    LengthM length_m, "longueur_m", 1000.0, false, "length (m)", "longueur (m)";
    AreaM2 area_m2, "surface_m2", 100000.0, false, "area (m²)", "surface (m²)";
    DepthMm depth_mm, "profondeur_mm", 20000.0, false, "depth (mm)", "profondeur (mm)";
    SectionLossPct section_loss_pct, "perte_section_pct", 100.0, false, "section loss (%)", "perte de section (%)";
    ResidualThicknessMm residual_thickness_mm, "epaisseur_residuelle_mm", 1000.0, false, "residual thickness (mm)", "épaisseur résiduelle (mm)";
    Count count, "nombre", 100000.0, true, "count", "nombre";
    TiltDeg tilt_deg, "devers_deg", 90.0, false, "tilt (°)", "dévers, inclinaison (°)";
    DisplacementMm displacement_mm, "deplacement_mm", 5000.0, false, "displacement (mm)", "déplacement (mm)";
    JointGapMm joint_gap_mm, "souffle_mm", 2000.0, false, "joint gap (mm)", "ouverture du joint (mm)";
    ScourDepthM scour_depth_m, "profondeur_affouillement_m", 50.0, false, "scour depth (m)", "profondeur d'affouillement (m)";
}

impl Measurements {
    /// Checks each value is a finite, non-negative number below its limit,
    /// and a whole number for counts.
    pub fn validate(&self) -> Result<(), InvalidMeasurement> {
        for (measure, value) in self.present() {
            let whole = !measure.is_count() || value.fract() == 0.0;
            if !value.is_finite() || value < 0.0 || value > measure.upper_limit() || !whole {
                return Err(InvalidMeasurement {
                    measure: measure.code(),
                    value,
                    limit: measure.upper_limit(),
                    count: measure.is_count(),
                });
            }
        }
        Ok(())
    }

    /// The measurements given, in the order of [`Measure::ALL`].
    pub fn present(&self) -> Vec<(Measure, f64)> {
        Measure::ALL
            .iter()
            .filter_map(|measure| self.get(*measure).map(|value| (*measure, value)))
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        Measure::ALL
            .iter()
            .all(|measure| self.get(*measure).is_none())
    }

    /// Each measurement present, with its value, for the given language:
    /// `ouverture (mm) 0,3`.
    pub fn describe(&self, french: bool) -> Vec<String> {
        self.present()
            .into_iter()
            .map(|(measure, value)| {
                let name = if french {
                    measure.name_fr()
                } else {
                    measure.name_en()
                };
                let number = format!("{value}");
                let number = if french {
                    number.replace('.', ",")
                } else {
                    number
                };
                format!("{name} {number}")
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{measure} = {value} is not a plausible value; give {} between 0 and {limit}", if *.count { "a whole number" } else { "a number" })]
pub struct InvalidMeasurement {
    pub measure: &'static str,
    pub value: f64,
    pub limit: f64,
    pub count: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_measure_reads_back_what_was_set_and_names_its_unit() {
        for measure in Measure::ALL {
            let mut measurements = Measurements::default();
            measurements.set(*measure, Some(1.0));
            assert_eq!(measurements.get(*measure), Some(1.0), "{measure:?}");
            assert_eq!(measurements.present(), vec![(*measure, 1.0)]);
            let json = serde_json::to_string(&measurements).expect("json");
            assert_eq!(json, format!("{{\"{}\":1.0}}", measure.code()));
            assert!(
                measure.is_count() || measure.name_en().contains('('),
                "{measure:?} names no unit"
            );
        }
    }

    #[test]
    fn a_count_takes_whole_numbers_only() {
        let mut measurements = Measurements::default();
        measurements.set(Measure::Count, Some(2.5));
        let error = measurements.validate().expect_err("refused").to_string();
        assert!(error.contains("whole number"), "{error}");
        measurements.set(Measure::Count, Some(3.0));
        assert!(measurements.validate().is_ok());
    }

    #[test]
    fn negative_or_huge_values_are_refused() {
        let mut measurements = Measurements::default();
        measurements.set(Measure::TiltDeg, Some(91.0));
        assert!(measurements.validate().is_err());
        measurements.set(Measure::TiltDeg, Some(-1.0));
        assert!(measurements.validate().is_err());
        measurements.set(Measure::TiltDeg, Some(f64::NAN));
        assert!(measurements.validate().is_err());
    }

    #[test]
    fn french_descriptions_use_a_decimal_comma() {
        let measurements = Measurements {
            crack_width_mm: Some(0.3),
            ..Measurements::default()
        };
        assert_eq!(measurements.describe(true), vec!["ouverture (mm) 0,3"]);
        assert_eq!(measurements.describe(false), vec!["crack width (mm) 0.3"]);
    }
}
