package io.unichannel.ticket.automation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.drools.model.codegen.ExecutableModelProject;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieContainer;
import org.kie.api.runtime.KieSession;

import io.quarkus.logging.Log;

/**
 * The automation's rule sets: DRL files a business analyst reads and changes, each with a name and
 * a version in its header ({@code // rule-set: …}, {@code // version: …}). They ship in the jar under
 * {@code rules/}; a directory named by {@code ticket.automation.rules-dir} replaces them without a
 * rebuild. Each set is compiled to Drools' executable model once, in the background at start-up,
 * so a replica is ready at once and its first decision waits only for what is still compiling.
 */
public final class RuleSets {

    private static final Pattern VERSION = Pattern.compile("(?m)^//\\s*version:\\s*(\\S+)");
    private static final Pattern NAME = Pattern.compile("(?m)^//\\s*rule-set:\\s*(\\S+)");

    /** A compiled rule set. */
    public record RuleSet(String name, String version, KieContainer container) {
    }

    /** One decision: the findings the rules inserted, the rules that fired, and how long it took. */
    public record Decided(String ruleSet, String version, List<Finding> findings, List<String> firedRules, long nanos) {

        public Optional<Finding> first(String kind) {
            return findings.stream().filter(f -> f.getKind().equals(kind)).findFirst();
        }

        public List<Finding> all(String kind) {
            return findings.stream().filter(f -> f.getKind().equals(kind)).toList();
        }
    }

    private final Map<String, CompletableFuture<RuleSet>> sets = new ConcurrentHashMap<>();

    /**
     * Reads each named set from {@code directory} if given, else from the jar, checks its header,
     * and starts compiling them all in one build on one low-priority thread: compiling is seconds
     * of CPU, and a replica that has just taken over must keep its event loops for intake.
     */
    public RuleSets(List<String> names, Optional<Path> directory) {
        Map<String, String> sources = new java.util.LinkedHashMap<>();
        Map<String, String> versions = new java.util.LinkedHashMap<>();
        for (String name : names) {
            String source = read(name, directory);
            versions.put(name, version(name, source));
            sources.put(name, source);
        }
        CompletableFuture<KieContainer> container = new CompletableFuture<>();
        Thread compiler = new Thread(() -> {
            try {
                container.complete(compile(sources));
            } catch (RuntimeException | Error e) {
                Log.errorf(e, "Automation rule sets %s do not compile; no ticket is decided by rules", names);
                container.completeExceptionally(e);
            }
        }, "rule-sets-compiler");
        compiler.setDaemon(true);
        compiler.setPriority(Thread.MIN_PRIORITY);
        compiler.start();
        for (String name : names) {
            sets.put(name, container.thenApply(c -> new RuleSet(name, versions.get(name), c)));
        }
    }

    /** The set, compiling it first if it is not compiled yet. */
    public RuleSet get(String name) {
        CompletableFuture<RuleSet> set = sets.get(name);
        if (set == null) {
            throw new IllegalArgumentException("no rule set " + name);
        }
        return set.join();
    }

    /** True once every set has compiled. */
    public boolean ready() {
        return sets.values().stream().allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    }

    /** Runs a rule set over these facts. */
    public Decided decide(String name, Object... facts) {
        RuleSet set = get(name);
        long start = System.nanoTime();
        KieSession session = set.container().newKieSession();
        List<String> fired = new ArrayList<>();
        try {
            session.addEventListener(new DefaultAgendaEventListener() {
                @Override
                public void afterMatchFired(AfterMatchFiredEvent event) {
                    fired.add(event.getMatch().getRule().getName());
                }
            });
            for (Object fact : facts) {
                session.insert(fact);
            }
            session.fireAllRules();
            List<Finding> findings = session.getObjects(o -> o instanceof Finding).stream().map(Finding.class::cast)
                    .sorted(java.util.Comparator.comparing(Finding::getKind).thenComparing(Finding::getCode)).toList();
            return new Decided(set.name(), set.version(), findings, List.copyOf(fired), System.nanoTime() - start);
        } finally {
            session.dispose();
        }
    }

    static String read(String name, Optional<Path> directory) {
        try {
            if (directory.isPresent()) {
                return Files.readString(directory.get().resolve(name + ".drl"), StandardCharsets.UTF_8);
            }
            try (InputStream in = RuleSets.class.getClassLoader().getResourceAsStream("rules/" + name + ".drl")) {
                if (in == null) {
                    throw new IllegalStateException("rule set " + name + " is not in the jar (rules/" + name + ".drl)");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read rule set " + name, e);
        }
    }

    /** Name and version from the file's header; a file without them is refused. */
    static String version(String name, String source) {
        Matcher declared = NAME.matcher(source);
        if (!declared.find() || !declared.group(1).equals(name)) {
            throw new IllegalStateException("rules/" + name + ".drl must start with '// rule-set: " + name + "'");
        }
        Matcher version = VERSION.matcher(source);
        if (!version.find()) {
            throw new IllegalStateException("rules/" + name + ".drl must say its version ('// version: …')");
        }
        return version.group(1);
    }

    /** One build of every set (each DRL declares its own package; a set's rules match only its own facts). */
    private static KieContainer compile(Map<String, String> sources) {
        long start = System.nanoTime();
        KieServices kie = KieServices.Factory.get();
        ReleaseId release = kie.newReleaseId("io.unichannel.rules", "automation", "1.0.0");
        KieFileSystem files = kie.newKieFileSystem().generateAndWritePomXML(release);
        sources.forEach((name, source) -> files.write("src/main/resources/io/unichannel/ticket/automation/" + name.replace("-", "") + "/" + name + ".drl", source));
        KieBuilder builder = kie.newKieBuilder(files).buildAll(ExecutableModelProject.class);
        List<Message> errors = builder.getResults().getMessages(Message.Level.ERROR);
        if (!errors.isEmpty()) {
            throw new IllegalStateException("rule sets " + sources.keySet() + " do not compile: " + errors);
        }
        KieContainer container = kie.newKieContainer(release, RuleSets.class.getClassLoader());
        Log.infof("Rule sets %s compiled in %d ms", sources.keySet(), (System.nanoTime() - start) / 1_000_000);
        return container;
    }
}
