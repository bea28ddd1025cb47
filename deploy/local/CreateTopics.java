import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Waits for the local broker, then creates the topics listed in topics.conf that do not exist yet.
 * Run by ./platform with the broker's own jars: java -cp 'libs/*' CreateTopics.java BOOTSTRAP topics.conf
 */
public class CreateTopics {

    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        try (Admin admin = Admin.create(props)) {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
            Set<String> existing = null;
            while (existing == null) {
                try {
                    admin.describeCluster().nodes().get();
                    existing = admin.listTopics().names().get();
                } catch (Exception e) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("Kafka at " + args[0] + " did not become ready", e);
                    }
                    Thread.sleep(500);
                }
            }
            List<NewTopic> missing = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of(args[1]))) {
                String trimmed = line.trim();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] fields = trimmed.split("\\s+");
                if (existing.contains(fields[0])) {
                    continue;
                }
                Map<String, String> configs = new HashMap<>();
                for (int i = 2; i < fields.length; i++) {
                    String[] kv = fields[i].split("=", 2);
                    configs.put(kv[0], kv[1]);
                }
                missing.add(new NewTopic(fields[0], Integer.parseInt(fields[1]), (short) 1).configs(configs));
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
            System.out.println("topics: " + (existing.size()) + " existed, " + missing.size() + " created");
        }
    }
}
