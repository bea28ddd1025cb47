-- What the customer said about urgency is kept as their claim (it never sets the grade), and the
-- moment a person first answered is kept on the ticket (automation never counts as a response).
ALTER TABLE trouble_ticket ADD COLUMN stated_urgency varchar(16);
ALTER TABLE trouble_ticket ADD COLUMN first_response_date timestamptz;
