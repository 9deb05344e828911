package io.pxcprobe.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * What the command line asked for.
 *
 * @param namespace with {@code check}: the cluster's namespace
 * @param cluster   with {@code check}: the PerconaXtraDBCluster's name
 * @param json      with {@code check} and {@code cluster}: JSON output instead of text
 * @param url       with {@code cluster}: the agent to ask, e.g. http://localhost:9797
 * @param agents    with {@code sidecar}: the DNS name that lists the agents (the chart's headless Service)
 */
public record CommandLine(
        Action action,
        Path config,
        String kubeconfig,
        String namespace,
        String cluster,
        boolean json,
        URI url,
        String agents) {

    public enum Action {
        RUN,
        CHECK_CONFIG,
        CHECK,
        CLUSTER,
        SIDECAR,
        HELP,
        VERSION
    }

    public static final String USAGE = """
            Usage: pxc-probe --config FILE [--kubeconfig FILE]
                   pxc-probe check --namespace NS --cluster NAME [--config FILE] [--kubeconfig FILE] [--output text|json]
                   pxc-probe cluster --url http://AGENT:9797 [--namespace NS] [--cluster NAME] [--output text|json]
                   pxc-probe sidecar --agents DNS-NAME | --config FILE
                   pxc-probe --check-config FILE
                   pxc-probe --help | --version

            Probes the network paths Percona XtraDB Cluster needs (Galera gcomm 4567, IST 4568,
            SST 4444 and the operator's DNS names) from this node and serves the results on HTTP:
            /metrics (Prometheus), /targets (latest results), /probe?cluster=C&pod=P (probe now),
            /cluster (every agent's view in one table), /healthz, /readyz.

              --config FILE        run the agent with this YAML configuration (re-read when it changes)
              --check-config FILE  validate the configuration, print a summary and exit (0 good, 2 bad)
              --kubeconfig FILE    kubeconfig for Kubernetes discovery (default: in-cluster, $KUBECONFIG, ~/.kube/config)
              check                runs every check of one cluster's backup paths once from here and prints
                                   one line per requirement; exit 0 (a backup would get through from
                                   here), 1 (it would not), 2 (bad usage)
              cluster              asks one agent (e.g. through kubectl port-forward) for every agent's
                                   view and prints it as /cluster does; exit 0 (every agent answered,
                                   every path up, every backup verdict ready), 1 (something is down),
                                   2 (bad usage, or the agent gave no answer)
              sidecar              runs inside a PXC pod (spec.pxc.sidecars) and probes every agent's
                                   canary ports (4567, 4444) from there: the paths back into a backup
                                   pod; /metrics on port 9798 without --config. Pod, namespace and
                                   cluster come from POD_NAME, POD_NAMESPACE and PXC_CLUSTER
              --help               this text
              --version            the version
            """;

    /** Parses the arguments; a mistake is a {@link UsageException} with one clear message. */
    public static CommandLine parse(String[] args) throws UsageException {
        if (args.length > 0 && args[0].equals("check")) {
            return parseCheck(args);
        }
        if (args.length > 0 && args[0].equals("cluster")) {
            return parseCluster(args);
        }
        if (args.length > 0 && args[0].equals("sidecar")) {
            return parseSidecar(args);
        }
        Action action = null;
        Path config = null;
        String kubeconfig = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String inlineValue = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                inlineValue = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--help", "-h" -> action = set(action, Action.HELP, a);
                case "--version" -> action = set(action, Action.VERSION, a);
                case "--config" -> {
                    action = set(action, Action.RUN, a);
                    config = Path.of(value(args, i, a, inlineValue));
                    i += inlineValue == null ? 1 : 0;
                }
                case "--check-config" -> {
                    action = set(action, Action.CHECK_CONFIG, a);
                    config = Path.of(value(args, i, a, inlineValue));
                    i += inlineValue == null ? 1 : 0;
                }
                case "--kubeconfig" -> {
                    kubeconfig = value(args, i, a, inlineValue);
                    i += inlineValue == null ? 1 : 0;
                }
                default -> throw new UsageException("unknown argument '" + args[i] + "' (see --help)");
            }
        }
        if (action == null) {
            throw new UsageException("give --config FILE to run the agent (see --help)");
        }
        return new CommandLine(action, config, kubeconfig, null, null, false, null, null);
    }

    private static CommandLine parseCheck(String[] args) throws UsageException {
        Path config = null;
        String kubeconfig = null;
        String namespace = null;
        String cluster = null;
        String output = "text";
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String inlineValue = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                inlineValue = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            String v = switch (a) {
                case "--config", "--kubeconfig", "--namespace", "--cluster", "--output" ->
                    value(args, i, a, inlineValue);
                default -> throw new UsageException("check: unknown argument '" + args[i] + "' (see --help)");
            };
            i += inlineValue == null ? 1 : 0;
            switch (a) {
                case "--config" -> config = Path.of(v);
                case "--kubeconfig" -> kubeconfig = v;
                case "--namespace" -> namespace = v;
                case "--cluster" -> cluster = v;
                default -> output = v;
            }
        }
        if (namespace == null || cluster == null) {
            throw new UsageException("check needs --namespace NS and --cluster NAME (see --help)");
        }
        if (!output.equals("text") && !output.equals("json")) {
            throw new UsageException("check: --output must be text or json, not '" + output + "'");
        }
        return new CommandLine(Action.CHECK, config, kubeconfig, namespace, cluster, output.equals("json"), null, null);
    }

    private static CommandLine parseCluster(String[] args) throws UsageException {
        String url = null;
        String namespace = null;
        String cluster = null;
        String output = "text";
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String inlineValue = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                inlineValue = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            String v = switch (a) {
                case "--url", "--namespace", "--cluster", "--output" -> value(args, i, a, inlineValue);
                default -> throw new UsageException("cluster: unknown argument '" + args[i] + "' (see --help)");
            };
            i += inlineValue == null ? 1 : 0;
            switch (a) {
                case "--url" -> url = v;
                case "--namespace" -> namespace = v;
                case "--cluster" -> cluster = v;
                default -> output = v;
            }
        }
        if (url == null) {
            throw new UsageException("cluster needs --url http://AGENT:9797 (see --help)");
        }
        if (!output.equals("text") && !output.equals("json")) {
            throw new UsageException("cluster: --output must be text or json, not '" + output + "'");
        }
        return new CommandLine(
                Action.CLUSTER, null, null, namespace, cluster, output.equals("json"), agentUrl(url), null);
    }

    private static CommandLine parseSidecar(String[] args) throws UsageException {
        Path config = null;
        String agents = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String inlineValue = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                inlineValue = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            String v = switch (a) {
                case "--config", "--agents" -> value(args, i, a, inlineValue);
                default -> throw new UsageException("sidecar: unknown argument '" + args[i] + "' (see --help)");
            };
            i += inlineValue == null ? 1 : 0;
            if (a.equals("--config")) {
                config = Path.of(v);
            } else {
                agents = v;
            }
        }
        if ((config == null) == (agents == null)) {
            throw new UsageException("sidecar needs either --agents DNS-NAME or --config FILE (see --help)");
        }
        return new CommandLine(Action.SIDECAR, config, null, null, null, false, null, agents);
    }

    private static URI agentUrl(String text) throws UsageException {
        URI u;
        try {
            u = new URI(text);
        } catch (URISyntaxException e) {
            throw new UsageException("cluster: --url '" + text + "' is not a URL: " + e.getReason());
        }
        if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
            throw new UsageException(
                    "cluster: --url must be http://HOST:PORT or https://HOST:PORT, not '" + text + "'");
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            throw new UsageException("cluster: --url takes no query; give --namespace and --cluster instead");
        }
        return u;
    }

    private static Action set(Action current, Action next, String flag) throws UsageException {
        if (current != null && current != next) {
            throw new UsageException(flag + " cannot be combined with the other action given");
        }
        if (current == next && (next == Action.RUN || next == Action.CHECK_CONFIG)) {
            throw new UsageException(flag + " given twice");
        }
        return next;
    }

    private static String value(String[] args, int i, String flag, String inline) throws UsageException {
        if (inline != null) {
            if (inline.isEmpty()) {
                throw new UsageException(flag + " needs a value");
            }
            return inline;
        }
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new UsageException(flag + " needs a value");
        }
        return args[i + 1];
    }

    /** A command-line mistake. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }
}
