package io.pxcprobe.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The packaged agent distribution (bin/pxc-probe and its own runtime) at a path the caller gives,
 * run as a user runs it: optionally wrapped (in a network namespace, as another user) and with an
 * environment of the caller's choosing.
 */
public final class Distribution {
    private final Path home;
    private final List<String> wrapper;
    private final Consumer<Map<String, String>> environment;

    private Distribution(Path home, List<String> wrapper, Consumer<Map<String, String>> environment) {
        this.home = home;
        this.wrapper = List.copyOf(wrapper);
        this.environment = environment;
    }

    /** The distribution at {@code home}, run directly with the test's environment. */
    public static Distribution at(Path home) {
        return new Distribution(home, List.of(), env -> {});
    }

    /** What a bare login gives: no JAVA_HOME, PATH {@code /usr/bin:/bin}, nothing else. */
    public static void bareEnvironment(Map<String, String> env) {
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
    }

    /** Run through {@code wrapper}, e.g. {@code ip netns exec NAME} or {@code setpriv --reuid=65532 ...}. */
    public Distribution wrappedIn(List<String> wrapper) {
        return new Distribution(home, wrapper, environment);
    }

    /** @param environment edits the inherited environment (may clear it) */
    public Distribution withEnvironment(Consumer<Map<String, String>> environment) {
        return new Distribution(home, wrapper, environment);
    }

    public Path home() {
        return home;
    }

    public Path launcher() {
        return home.resolve("bin/pxc-probe");
    }

    public boolean built() {
        return Files.isExecutable(launcher());
    }

    /** A short run of the launcher (--version and the like), for the caller to start and wait for. */
    public ProcessBuilder command(String... args) {
        ProcessBuilder pb = new ProcessBuilder(argv(List.of(args)));
        environment.accept(pb.environment());
        return pb;
    }

    /**
     * Starts the agent on {@code config}, its output appended to {@code log} (under the module's
     * target/ or a test's own directory); {@code host:port} is where the configuration binds HTTP.
     */
    public AgentProcess start(Path config, Path log, String host, int port) {
        Daemon d = Daemon.start("pxc-probe", log, argv(List.of("--config", config.toString())), environment);
        return new AgentProcess(d, "http://" + host + ":" + port);
    }

    /** Starts the launcher with {@code args} (e.g. {@code sidecar --agents NAME}), serving HTTP at {@code host:port}. */
    public AgentProcess startWith(List<String> args, Path log, String host, int port) {
        Daemon d = Daemon.start("pxc-probe", log, argv(args), environment);
        return new AgentProcess(d, "http://" + host + ":" + port);
    }

    private List<String> argv(List<String> args) {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.add(launcher().toString());
        cmd.addAll(args);
        return cmd;
    }
}
