package io.unichannel.gateway.adapters;

import java.util.List;
import java.util.Map;

import io.unichannel.gateway.repository.ProgressRepository.RequestRow;

/**
 * A customer's latest requests as one short text, the same on every channel that answers in words:
 * WeChat replies, SMS replies, and what the IVR reads out.
 */
public final class StatusText {

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("submitted", "已提交"), Map.entry("acknowledged", "已受理"), Map.entry("inProgress", "处理中"),
            Map.entry("pending", "待您补充信息"), Map.entry("held", "已挂起"), Map.entry("resolved", "已解决"),
            Map.entry("closed", "已关闭"), Map.entry("rejected", "未受理"), Map.entry("cancelled", "已撤销"),
            Map.entry("failed", "未能受理"));

    private StatusText() {
    }

    /** How a status reads to a customer. */
    public static String name(String status) {
        return NAMES.getOrDefault(status, status);
    }

    public static String of(List<RequestRow> rows) {
        if (rows.isEmpty()) {
            return "您目前没有进行中的诉求。";
        }
        StringBuilder text = new StringBuilder("您最近的诉求：");
        for (RequestRow row : rows) {
            text.append("\n编号 ").append(row.requestId().toString(), 0, 8).append("：").append(name(row.status()));
        }
        return text.toString();
    }

    /** The same for the IVR to read out: no ids (they do not speak well), the count and each status in turn. */
    public static String spoken(List<RequestRow> rows) {
        if (rows.isEmpty()) {
            return "您目前没有进行中的诉求。";
        }
        StringBuilder text = new StringBuilder("您最近有").append(rows.size()).append("个诉求。");
        for (int i = 0; i < rows.size(); i++) {
            text.append("第").append(i + 1).append("个，").append(name(rows.get(i).status())).append(i + 1 < rows.size() ? "；" : "。");
        }
        return text.toString();
    }
}
