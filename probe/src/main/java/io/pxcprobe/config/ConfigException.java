package io.pxcprobe.config;

/** A configuration mistake, with the file, line and key it was found at. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
