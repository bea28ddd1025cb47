-- The shared outbox relay lets a row name its topic; ticket events use the default (ticket-events).
ALTER TABLE outbox_event ADD COLUMN topic varchar(64);
