-- Element-level inspection (AASHTO MBEI): a component's total quantity in
-- its unit (`m2`, `m`, `each`) and the cost of replacing one unit, when the
-- course gives them.
ALTER TABLE component ADD COLUMN quantity REAL;
ALTER TABLE component ADD COLUMN unit TEXT;
ALTER TABLE component ADD COLUMN failure_cost REAL;
