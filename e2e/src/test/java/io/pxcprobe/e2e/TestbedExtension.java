package io.pxcprobe.e2e;

import io.pxcprobe.e2e.testbed.Prerequisites;
import io.pxcprobe.e2e.testbed.Testbed;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One testbed for the whole suite, started by the first test class that needs it and removed
 * when the suite ends (the root store closes it), with the figures written then. A failed test
 * prints the logs that explain it.
 */
public final class TestbedExtension implements ParameterResolver, TestWatcher {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(TestbedExtension.class);

    /** The testbed, or why it could not start (so that later classes fail fast with the same cause). */
    private static final class Shared implements AutoCloseable {
        private final Testbed testbed;
        private final Figures figures = new Figures();
        private final Throwable failure;

        Shared() {
            Testbed t = null;
            Throwable f = null;
            try {
                Testbed.Settings s = settings();
                Prerequisites.check(s);
                t = Testbed.start(s);
            } catch (Throwable e) {
                f = e;
            }
            testbed = t;
            failure = f;
        }

        @Override
        public void close() {
            if (testbed != null) {
                figures.write(Path.of(System.getProperty("pxcprobe.e2e.figures", "e2e-figures.md")));
                testbed.close();
            }
        }
    }

    static Testbed.Settings settings() {
        String dist = System.getProperty("pxcprobe.dist");
        String rules = System.getProperty("pxcprobe.e2e.rules");
        if (dist == null || rules == null) {
            throw new AssertionError("system properties pxcprobe.dist and pxcprobe.e2e.rules are not set (run through Maven)");
        }
        return new Testbed.Settings(Path.of(dist), Path.of(rules),
                Duration.ofSeconds(Long.getLong("pxcprobe.e2e.ruleForSeconds", 5)));
    }

    private static Shared shared(ExtensionContext ctx) {
        return ctx.getRoot().getStore(NS).getOrComputeIfAbsent(Shared.class, k -> new Shared(), Shared.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext ctx) {
        Class<?> type = p.getParameter().getType();
        return type == Testbed.class || type == Figures.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext ctx) {
        Shared s = shared(ctx);
        if (s.failure != null) {
            throw new AssertionError("the testbed did not start: " + s.failure, s.failure);
        }
        return p.getParameter().getType() == Testbed.class ? s.testbed : s.figures;
    }

    @Override
    public void testFailed(ExtensionContext ctx, Throwable cause) {
        Shared s = shared(ctx);
        if (s.testbed != null) {
            System.out.println("==== " + ctx.getDisplayName() + " failed: " + cause + "\n" + s.testbed.diagnostics());
        }
    }
}
