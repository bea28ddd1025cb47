-- Customers merged in identity-service: the merged (retired) id and the survivor it now is.
-- Existing tickets are moved when the merge arrives; intake maps a late request made with the
-- retired id (a token issued before the merge) to the survivor.
CREATE TABLE customer_alias (
    merged_id    varchar(64) PRIMARY KEY,
    survivor_id  varchar(64) NOT NULL,
    merged_at    timestamptz NOT NULL
);
