-- The networks an export's recipient downloads it from (issue 17: "an export downloaded from an unexpected
-- place"), comma-separated CIDR sealed under the export's own key like its recipient; NULL: none declared,
-- the link works from anywhere.
ALTER TABLE exports ADD COLUMN recipient_networks BYTEA;
