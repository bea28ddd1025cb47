-- Stores (营业厅) and their VIP fast lane: opening hours cut into slots, each with a capacity.
CREATE TABLE store (
    store_id      varchar(32)  PRIMARY KEY,
    name          varchar(100) NOT NULL,
    region        varchar(32)  NOT NULL,
    opens         time         NOT NULL,
    closes        time         NOT NULL,
    slot_minutes  int          NOT NULL,
    capacity      int          NOT NULL,
    updated_at    timestamptz  NOT NULL
);

-- Places taken per slot: a booking takes one only while the slot has room, in the same
-- transaction that records it, so no replica can overbook.
CREATE TABLE fast_lane_slot (
    store_id   varchar(32)  NOT NULL REFERENCES store (store_id),
    slot_start timestamptz  NOT NULL,
    booked     int          NOT NULL,
    PRIMARY KEY (store_id, slot_start)
);

CREATE TABLE fast_lane_booking (
    id            uuid         PRIMARY KEY,
    store_id      varchar(32)  NOT NULL REFERENCES store (store_id),
    slot_start    timestamptz  NOT NULL,
    slot_day      date         NOT NULL,
    customer_id   varchar(64)  NOT NULL,
    status        varchar(16)  NOT NULL,
    booked_at     timestamptz  NOT NULL,
    checked_in_at timestamptz,
    checked_in_by varchar(64)
);
-- One booking a day per customer (cancelled ones aside).
CREATE UNIQUE INDEX fast_lane_booking_one_a_day ON fast_lane_booking (customer_id, slot_day) WHERE status <> 'cancelled';
CREATE INDEX fast_lane_booking_store ON fast_lane_booking (store_id, slot_day);
