-- Voussoir field book, schema 5: whether a photo has been placed since it
-- was stored. An import interrupted between storing photos and placing
-- them leaves 0 here, and the next run places those photos. Photos stored
-- before this schema were placed by the import that stored them.

ALTER TABLE photo ADD COLUMN placed INTEGER NOT NULL DEFAULT 1;
