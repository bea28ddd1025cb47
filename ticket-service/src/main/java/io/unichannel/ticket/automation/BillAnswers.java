package io.unichannel.ticket.automation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds the bill-question rules' facts from the customer's bill, and writes the answers with the bill's own items. */
final class BillAnswers {

    /** What each known answer tells the customer about the item it explains. */
    private static final Map<String, String> EXPLANATIONS = Map.of(
            "ROAMING", "Data and calls abroad are charged at the roaming tariff and do not come out of your package's allowance.",
            "VAS", "This is a monthly subscription to a value-added service on your number; you can cancel it in the app or by replying TD to its SMS.",
            "DATA_OVERAGE", "You used more data than your package includes; if this happens often, a larger package costs less.",
            "LATE_FEE", "The previous bill was paid after its due date; automatic payment avoids this fee.",
            "MONTHLY_FEE", "There is nothing on it besides your package's monthly fee.");

    private BillAnswers() {
    }

    static BillQuestionFacts facts(String question, Bss.Bill bill) {
        Map<String, Long> items = bill.items().stream()
                .collect(Collectors.toMap(Bss.BillItem::code, Bss.BillItem::amountCents, Long::sum, LinkedHashMap::new));
        return new BillQuestionFacts(question, items, items.getOrDefault("MONTHLY_FEE", 0L), bill.totalCents());
    }

    static Map<String, Object> inputs(String question, Bss.Bill bill) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("question", question);
        inputs.put("period", bill.period());
        inputs.put("totalCents", bill.totalCents());
        inputs.put("items", bill.items().stream().map(i -> Map.of("code", i.code(), "amountCents", i.amountCents())).toList());
        return inputs;
    }

    /** The answer the customer reads: the bill's total and, for each matched item, its amount and what it is. */
    static String answer(Bss.Bill bill, List<Finding> answers) {
        StringBuilder text = new StringBuilder("Your bill for ").append(bill.period()).append(" is ")
                .append(PackageChangeFacts.yuan(bill.totalCents())).append('.');
        for (Finding answer : answers) {
            bill.items().stream().filter(i -> i.code().equals(answer.getCode())).forEach(i -> text.append(' ').append(i.name())
                    .append(": ").append(PackageChangeFacts.yuan(i.amountCents())).append('.'));
            text.append(' ').append(EXPLANATIONS.getOrDefault(answer.getCode(), ""));
        }
        return text.toString().trim();
    }

    /** The bill in one line, for the agent who takes a question the rules could not answer. */
    static String summary(Bss.Bill bill) {
        return "Bill " + bill.period() + ": " + PackageChangeFacts.yuan(bill.totalCents()) + " ("
                + bill.items().stream().map(i -> i.name() + " " + PackageChangeFacts.yuan(i.amountCents()))
                        .collect(Collectors.joining(", ")) + ").";
    }
}
