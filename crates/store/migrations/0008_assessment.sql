-- Voussoir field book, schema 8: the assessment.
-- Typed measurements: each quantity has its own column instead of
-- overloading depth_mm and section_loss_pct; values recorded under the old
-- columns for these quantities move to their own, with unit changes.
ALTER TABLE defect ADD COLUMN crack_spacing_mm REAL;
ALTER TABLE defect ADD COLUMN crack_orientation_deg REAL;
ALTER TABLE defect ADD COLUMN crack_length_mm REAL;
ALTER TABLE defect ADD COLUMN residual_thickness_mm REAL;
ALTER TABLE defect ADD COLUMN count REAL;
ALTER TABLE defect ADD COLUMN tilt_deg REAL;
ALTER TABLE defect ADD COLUMN displacement_mm REAL;
ALTER TABLE defect ADD COLUMN joint_gap_mm REAL;
ALTER TABLE defect ADD COLUMN scour_depth_m REAL;

UPDATE defect SET joint_gap_mm = depth_mm, depth_mm = NULL
    WHERE type_code = 'JNT-GAP' AND depth_mm IS NOT NULL;
UPDATE defect SET crack_length_mm = length_m * 1000, length_m = NULL
    WHERE type_code = 'STL-FATIGUE' AND length_m IS NOT NULL;
UPDATE defect SET displacement_mm = depth_mm, depth_mm = NULL
    WHERE type_code IN ('BRG-DISPLACEMENT', 'MAS-DISPLACEMENT', 'GEN-SETTLEMENT')
      AND depth_mm IS NOT NULL;
UPDATE defect SET scour_depth_m = depth_mm / 1000.0, depth_mm = NULL
    WHERE type_code = 'UW-SCOUR' AND depth_mm IS NOT NULL;
-- A bulging bearing has no section loss: the value is kept in the note.
UPDATE defect SET note = trim(ifnull(note, '') || ' (section_loss_pct ' || section_loss_pct || ')'),
    section_loss_pct = NULL
    WHERE type_code = 'BRG-BULGE' AND section_loss_pct IS NOT NULL;

-- The instructor's grade on the reference may override the computed one,
-- with a reason.
ALTER TABLE own_grade ADD COLUMN reason TEXT;

-- The course's rubric weights (JSON {"findings":..,"severity":..,"grades":..},
-- NULL for the default), a structure's hand-in deadline (civil date-time in
-- the course's zone) and a component's critical scour depth in metres.
ALTER TABLE course ADD COLUMN rubric TEXT;
ALTER TABLE structure ADD COLUMN deadline TEXT;
ALTER TABLE component ADD COLUMN critical_scour_depth_m REAL;

-- The hash of the bundle a submission was received as: an identical
-- bundle is recognised and not stored twice.
ALTER TABLE submission ADD COLUMN bundle_hash TEXT;
CREATE INDEX submission_by_bundle ON submission(bundle_hash);
