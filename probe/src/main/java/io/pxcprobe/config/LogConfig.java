package io.pxcprobe.config;

/** Log format and level. */
public record LogConfig(Format format, Level level) {
    public enum Format {
        TEXT,
        JSON
    }

    public enum Level {
        ERROR,
        WARN,
        INFO,
        DEBUG
    }
}
