package io.unichannel.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.postgresql.replication.LogSequenceNumber;

/**
 * The relay's reading of pgoutput: messages laid out byte for byte as PostgreSQL's "Logical
 * Replication Message Formats" (protocol version 1) describe them, for the outbox table's columns.
 */
class PgOutputDecoderTest {

    static final String[] COLUMNS = {"id", "aggregate_type", "aggregate_id", "event_type", "occurred_at", "payload",
            "topic", "created_at", "traceparent"};

    @Test
    void aTransactionsInsertsBecomeRowsAndItsCommitGivesThePositionAfterIt() throws IOException {
        PgOutputDecoder decoder = new PgOutputDecoder();
        List<OutboxStream.Row> open = new ArrayList<>();
        assertThat(decoder.decode(begin(), open)).isNull();
        assertThat(decoder.decode(relation(16399, COLUMNS), open)).isNull();
        assertThat(decoder.decode(insert(16399, "3f1c...-id", "TroubleTicket", "TT-1", "TroubleTicketCreateEvent",
                "2026-12-07 05:53:00.123+00", "{\"text\":\"宽带断了\"}", null, "2026-12-07 05:53:00.2+00", null), open)).isNull();
        assertThat(decoder.decode(insert(16399, "second", "TroubleTicket", "TT-2", "TroubleTicketCreateEvent",
                "2026-12-07 05:53:01+08", "{}", "ticket-events", "2026-12-07 05:53:01+08", "00-abc-def-01"), open)).isNull();

        LogSequenceNumber end = decoder.decode(commit(0x16B3748L, 0x16B3790L), open);

        assertThat(end).isEqualTo(LogSequenceNumber.valueOf(0x16B3790L));
        assertThat(open).hasSize(2);
        assertThat(open.get(0).get("aggregate_id")).isEqualTo("TT-1");
        assertThat(open.get(0).get("payload")).isEqualTo("{\"text\":\"宽带断了\"}");
        assertThat(open.get(0).get("topic")).isNull();
        assertThat(open.get(1).get("topic")).isEqualTo("ticket-events");
        assertThat(open.get(1).get("traceparent")).isEqualTo("00-abc-def-01");
    }

    @Test
    void anInsertForARelationNeverDescribedIsAnError() throws IOException {
        PgOutputDecoder decoder = new PgOutputDecoder();
        assertThatThrownBy(() -> decoder.decode(insert(1, "x", "a", "b", "c", "d", "e", null, "f", null), new ArrayList<>()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void postgresTextTimestampsParseWithEveryOffsetForm() {
        assertThat(OutboxRelay.timestamptz("2026-12-07 05:53:00.123+00"))
                .isEqualTo(OffsetDateTime.of(2026, 12, 7, 5, 53, 0, 123_000_000, ZoneOffset.UTC));
        assertThat(OutboxRelay.timestamptz("2026-12-07 13:53:00+08").toInstant())
                .isEqualTo(OffsetDateTime.of(2026, 12, 7, 5, 53, 0, 0, ZoneOffset.UTC).toInstant());
        assertThat(OutboxRelay.timestamptz("2026-12-07 11:23:00.5+05:30").toInstant())
                .isEqualTo(OffsetDateTime.of(2026, 12, 7, 5, 53, 0, 500_000_000, ZoneOffset.UTC).toInstant());
    }

    static ByteBuffer begin() throws IOException {
        return message(out -> {
            out.writeByte('B');
            out.writeLong(0x16B3790L);
            out.writeLong(789_000_000L);
            out.writeInt(742);
        });
    }

    static ByteBuffer relation(int id, String[] columns) throws IOException {
        return message(out -> {
            out.writeByte('R');
            out.writeInt(id);
            cstring(out, "public");
            cstring(out, "outbox_event");
            out.writeByte('d');
            out.writeShort(columns.length);
            for (String column : columns) {
                out.writeByte(column.equals("id") ? 1 : 0);
                cstring(out, column);
                out.writeInt(25);
                out.writeInt(-1);
            }
        });
    }

    static ByteBuffer insert(int relation, String... values) throws IOException {
        return message(out -> {
            out.writeByte('I');
            out.writeInt(relation);
            out.writeByte('N');
            out.writeShort(values.length);
            for (String value : values) {
                if (value == null) {
                    out.writeByte('n');
                } else {
                    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                    out.writeByte('t');
                    out.writeInt(bytes.length);
                    out.write(bytes);
                }
            }
        });
    }

    static ByteBuffer commit(long commitLsn, long endLsn) throws IOException {
        return message(out -> {
            out.writeByte('C');
            out.writeByte(0);
            out.writeLong(commitLsn);
            out.writeLong(endLsn);
            out.writeLong(789_000_000L);
        });
    }

    interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    static ByteBuffer message(Writer writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        writer.write(new DataOutputStream(bytes));
        return ByteBuffer.wrap(bytes.toByteArray());
    }

    static void cstring(DataOutputStream out, String value) throws IOException {
        out.write(value.getBytes(StandardCharsets.UTF_8));
        out.writeByte(0);
    }
}
