package io.pxcprobe.agent;

import io.pxcprobe.config.AgentConfig;
import io.pxcprobe.config.ConfigException;
import io.pxcprobe.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the configuration file when its content changes. Polling the content (not inotify)
 * also catches a Kubernetes ConfigMap update, which swaps a symlink rather than writing the file.
 * A bad edit keeps the last good configuration in force. New content is read only once it is the
 * same on two polls in a row: a file written in place passes through partial states, and a
 * truncated one is often valid YAML (an empty file is a valid configuration with no members).
 */
final class ConfigReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);
    private final Path file;
    private final ConfigLoader loader;
    private final Apply onGood;
    private final Consumer<Boolean> onResult;
    private final ScheduledExecutorService timer;
    private byte[] lastDigest;
    /** Content seen on the last poll but not yet read: read when the next poll sees it unchanged. */
    private byte[] pendingDigest;

    private String lastError;

    /** Puts a parsed configuration in force, or refuses it whole with the reason. */
    @FunctionalInterface
    interface Apply {
        void apply(AgentConfig config) throws ConfigException;
    }

    ConfigReloader(Path file, ConfigLoader loader, Apply onGood, Consumer<Boolean> onResult, long periodMillis) {
        this.file = file;
        this.loader = loader;
        this.onGood = onGood;
        this.onResult = onResult;
        byte[] initial = read();
        this.lastDigest = initial == null ? null : digest(initial);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "config-reload");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::poll, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            byte[] content = read();
            byte[] d = content == null ? null : digest(content);
            if (d == null || Arrays.equals(d, lastDigest)) {
                pendingDigest = null;
                return;
            }
            if (!Arrays.equals(d, pendingDigest)) {
                pendingDigest = d;
                return;
            }
            pendingDigest = null;
            lastDigest = d;
            AgentConfig cfg = loader.parse(file.toString(), content);
            onGood.apply(cfg);
            lastError = null;
            LOG.info("configuration {} re-read and in force", file);
            onResult.accept(true);
        } catch (ConfigException e) {
            if (!e.getMessage().equals(lastError)) {
                LOG.error("configuration not applied, keeping the last good one: {}", e.getMessage());
                lastError = e.getMessage();
            }
            onResult.accept(false);
        } catch (RuntimeException e) {
            LOG.error("configuration reload failed, keeping the last good one", e);
            onResult.accept(false);
        }
    }

    /**
     * The file's bytes, or null while it cannot be read (a ConfigMap swap in progress, say). At most
     * one byte more than the loader accepts is read, so a huge file is refused without being loaded.
     */
    private byte[] read() {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(ConfigLoader.MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] digest(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            return null;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
