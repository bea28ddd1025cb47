package io.unichannel.analytics.rest;

import java.util.List;
import java.util.Locale;

import io.unichannel.analytics.KpiRow;

/** KPI rows and the pain-point list as CSV (RFC 4180) for spreadsheets and BI imports. */
final class Csv {

    private Csv() {
    }

    static String of(List<KpiRow> rows, List<String> groupBy) {
        StringBuilder out = new StringBuilder("kpi,windowStart,windowEnd");
        for (String name : groupBy) {
            out.append(',').append(name);
        }
        out.append(",value,unit,sampleSize,numerator,denominator,sum,count\r\n");
        for (KpiRow row : rows) {
            out.append(cell(row.kpi())).append(',').append(row.windowStart()).append(',').append(row.windowEnd());
            for (String name : groupBy) {
                out.append(',').append(cell(row.dimensions().get(name)));
            }
            out.append(',').append(row.value() == null ? "" : String.format(Locale.ROOT, "%.6f", row.value()))
                    .append(',').append(row.unit()).append(',').append(row.sampleSize())
                    .append(',').append(row.numerator()).append(',').append(row.denominator())
                    .append(',').append(String.format(Locale.ROOT, "%.3f", row.sum())).append(',').append(row.count()).append("\r\n");
        }
        return out.toString();
    }

    /** Any table: a header and rows of cells (null for empty). */
    static String table(List<String> header, List<List<String>> rows) {
        StringBuilder out = new StringBuilder(String.join(",", header)).append("\r\n");
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                out.append(i == 0 ? "" : ",").append(cell(row.get(i)));
            }
            out.append("\r\n");
        }
        return out.toString();
    }

    /** Quotes a cell that needs it, and defuses one a spreadsheet would take for a formula. */
    private static String cell(String value) {
        if (value == null) {
            return "";
        }
        String v = value;
        if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0 && !v.equals("-")) {
            v = "'" + v;
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
