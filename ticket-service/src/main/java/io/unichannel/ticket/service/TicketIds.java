package io.unichannel.ticket.service;

import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Ticket ids staff can read out on the phone: {@code TT-20261122-7F3K9Q2M4X}. */
final class TicketIds {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private TicketIds() {
    }

    static String next() {
        StringBuilder id = new StringBuilder("TT-").append(LocalDate.now(ZoneOffset.UTC).format(DAY)).append('-');
        for (int i = 0; i < 10; i++) {
            id.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return id.toString();
    }
}
