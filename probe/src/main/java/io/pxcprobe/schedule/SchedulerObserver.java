package io.pxcprobe.schedule;

import java.util.Locale;

/** What the scheduler reports about itself; called on the scheduler's event loop, must not block. */
public interface SchedulerObserver {

    void started(String kind, long latenessNanos);

    void skipped(String kind, SkipReason reason);

    enum SkipReason {
        /** The previous run of the same check had not finished. */
        OVERLAP,
        /** The in-flight limit was reached. */
        CONCURRENCY;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    SchedulerObserver NONE = new SchedulerObserver() {
        @Override
        public void started(String kind, long latenessNanos) {}

        @Override
        public void skipped(String kind, SkipReason reason) {}
    };
}
