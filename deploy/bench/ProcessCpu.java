import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * CPU time per part of the platform, read from Linux's process accounting (/proc), so a benchmark
 * can say what each process spent, not only how fast the answers came.
 *
 * <p>A part is named by the process that leads it: the part's CPU is that of every process in the
 * leader's process group (./platform starts each part in a group of its own), of the leader's direct
 * children (PostgreSQL's backends live in groups of their own) and of the children the leader has
 * already reaped (PostgreSQL backends of closed connections).
 *
 * <p>Parts come from a file of lines {@code name pid} (./platform writes one). Used by the request-path
 * benchmark per load step, and on its own as {@code java ProcessCpu.java PARTS_FILE SECONDS OUT_FILE}:
 * CPU at rest over SECONDS, per part, as a Markdown table.
 */
public final class ProcessCpu {

    /** Clock ticks per second of /proc's accounting (USER_HZ); 100 on every Linux that matters. */
    static final double TICKS_PER_SECOND = Double.parseDouble(System.getenv().getOrDefault("CLK_TCK", "100"));

    private final Map<String, Long> leaders;

    ProcessCpu(Map<String, Long> leaders) {
        this.leaders = leaders;
    }

    /** The parts named in a file of {@code name pid} lines; blank lines and # comments are skipped. */
    static ProcessCpu fromFile(Path file) throws IOException {
        Map<String, Long> leaders = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] fields = trimmed.split("\\s+");
            leaders.put(fields[0], Long.parseLong(fields[1]));
        }
        return new ProcessCpu(leaders);
    }

    List<String> parts() {
        return new ArrayList<>(leaders.keySet());
    }

    /** CPU seconds each part has used so far. */
    Map<String, Double> sample() {
        List<long[]> processes = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                long[] stat = stat(p.resolve("stat"));
                if (stat != null) {
                    processes.add(stat);
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc: " + e.getMessage(), e);
        }
        Map<String, Double> seconds = new LinkedHashMap<>();
        leaders.forEach((part, leader) -> {
            Set<Long> counted = new HashSet<>();
            long ticks = 0;
            for (long[] s : processes) {
                // s: pid, ppid, pgrp, utime, stime, cutime, cstime
                boolean inPart = s[2] == leader || s[1] == leader || s[0] == leader;
                if (inPart && counted.add(s[0])) {
                    ticks += s[3] + s[4];
                    if (s[0] == leader) {
                        ticks += s[5] + s[6];
                    }
                }
            }
            seconds.put(part, ticks / TICKS_PER_SECOND);
        });
        return seconds;
    }

    /** pid, ppid, pgrp, utime, stime, cutime, cstime of one process, or null when it has gone. */
    static long[] stat(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        // The command name (field 2) is in parentheses and may hold spaces: parse after its last ')'.
        int close = text.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] f = text.substring(close + 2).split(" ");
        // f[0] is field 3 (state): ppid is field 4, pgrp 5, utime 14, stime 15, cutime 16, cstime 17.
        return new long[] {Long.parseLong(text.substring(0, text.indexOf(' '))), Long.parseLong(f[1]),
                Long.parseLong(f[2]), Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]),
                Long.parseLong(f[14])};
    }

    /** What each part spent between two samples, in CPU seconds. */
    static Map<String, Double> between(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> spent = new LinkedHashMap<>();
        after.forEach((part, value) -> spent.put(part, Math.max(0, value - before.getOrDefault(part, 0.0))));
        return spent;
    }

    /** CPU at rest: java ProcessCpu.java PARTS_FILE SECONDS OUT_FILE. */
    public static void main(String[] args) throws Exception {
        ProcessCpu cpu = fromFile(Path.of(args[0]));
        int seconds = Integer.parseInt(args[1]);
        Map<String, Double> before = cpu.sample();
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        Map<String, Double> spent = between(before, cpu.sample());
        double wall = (System.nanoTime() - start) / 1e9;
        StringBuilder table = new StringBuilder("| process | CPU s | % of one core |\n|---|---|---|\n");
        double total = 0;
        for (Map.Entry<String, Double> e : spent.entrySet()) {
            total += e.getValue();
            table.append(String.format("| %s | %.2f | %.1f |%n", e.getKey(), e.getValue(), 100 * e.getValue() / wall));
        }
        table.append(String.format("| **all together** | %.2f | **%.1f** |%n", total, 100 * total / wall));
        System.out.print(table);
        System.out.printf("TOTAL_PERCENT %.1f%n", 100 * total / wall);
        Files.writeString(Path.of(args[2]), table.toString());
    }
}
