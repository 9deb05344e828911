package io.pxcprobe;

import io.pxcprobe.agent.Agent;
import io.pxcprobe.agent.AgentOptions;
import io.pxcprobe.agent.DiscoveryFactory;
import io.pxcprobe.agent.TcpModes;
import io.pxcprobe.agent.Version;
import io.pxcprobe.check.BackupCheck;
import io.pxcprobe.check.CheckReport;
import io.pxcprobe.cli.CommandLine;
import io.pxcprobe.config.AgentConfig;
import io.pxcprobe.config.ConfigException;
import io.pxcprobe.config.ConfigLoader;
import io.pxcprobe.config.Durations;
import io.pxcprobe.config.LogConfig;
import io.pxcprobe.config.PortSpec;
import io.pxcprobe.log.Logging;
import io.pxcprobe.mesh.ClusterCommand;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/** The command: exit 0 on success, 2 on a bad flag or configuration, 1 when the agent cannot start. */
public final class Main {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_USAGE = 2;

    private Main() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != OK) {
            System.exit(code);
        }
    }

    /** The sidecar's HTTP port without --config: beside the agent's 9797, clear of every PXC port. */
    static final int SIDECAR_PORT = 9798;

    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cmd;
        try {
            cmd = CommandLine.parse(args);
        } catch (CommandLine.UsageException e) {
            err.println("pxc-probe: " + e.getMessage());
            return BAD_USAGE;
        }
        switch (cmd.action()) {
            case HELP -> {
                out.print(CommandLine.USAGE);
                return OK;
            }
            case VERSION -> {
                out.println("pxc-probe " + Version.current());
                return OK;
            }
            case CLUSTER -> {
                return ClusterCommand.run(cmd, out, err);
            }
            default -> {}
        }
        TcpModes modes = TcpModes.detect();
        AgentConfig config;
        try {
            ConfigLoader loader = ConfigLoader.fromEnvironment().withModeCheck(modes::problem);
            config = cmd.config() != null
                    ? loader.load(cmd.config())
                    : cmd.action() == CommandLine.Action.SIDECAR
                            ? loader.parse("sidecar --agents", sidecarDefaults(cmd.agents()))
                            : loader.parse("(defaults)", "");
            if (cmd.action() == CommandLine.Action.SIDECAR && config.sidecar().isEmpty()) {
                throw new ConfigException(cmd.config() + ": sidecar needs a sidecar: section");
            }
        } catch (ConfigException e) {
            err.println("pxc-probe: " + e.getMessage());
            return BAD_USAGE;
        }
        for (String kubeconfig :
                new String[] {cmd.kubeconfig(), config.kubernetes().kubeconfig()}) {
            if (kubeconfig != null && !Files.isReadable(Path.of(kubeconfig))) {
                err.println("pxc-probe: kubeconfig " + kubeconfig + " cannot be read");
                return BAD_USAGE;
            }
        }
        if (cmd.action() == CommandLine.Action.CHECK_CONFIG) {
            out.print(summary(cmd, config));
            return OK;
        }
        if (cmd.action() == CommandLine.Action.CHECK) {
            return runCheck(cmd, config, modes, out, err);
        }
        return runAgent(cmd, config, modes, err);
    }

    /** Exit 0 when a backup started here would get through, 1 when it would not. */
    private static int runCheck(CommandLine cmd, AgentConfig config, TcpModes modes, PrintStream out, PrintStream err) {
        Logging.configure(new LogConfig(LogConfig.Format.TEXT, LogConfig.Level.WARN));
        AgentOptions options = AgentOptions.defaults(null)
                .withTcpModes(modes)
                .withSources(DiscoveryFactory.standard(cmd.kubeconfig()));
        BackupCheck.Outcome o;
        try {
            o = BackupCheck.run(config, options, cmd.namespace(), cmd.cluster());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        } catch (RuntimeException e) {
            err.println("pxc-probe check: cannot run: " + e.getMessage());
            return FAILED;
        }
        out.print(cmd.json() ? CheckReport.json(o, config.node()) : CheckReport.text(o, config.node()));
        return CheckReport.ready(o) ? OK : FAILED;
    }

    private static int runAgent(CommandLine cmd, AgentConfig config, TcpModes modes, PrintStream err) {
        Logging.configure(config.log());
        AgentOptions options = AgentOptions.defaults(cmd.config())
                .withTcpModes(modes)
                .withSources(DiscoveryFactory.standard(cmd.kubeconfig()));
        Agent agent;
        try {
            agent = Agent.start(config, options);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(Main.class).error("cannot start: {}", e.toString());
            err.println("pxc-probe: cannot start: " + e.getMessage());
            return FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            agent.close();
                            stopped.countDown();
                        },
                        "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OK;
    }

    /** A sidecar's whole configuration from {@code --agents}: every other setting has its default. */
    static String sidecarDefaults(String agents) {
        return "http:\n  port: " + SIDECAR_PORT + "\nsidecar:\n  agents:\n    dns: '" + agents.replace("'", "''")
                + "'\n";
    }

    private static String summary(CommandLine cmd, AgentConfig c) {
        StringBuilder sb = new StringBuilder();
        sb.append(cmd.config()).append(": ok\n");
        sb.append("  node ")
                .append(c.node())
                .append(", http ")
                .append(c.http().bind())
                .append(':')
                .append(c.http().port())
                .append('\n');
        for (PortSpec p : c.tcp().ports()) {
            sb.append("  tcp ")
                    .append(p.name())
                    .append(' ')
                    .append(p.port())
                    .append(" expect ")
                    .append(p.expect().label())
                    .append(" every ")
                    .append(Durations.format(p.interval()))
                    .append(" timeout ")
                    .append(Durations.format(p.timeout()))
                    .append(" mode ")
                    .append(p.mode().label())
                    .append('\n');
        }
        sb.append("  dns every ")
                .append(Durations.format(c.dns().interval()))
                .append(" timeout ")
                .append(Durations.format(c.dns().timeout()))
                .append(", resolvers ")
                .append(
                        c.dns().resolvers().isEmpty()
                                ? "system"
                                : c.dns().resolvers().stream()
                                        .map(r -> r.label())
                                        .toList())
                .append('\n');
        int members = c.staticDiscovery().clusters().stream()
                .mapToInt(cl -> cl.members().size())
                .sum();
        sb.append("  static: ")
                .append(c.staticDiscovery().clusters().size())
                .append(" cluster(s), ")
                .append(members)
                .append(" member(s)\n");
        sb.append("  kubernetes discovery: ")
                .append(c.kubernetes().enabled().name().toLowerCase(Locale.ROOT))
                .append('\n');
        return sb.toString();
    }
}
