-- The W3C traceparent of the change that wrote the event (null when tracing is off): the relay
-- publishes the event in that trace, so one trace follows a request across the outbox.
ALTER TABLE outbox_event ADD COLUMN traceparent varchar(64);
