package io.pxcprobe.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * One YAML mapping read strictly: every key taken is remembered, and {@link #finish()} rejects the
 * rest, so a typo is an error naming the key and its line instead of a silently ignored setting.
 */
public final class YamlSection {
    private final String file;
    private final String path;
    private final Node node;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Set<String> taken = new LinkedHashSet<>();

    YamlSection(String file, String path, Node node) throws ConfigException {
        this.file = file;
        this.path = path;
        this.node = node;
        if (node == null) {
            return;
        }
        if (!(node instanceof MappingNode mapping)) {
            throw error(node, path.isEmpty() ? "the file" : path, "must be a mapping of keys to values");
        }
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                throw error(tuple.getKeyNode(), path, "keys must be plain words");
            }
            if (entries.putIfAbsent(key.getValue(), tuple) != null) {
                throw error(key, path.isEmpty() ? key.getValue() : path + "." + key.getValue(), "given twice");
            }
        }
    }

    static YamlSection empty(String file, String path) throws ConfigException {
        return new YamlSection(file, path, null);
    }

    public String path() {
        return path;
    }

    public String file() {
        return file;
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    /** The keys present in this mapping, in file order; used for maps keyed by user-chosen names. */
    public List<String> keys() {
        taken.addAll(entries.keySet());
        return List.copyOf(entries.keySet());
    }

    public String string(String key, String fallback) throws ConfigException {
        Node v = value(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof ScalarNode s)) {
            throw error(v, child(key), "must be a single value");
        }
        return s.getValue();
    }

    public String requiredString(String key) throws ConfigException {
        String s = string(key, null);
        if (s == null || s.isBlank()) {
            throw error(node, child(key), "is required");
        }
        return s.trim();
    }

    public int integer(String key, int fallback, int min, int max) throws ConfigException {
        String s = string(key, null);
        if (s == null) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(s.trim());
            if (v < min || v > max) {
                throw error(value(key), child(key), s + " is out of range " + min + "-" + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw error(value(key), child(key), "'" + s + "' is not a whole number");
        }
    }

    public boolean bool(String key, boolean fallback) throws ConfigException {
        String s = string(key, null);
        if (s == null) {
            return fallback;
        }
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error(value(key), child(key), "'" + s + "' is not true or false");
        };
    }

    public Duration duration(String key, Duration fallback, Duration min, Duration max) throws ConfigException {
        String s = string(key, null);
        if (s == null) {
            return fallback;
        }
        try {
            Duration d = Durations.parse(s);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw error(
                        value(key),
                        child(key),
                        s + " is out of range " + Durations.format(min) + "-" + Durations.format(max));
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw error(value(key), child(key), e.getMessage());
        }
    }

    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E fallback) throws ConfigException {
        String s = string(key, null);
        if (s == null) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s.trim())) {
                return e;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw error(value(key), child(key), "'" + s + "' is not one of " + String.join(", ", allowed));
    }

    public YamlSection section(String key) throws ConfigException {
        Node v = value(key);
        return v == null ? empty(file, child(key)) : new YamlSection(file, child(key), v);
    }

    public List<YamlSection> sections(String key) throws ConfigException {
        List<YamlSection> out = new ArrayList<>();
        List<Node> items = items(key);
        for (int i = 0; i < items.size(); i++) {
            out.add(new YamlSection(file, child(key) + "[" + i + "]", items.get(i)));
        }
        return out;
    }

    public List<String> strings(String key) throws ConfigException {
        List<String> out = new ArrayList<>();
        for (Node item : items(key)) {
            if (!(item instanceof ScalarNode s)) {
                throw error(item, child(key), "must be a list of single values");
            }
            out.add(s.getValue().trim());
        }
        return out;
    }

    /** Fails on the first key nobody asked for. */
    public void finish() throws ConfigException {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            if (!taken.contains(e.getKey())) {
                throw error(e.getValue().getKeyNode(), child(e.getKey()), "unknown key");
            }
        }
    }

    /** An error pointing at the line of {@code key} (or of this mapping when the key is absent). */
    public ConfigException errorAt(String key, String message) {
        NodeTuple t = entries.get(key);
        return error(t != null ? t.getValueNode() : node, child(key), message);
    }

    private List<Node> items(String key) throws ConfigException {
        Node v = value(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof ScalarNode s && (s.getValue().isEmpty() || s.getValue().equals("null"))) {
            return List.of();
        }
        if (!(v instanceof SequenceNode seq)) {
            throw error(v, child(key), "must be a list");
        }
        return seq.getValue();
    }

    private Node value(String key) {
        taken.add(key);
        NodeTuple t = entries.get(key);
        if (t == null) {
            return null;
        }
        Node v = t.getValueNode();
        if (v instanceof ScalarNode s && s.getTag().getValue().endsWith(":null")) {
            return null;
        }
        return v;
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private ConfigException error(Node at, String key, String message) {
        int line = at == null ? 0 : at.getStartMark().map(m -> m.getLine() + 1).orElse(0);
        String where = line > 0 ? file + ":" + line : file;
        return new ConfigException(where + ": " + key + ": " + message);
    }
}
