-- What a TMF621 partner gives a ticket beyond the platform's own attributes, kept as given: its
-- name, the date the partner asked for, and (as one JSON document) the related entities,
-- attachments by reference, the partner's external identifiers and its ticket relationships.
ALTER TABLE trouble_ticket ADD COLUMN name varchar(200);
ALTER TABLE trouble_ticket ADD COLUMN requested_resolution_date timestamptz;
ALTER TABLE trouble_ticket ADD COLUMN details text NOT NULL DEFAULT '{}';
