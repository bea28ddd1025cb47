package io.unichannel.common.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;


/**
 * A real platform service, started from its packaged jar as a separate process with its own
 * end-to-end database, so a test can drive the whole path across services, run several replicas,
 * and kill one with SIGKILL mid-burst.
 */
public final class ServiceProcess implements AutoCloseable {

    private final String service;
    private final Path jar;
    private final Map<String, String> settings;
    private final int port;
    private final Path log;
    private Process process;

    private ServiceProcess(String service, Map<String, String> settings) {
        this.service = service;
        this.settings = settings;
        jar = Path.of("../" + service + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar.toAbsolutePath() + " is missing: build " + service + " first "
                    + "(./platform test builds every module in order)");
        }
        port = freePort();
        try {
            log = Files.createTempFile(service + "-e2e", ".log");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Ports handed to processes of this test run: the kernel may offer a just-closed port again. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A loopback port that is free now and not given to another process of this run. Two replicas
     * constructed back to back once got the same port: one failed to bind, and its health check
     * was answered by the other.
     */
    public static int freePort() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no free loopback port after 50 attempts");
    }

    /** Any service with these settings (environment variables) on top of the local infrastructure. */
    public static ServiceProcess of(String service, Map<String, String> settings) {
        return new ServiceProcess(service, settings);
    }

    /** ticket-service on database ticket_e2e, in its own consumer group. */
    public static ServiceProcess ticketService() {
        return new ServiceProcess("ticket-service", Map.of(
                "DB_NAME", "ticket_e2e",
                "MP_MESSAGING_INCOMING_CHANNEL_REQUESTS_GROUP_ID", "ticket-service-e2e",
                "MP_MESSAGING_INCOMING_IDENTITY_EVENTS_GROUP_ID", "ticket-service-e2e",
                "MP_MESSAGING_INCOMING_SURVEY_EVENTS_GROUP_ID", "ticket-service-e2e"));
    }

    /** identity-service on database identity_e2e. */
    public static ServiceProcess identityService() {
        return new ServiceProcess("identity-service", Map.of("DB_NAME", "identity_e2e"));
    }

    /** Starts the service and waits until it is ready. */
    public ServiceProcess start() {
        return start("/q/health/ready");
    }

    /**
     * Starts these services three at a time and returns when every one is ready: replicas of a
     * deployment come up side by side, as they do on Kubernetes, and a test waits for the slowest
     * instead of the sum.
     */
    public static void startAll(java.util.Collection<ServiceProcess> services) {
        java.util.concurrent.ExecutorService starters = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            java.util.List<java.util.concurrent.Future<ServiceProcess>> started = new java.util.ArrayList<>();
            for (ServiceProcess service : services) {
                started.add(starters.submit((java.util.concurrent.Callable<ServiceProcess>) service::start));
            }
            for (java.util.concurrent.Future<ServiceProcess> future : started) {
                try {
                    future.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new AssertionError(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        } finally {
            starters.shutdown();
        }
    }

    /** Starts the service and waits only until it is alive (for a service whose dependencies are meant to be down). */
    public ServiceProcess startAlive() {
        return start("/q/health/live");
    }

    /**
     * Starts the service and waits for it to exit (a service that must refuse to start).
     *
     * @return its exit code
     */
    public int runToExit(Duration timeout) throws InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("HTTP_PORT", String.valueOf(port));
        builder.environment().put("DB_PORT", System.getenv().getOrDefault("DB_PORT", "15432"));
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", PlatformInfra.kafkaBootstrapServers());
        builder.environment().put("KEYCLOAK_URL", PlatformInfra.keycloakUrl());
        builder.environment().putAll(settings);
        try {
            process = builder.start();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new AssertionError(service + " still running after " + timeout + "; see " + log);
        }
        return process.exitValue();
    }

    /** How a test starts the jar: as an operator would, with a small heap. */
    private java.util.List<String> command() {
        return java.util.List.of("java", "-Xmx384m", "-jar", jar.toString());
    }

    /** What the service has logged so far. */
    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private ServiceProcess start(String healthPath) {
        ProcessBuilder builder = new ProcessBuilder(command())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_PROFILE", "local");
        env.put("HTTP_PORT", String.valueOf(port));
        env.put("DB_PORT", System.getenv().getOrDefault("DB_PORT", "15432"));
        env.put("KAFKA_BOOTSTRAP_SERVERS", PlatformInfra.kafkaBootstrapServers());
        env.put("KEYCLOAK_URL", PlatformInfra.keycloakUrl());
        env.putAll(settings);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        awaitHealthy(healthPath, Duration.ofSeconds(60));
        return this;
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGSTOP: the process freezes with its connections open, as a hung or cut-off replica would. */
    public void freeze() throws InterruptedException, IOException {
        new ProcessBuilder("kill", "-STOP", String.valueOf(process.pid())).start().waitFor();
    }

    /** SIGCONT: a frozen process carries on where it stopped. */
    public void thaw() throws InterruptedException, IOException {
        new ProcessBuilder("kill", "-CONT", String.valueOf(process.pid())).start().waitFor();
    }

    /** The operating-system process id while it runs. */
    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public String service() {
        return service;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitHealthy(String healthPath, Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError(service + " exited; see " + log);
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + healthPath))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200 && listening()) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError(service + " not healthy (" + healthPath + ") within " + timeout + "; see " + log);
    }

    /** True once this process says it listens on its port: a 200 from anyone else does not count. */
    private boolean listening() {
        return java.util.regex.Pattern.compile("Listening on: https?://127\\.0\\.0\\.1:" + port + "\\b")
                .matcher(logText()).find();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public File logFile() {
        return log.toFile();
    }
}
