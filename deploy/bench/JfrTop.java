import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a service's CPU went during a benchmark step, from the Java Flight Recorder's execution
 * samples: the libraries the sampled threads were running (by the top frame's package), the
 * hottest methods, and the platform's own methods that led there (the first frame of ours on each
 * stack). Usage: {@code java JfrTop.java <report.md> <name=recording.jfr>...}
 */
public final class JfrTop {

    private JfrTop() {
    }

    public static void main(String[] args) throws IOException {
        try (PrintStream out = new PrintStream(Files.newOutputStream(Path.of(args[0])), true, "UTF-8")) {
            for (int i = 1; i < args.length; i++) {
                int eq = args[i].indexOf('=');
                Path file = Path.of(args[i].substring(eq + 1));
                if (Files.isRegularFile(file)) {
                    report(out, args[i].substring(0, eq), file);
                }
            }
        }
    }

    private static void report(PrintStream out, String name, Path file) throws IOException {
        Map<String, Integer> libraries = new HashMap<>();
        Map<String, Integer> methods = new HashMap<>();
        Map<String, Integer> ours = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (!"jdk.ExecutionSample".equals(event.getEventType().getName())) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            RecordedFrame top = stack.getFrames().get(0);
            String type = top.getMethod().getType().getName();
            libraries.merge(library(type), 1, Integer::sum);
            methods.merge(simple(type) + "." + top.getMethod().getName(), 1, Integer::sum);
            String own = "(none of ours on the stack)";
            for (RecordedFrame frame : stack.getFrames()) {
                String t = frame.getMethod().getType().getName();
                if (t.startsWith("io.unichannel.")) {
                    own = simple(t) + "." + frame.getMethod().getName();
                    break;
                }
            }
            ours.merge(own, 1, Integer::sum);
        }
        out.printf("### %s (%d samples)%n%n", name, samples);
        if (samples == 0) {
            out.println("No execution samples were recorded.");
            out.println();
            return;
        }
        table(out, "library (top frame)", libraries, samples, 8);
        table(out, "hottest method", methods, samples, 8);
        table(out, "our first frame on the stack", ours, samples, 8);
    }

    private static void table(PrintStream out, String heading, Map<String, Integer> counts, int samples, int rows) {
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort((a, b) -> b.getValue() - a.getValue());
        out.printf("| %s | share |%n|---|---|%n", heading);
        for (Map.Entry<String, Integer> e : sorted.subList(0, Math.min(rows, sorted.size()))) {
            out.printf("| %s | %.1f %% |%n", e.getKey().replace("|", "\\|"), 100.0 * e.getValue() / samples);
        }
        out.println();
    }

    /** The library a class belongs to: its package, cut to the part that names the project. */
    private static String library(String type) {
        String[] parts = type.split("\\.");
        if (type.startsWith("io.unichannel.")) {
            return parts.length > 3 ? String.join(".", parts[0], parts[1], parts[2], parts[3]) : type;
        }
        if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")) {
            return parts.length > 2 ? parts[0] + "." + parts[1] + "." + parts[2] : type;
        }
        return parts.length > 2 ? parts[0] + "." + parts[1] + "." + parts[2] : type;
    }

    private static String simple(String type) {
        int dot = type.lastIndexOf('.');
        return dot < 0 ? type : type.substring(dot + 1);
    }
}
