package io.pxcprobe.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * Collections and the time spent in them per collector, read from the collectors' MXBeans when
 * Prometheus scrapes. Micrometer's JvmGcMetrics instead handles a JMX notification after every
 * collection, and with the agent's small young generation (a collection or more a second) building
 * each notification's GcInfo cost about 2 % of the agent's CPU (docs/benchmarks.md, "CPU").
 */
public final class JvmGcCounters implements MeterBinder {
    @Override
    public void bindTo(MeterRegistry registry) {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            FunctionCounter.builder("jvm.gc.collections", gc, GarbageCollectorMXBean::getCollectionCount)
                    .tag("gc", gc.getName())
                    .description("Collections this collector has run")
                    .register(registry);
            FunctionCounter.builder("jvm.gc.collection.time", gc, b -> b.getCollectionTime() / 1000.0)
                    .tag("gc", gc.getName())
                    .baseUnit("seconds")
                    .description("Time this collector's collections took, pauses included")
                    .register(registry);
        }
    }
}
