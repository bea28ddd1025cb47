-- Whose each notice was, on which channel and why: the customer sees every notice's delivery.
ALTER TABLE notification_delivery ADD COLUMN customer_id varchar(64);
ALTER TABLE notification_delivery ADD COLUMN channel varchar(16);
ALTER TABLE notification_delivery ADD COLUMN purpose varchar(32);
CREATE INDEX notification_delivery_customer ON notification_delivery (customer_id, delivered_at DESC);
