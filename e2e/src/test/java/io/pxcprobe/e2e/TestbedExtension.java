package io.pxcprobe.e2e;

import io.pxcprobe.e2e.testbed.Prerequisites;
import io.pxcprobe.e2e.testbed.Testbed;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One testbed for the whole suite, started by the first test class that needs it and removed
 * when the suite ends (the root store closes it), with the figures written then. Constructors and
 * test methods get the {@link Testbed}, a {@link Scenario} on it and the {@link Figures} as
 * parameters; one marked {@link TlsTestbed} gets a TLS testbed of its class alone instead. A class
 * marked {@link StartHealthy} has each test start from a healthy testbed. A failed test prints
 * the logs that explain it.
 */
public final class TestbedExtension implements ParameterResolver, BeforeEachCallback, TestWatcher {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(TestbedExtension.class);

    /** The testbed, or why it could not start (so that later classes fail fast with the same cause). */
    private static final class Shared implements AutoCloseable {
        private final Testbed testbed;
        private final Throwable failure;

        Shared(boolean tls) {
            Testbed t = null;
            Throwable f = null;
            try {
                Testbed.Settings s = tls ? settings().withTls() : settings();
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
                testbed.close();
            }
        }
    }

    /** The figures of the run, written when the suite ends (whichever testbeds it used). */
    private static final class FiguresFile implements AutoCloseable {
        private final Figures figures = new Figures();

        @Override
        public void close() {
            figures.write(Path.of(System.getProperty("pxcprobe.e2e.figures", "e2e-figures.md")));
        }
    }

    /** A TLS testbed, one per test class that asks for it. */
    private static final class TlsShared implements AutoCloseable {
        private final Shared shared = new Shared(true);

        @Override
        public void close() {
            shared.close();
        }
    }

    static Testbed.Settings settings() {
        String dist = System.getProperty("pxcprobe.dist");
        String rules = System.getProperty("pxcprobe.e2e.rules");
        if (dist == null || rules == null) {
            throw new AssertionError(
                    "system properties pxcprobe.dist and pxcprobe.e2e.rules are not set (run through Maven)");
        }
        return new Testbed.Settings(
                Path.of(dist), Path.of(rules), Duration.ofSeconds(Long.getLong("pxcprobe.e2e.ruleForSeconds", 5)));
    }

    private static Shared shared(ExtensionContext ctx) {
        return ctx.getRoot().getStore(NS).getOrComputeIfAbsent(Shared.class, k -> new Shared(false), Shared.class);
    }

    private static Shared tlsShared(ExtensionContext ctx) {
        return classContext(ctx)
                .getStore(NS)
                .getOrComputeIfAbsent(TlsShared.class, k -> new TlsShared(), TlsShared.class)
                .shared;
    }

    private static Figures figures(ExtensionContext ctx) {
        return ctx.getRoot()
                .getStore(NS)
                .getOrComputeIfAbsent(FiguresFile.class, k -> new FiguresFile(), FiguresFile.class)
                .figures;
    }

    /** The class's own context, also when JUnit hands a method's context to the constructor. */
    private static ExtensionContext classContext(ExtensionContext ctx) {
        ExtensionContext c = ctx;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }

    /** The testbed already started for {@code ctx} (the class's TLS one first), if any: a failure never starts one. */
    private static Testbed started(ExtensionContext ctx) {
        TlsShared tls = classContext(ctx).getStore(NS).get(TlsShared.class, TlsShared.class);
        Shared s = tls != null ? tls.shared : ctx.getRoot().getStore(NS).get(Shared.class, Shared.class);
        return s == null ? null : s.testbed;
    }

    /** The started testbed of {@code s}, or the reason it did not start. */
    private static Testbed testbed(Shared s) {
        if (s.failure != null) {
            throw new AssertionError("the testbed did not start: " + s.failure, s.failure);
        }
        return s.testbed;
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext ctx) {
        Class<?> type = p.getParameter().getType();
        return type == Testbed.class || type == Scenario.class || type == Figures.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext ctx) {
        Class<?> type = p.getParameter().getType();
        if (type == Figures.class) {
            return figures(ctx);
        }
        Testbed tb = testbed(p.isAnnotated(TlsTestbed.class) ? tlsShared(ctx) : shared(ctx));
        return type == Scenario.class ? new Scenario(tb) : tb;
    }

    @Override
    public void beforeEach(ExtensionContext ctx) {
        if (ctx.getRequiredTestClass().isAnnotationPresent(StartHealthy.class)) {
            new Scenario(testbed(shared(ctx))).healthy();
        }
    }

    @Override
    public void testFailed(ExtensionContext ctx, Throwable cause) {
        Testbed t = started(ctx);
        if (t != null) {
            System.out.println("==== " + ctx.getDisplayName() + " failed: " + cause + "\n" + t.diagnostics());
        }
    }
}
