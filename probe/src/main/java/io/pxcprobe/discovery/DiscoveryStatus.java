package io.pxcprobe.discovery;

/**
 * @param up                whether the source is in sync with its backend now
 * @param synced            whether it has ever delivered a complete snapshot (readiness)
 * @param lastSyncEpochMillis wall-clock time of the last successful sync, 0 if none
 * @param problem           what is wrong when not up, for logs and /readyz; null when up
 */
public record DiscoveryStatus(boolean up, boolean synced, long lastSyncEpochMillis, String problem) {}
