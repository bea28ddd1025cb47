package io.unichannel.ticket.automation;

import java.util.Locale;
import java.util.Map;

/** What the bill-question rules decide on: the customer's words and the items of their last bill. */
public final class BillQuestionFacts {

    private final String text;
    private final Map<String, Long> items;
    private final long monthlyFeeCents;
    private final long totalCents;

    public BillQuestionFacts(String text, Map<String, Long> items, long monthlyFeeCents, long totalCents) {
        this.text = text == null ? "" : text.toLowerCase(Locale.ROOT);
        this.items = Map.copyOf(items);
        this.monthlyFeeCents = monthlyFeeCents;
        this.totalCents = totalCents;
    }

    /** True when the bill carries an item with this code. */
    public boolean hasItem(String code) {
        return items.containsKey(code);
    }

    /** True when the customer's words contain any of these |-separated words. */
    public boolean mentions(String words) {
        for (String word : words.split("\\|")) {
            if (!word.isBlank() && text.contains(word.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** How much the bill is above the package's monthly fee. */
    public long getExtraCents() {
        return totalCents - monthlyFeeCents;
    }

    public long getTotalCents() {
        return totalCents;
    }

    public long getMonthlyFeeCents() {
        return monthlyFeeCents;
    }
}
