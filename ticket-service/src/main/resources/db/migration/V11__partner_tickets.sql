-- Tickets opened by partner systems through the TMF621 API name the partner (its Keycloak client id)
-- as reporter; partners see the tickets they reported and those of the regions they are granted.
ALTER TABLE trouble_ticket ADD COLUMN reporter varchar(64);
CREATE INDEX trouble_ticket_reporter ON trouble_ticket (reporter, creation_date DESC) WHERE reporter IS NOT NULL;
