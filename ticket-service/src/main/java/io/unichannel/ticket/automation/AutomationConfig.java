package io.unichannel.ticket.automation;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How automatic handling runs: which rule sets act or only record, the retry budget, where the rule files live. */
@ConfigMapping(prefix = "ticket.automation")
public interface AutomationConfig {

    /** Off: no ticket is given to the rules (every ticket goes to people, as before). */
    @WithDefault("true")
    boolean enabled();

    /**
     * Per rule set: {@code act} carries out the decision, {@code shadow} records it and hands the
     * ticket to a person as if there were no rules (to try a new rule set on live traffic).
     */
    @WithDefault("")
    Map<String, String> mode();

    /** A directory of DRL files that replaces the shipped rule sets (same file names). */
    Optional<Path> rulesDir();

    /** How often each replica looks for due tasks (the scheduler's floor is a second). */
    @WithDefault("1s")
    Duration pollInterval();

    /** Wait after start-up before the first poll. */
    @WithDefault("2s")
    Duration startDelay();

    /** Tries before a task whose BSS or OSS stays away goes to a person. */
    @WithDefault("5")
    int maxAttempts();

    @WithDefault("2s")
    Duration initialBackoff();

    /** Longest a package change or bill question waits for the BSS (its circuit open) before going to a person. */
    @WithDefault("30m")
    Duration maxWait();

    /** How long a claimed task stays with the replica working it. */
    @WithDefault("60s")
    Duration lease();

    @WithDefault("32")
    int batch();

    /** Tasks worked side by side per replica. */
    @WithDefault("8")
    int concurrency();

    default String modeOf(String ruleSet) {
        return mode().getOrDefault(ruleSet, "act");
    }
}
