package io.unichannel.outbox;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.postgresql.replication.LogSequenceNumber;

/**
 * Decodes the messages of PostgreSQL's pgoutput plugin (protocol version 1, "Logical Replication
 * Message Formats" in PostgreSQL's documentation) that an insert-only publication sends. Remembers
 * the relations it was told about; one decoder per replication session.
 */
final class PgOutputDecoder {

    private final Map<Integer, String[]> relations = new HashMap<>();

    /**
     * Decodes one pgoutput message: a Relation is remembered, an Insert becomes a row of the open
     * transaction, a Commit returns the position after it. Everything else is skipped (the
     * publication carries inserts only).
     */
    LogSequenceNumber decode(ByteBuffer message, List<OutboxStream.Row> open) {
        byte kind = message.get();
        switch (kind) {
            case 'R' -> {
                int relation = message.getInt();
                cstring(message); // namespace
                cstring(message); // table
                message.get(); // replica identity
                String[] names = new String[message.getShort()];
                for (int i = 0; i < names.length; i++) {
                    message.get(); // flags
                    names[i] = cstring(message);
                    message.getInt(); // type oid
                    message.getInt(); // type modifier
                }
                relations.put(relation, names);
                return null;
            }
            case 'I' -> {
                String[] names = relations.get(message.getInt());
                if (names == null) {
                    throw new IllegalStateException("pgoutput sent an insert before its relation");
                }
                message.get(); // 'N': a new tuple
                int count = message.getShort();
                Map<String, String> columns = new HashMap<>();
                for (int i = 0; i < count; i++) {
                    byte type = message.get();
                    String value = null;
                    if (type == 't' || type == 'b') {
                        byte[] bytes = new byte[message.getInt()];
                        message.get(bytes);
                        value = new String(bytes, StandardCharsets.UTF_8);
                    }
                    if (i < names.length) {
                        columns.put(names[i], value);
                    }
                }
                open.add(new OutboxStream.Row(columns));
                return null;
            }
            case 'C' -> {
                message.get(); // flags
                message.getLong(); // commit position
                return LogSequenceNumber.valueOf(message.getLong());
            }
            default -> {
                return null;
            }
        }
    }

    private static String cstring(ByteBuffer buffer) {
        int start = buffer.position();
        while (buffer.get() != 0) {
            // up to the terminating zero
        }
        byte[] bytes = new byte[buffer.position() - start - 1];
        buffer.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

}
