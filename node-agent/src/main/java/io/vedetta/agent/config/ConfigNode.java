package io.vedetta.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One mapping of the YAML config, read setting by setting with defaults. Every error names the full
 * dotted path of the setting. Keys that nobody read are reported by {@link #rejectUnknown()}, so a typo
 * ({@code htpp}) fails at startup instead of being silently ignored.
 */
public final class ConfigNode {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|KB|MB|GB)?");

    /** The longest duration of any setting: far beyond any useful one, and far from overflowing nanoseconds. */
    public static final Duration MAX_DURATION = Duration.ofDays(3650);
    /** The largest size of any setting (1 TiB); settings that must fit in memory have lower limits of their own. */
    public static final long MAX_BYTES = 1L << 40;

    private final String path;
    private final ObjectNode node;
    private final Set<String> known = new LinkedHashSet<>();
    /** Keys read as mappings of free names ({@link #stringMap}), such as per-source timeouts. */
    private final Set<String> maps = new LinkedHashSet<>();
    private final List<ConfigNode> children = new ArrayList<>();

    private ConfigNode(String path, ObjectNode node) {
        this.path = path;
        this.node = node;
    }

    public static ConfigNode root(JsonNode tree) {
        if (tree == null || tree.isNull() || tree.isMissingNode()) {
            return new ConfigNode("", JsonNodeFactory.instance.objectNode());
        }
        if (!tree.isObject()) {
            throw new ConfigException("(top level)", "the file must be a YAML mapping of sections",
                    "start the file with a section such as `http:`");
        }
        return new ConfigNode("", (ObjectNode) tree);
    }

    public String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public boolean has(String key) {
        JsonNode value = node.get(key);
        return value != null && !value.isNull();
    }

    /** A nested mapping; absent means all of its settings take their defaults. */
    public ConfigNode section(String key) {
        known.add(key);
        JsonNode value = node.get(key);
        ConfigNode child;
        if (value == null || value.isNull()) {
            child = new ConfigNode(path(key), JsonNodeFactory.instance.objectNode());
        } else if (value.isObject()) {
            child = new ConfigNode(path(key), (ObjectNode) value);
        } else {
            throw new ConfigException(path(key), "expected a mapping of settings but got " + describe(value),
                    "write `" + key + ":` followed by indented settings, or remove it to use the defaults");
        }
        children.add(child);
        return child;
    }

    public Optional<String> optionalString(String key) {
        JsonNode value = value(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isValueNode() || value.isContainerNode()) {
            throw new ConfigException(path(key), "expected a string but got " + describe(value),
                    "quote the value, e.g. " + key + ": \"value\"");
        }
        return Optional.of(value.asText());
    }

    public String string(String key, String defaultValue) {
        return optionalString(key).orElse(defaultValue);
    }

    public boolean bool(String key, boolean defaultValue) {
        JsonNode value = value(key);
        if (value == null) {
            return defaultValue;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual() && (value.asText().equals("true") || value.asText().equals("false"))) {
            return Boolean.parseBoolean(value.asText());
        }
        throw new ConfigException(path(key), "expected true or false but got " + describe(value),
                "set " + path(key) + " to true or false");
    }

    public int integer(String key, int defaultValue, int min, int max) {
        JsonNode value = value(key);
        if (value == null) {
            return defaultValue;
        }
        String range = "set " + path(key) + " to a number between " + min + " and " + max;
        BigInteger parsed;
        if (value.isIntegralNumber()) {
            parsed = value.bigIntegerValue();
        } else if (value.isTextual() && value.asText().trim().matches("[-+]?\\d+")) {
            parsed = new BigInteger(value.asText().trim());
        } else {
            throw new ConfigException(path(key), "expected a whole number but got " + describe(value), range);
        }
        if (parsed.compareTo(BigInteger.valueOf(min)) < 0 || parsed.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new ConfigException(path(key), abbreviated(parsed.toString()) + " is out of range", range);
        }
        return parsed.intValue();
    }

    /**
     * Durations are written {@code 500ms}, {@code 30s}, {@code 5m} or {@code 1h}, and are at most
     * {@link #MAX_DURATION}: every duration the agent keeps must still fit in nanoseconds when added to a clock.
     */
    public Duration duration(String key, Duration defaultValue) {
        JsonNode value = value(key);
        if (value == null) {
            return defaultValue;
        }
        Matcher m = DURATION.matcher(value.asText().trim());
        if (!value.isTextual() || !m.matches()) {
            throw new ConfigException(path(key), "expected a duration but got " + describe(value),
                    "write it as a number with a unit: 500ms, 30s, 5m or 1h");
        }
        BigInteger millis = new BigInteger(m.group(1)).multiply(BigInteger.valueOf(switch (m.group(2)) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            default -> 3_600_000L;
        }));
        if (millis.compareTo(BigInteger.valueOf(MAX_DURATION.toMillis())) > 0) {
            throw new ConfigException(path(key), abbreviated(value.asText().trim()) + " is longer than the agent"
                    + " accepts", "use at most " + MAX_DURATION.toHours() + "h (ten years)");
        }
        return Duration.ofMillis(millis.longValueExact());
    }

    /** A duration of at most {@code max}: for settings handed on in milliseconds as an int, or waited for whole. */
    public Duration duration(String key, Duration defaultValue, Duration max) {
        Duration value = duration(key, defaultValue);
        if (value.compareTo(max) > 0) {
            throw new ConfigException(path(key), value.toMillis() + "ms is longer than the agent accepts here",
                    "use at most " + (max.toMinutes() >= 60 && max.toMinutes() % 60 == 0 ? max.toHours() + "h"
                            : max.toMinutes() + "m"));
        }
        return value;
    }

    /**
     * Sizes in bytes, written {@code 1048576}, {@code 512KiB}, {@code 1MiB}, {@code 2GiB} (KB/MB/GB mean the same),
     * at most {@link #MAX_BYTES}.
     */
    public long bytes(String key, long defaultValue) {
        JsonNode value = value(key);
        if (value == null) {
            return defaultValue;
        }
        Matcher m = SIZE.matcher(value.asText().trim());
        if (!(value.isTextual() || value.isIntegralNumber()) || !m.matches()) {
            throw new ConfigException(path(key), "expected a size but got " + describe(value),
                    "write it as bytes or with a unit: 65536, 512KiB, 1MiB, 2GiB");
        }
        String unit = m.group(2) == null ? "B" : m.group(2);
        BigInteger bytes = new BigInteger(m.group(1)).shiftLeft(switch (unit) {
            case "KiB", "KB" -> 10;
            case "MiB", "MB" -> 20;
            case "GiB", "GB" -> 30;
            default -> 0;
        });
        if (bytes.compareTo(BigInteger.valueOf(MAX_BYTES)) > 0) {
            throw new ConfigException(path(key), abbreviated(value.asText().trim()) + " is more than the agent"
                    + " accepts", "use at most " + (MAX_BYTES >> 30) + "GiB");
        }
        return bytes.longValueExact();
    }

    public <E extends Enum<E>> E choice(String key, E defaultValue, Class<E> type) {
        Optional<String> raw = optionalString(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            String name = constant.name().toLowerCase(Locale.ROOT);
            names.add(name);
            if (name.equals(raw.get().toLowerCase(Locale.ROOT))) {
                return constant;
            }
        }
        throw new ConfigException(path(key), "unknown value \"" + raw.get() + "\"",
                "use one of " + String.join(", ", names));
    }

    public List<String> stringList(String key, List<String> defaultValue) {
        JsonNode value = value(key);
        if (value == null) {
            return defaultValue;
        }
        if (value.isTextual()) {
            return List.of(value.asText());
        }
        if (!value.isArray()) {
            throw new ConfigException(path(key), "expected a list of strings but got " + describe(value),
                    "write it as a YAML list, e.g. " + key + ": [\"a\", \"b\"]");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isValueNode() || item.isNull()) {
                throw new ConfigException(path(key) + "[" + i + "]", "expected a string but got " + describe(item),
                        "make every item of " + path(key) + " a string");
            }
            out.add(item.asText());
        }
        return List.copyOf(out);
    }

    public Map<String, String> stringMap(String key) {
        maps.add(key);
        JsonNode value = value(key);
        if (value == null) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw new ConfigException(path(key), "expected a mapping of names to strings but got " + describe(value),
                    "write it as indented `name: value` lines");
        }
        Map<String, String> out = new LinkedHashMap<>();
        value.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return Map.copyOf(out);
    }

    /**
     * An http or https URL; {@code credentialsFix} says where the credentials go instead, should the URL carry
     * user info (it is refused, and never quoted).
     */
    public Optional<URI> optionalUrl(String key, String credentialsFix) {
        return optionalString(key).map(raw -> url(path(key), raw, credentialsFix));
    }

    public List<URI> urlList(String key, List<String> defaultValue, String credentialsFix) {
        List<String> raw = stringList(key, defaultValue);
        List<URI> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            out.add(url(path(key) + "[" + i + "]", raw.get(i), credentialsFix));
        }
        return List.copyOf(out);
    }

    /**
     * An http or https URL with a valid host and no user info; anything else is an error naming {@code setting}
     * that quotes the URL with its user info hidden.
     */
    static URI url(String setting, String raw, String credentialsFix) {
        String shown = "\"" + Urls.redacted(raw) + "\"";
        if (Urls.hasUserInfo(raw)) {
            throw new ConfigException(setting, shown + " carries credentials (user info before an @)",
                    "remove them from the URL; " + credentialsFix);
        }
        String fix = "write a full URL such as https://elasticsearch:9200";
        URI uri;
        try {
            uri = new URI(raw.trim());
        } catch (URISyntaxException e) {
            throw new ConfigException(setting, shown + " is not a valid URL (" + e.getReason() + " at index "
                    + e.getIndex() + ")", fix);
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new ConfigException(setting, shown + " is not an http or https URL", fix);
        }
        if (uri.getHost() == null) {
            throw new ConfigException(setting, shown + (uri.getRawAuthority() == null ? " has no host"
                    : " has no valid host name (letters, digits, '-' and '.'; an underscore is not allowed)"), fix);
        }
        return uri;
    }

    /** Fails on the first key of this mapping or any mapping read below it that no code asked for. */
    public void rejectUnknown() {
        Iterator<String> keys = node.fieldNames();
        while (keys.hasNext()) {
            String key = keys.next();
            if (!known.contains(key)) {
                throw new ConfigException(path(key), "unknown setting" + suggestion(key),
                        "remove it or use one of: " + String.join(", ", known));
            }
        }
        children.forEach(ConfigNode::rejectUnknown);
    }

    /**
     * The dotted path of every setting read from this mapping and those below it, which is every setting the loader
     * accepts once a config has made it read each section; the names of a free mapping appear as {@code <name>}.
     */
    Set<String> settingsRead() {
        Set<String> settings = new TreeSet<>();
        Set<String> sections = new HashSet<>();
        for (ConfigNode child : children) {
            sections.add(child.path);
            if (!maps.contains(child.path.substring(child.path.lastIndexOf('.') + 1))) {
                settings.addAll(child.settingsRead());
            }
        }
        for (String key : known) {
            if (maps.contains(key)) {
                settings.add(path(key) + ".<name>");
            } else if (!sections.contains(path(key))) {
                settings.add(path(key));
            }
        }
        return settings;
    }

    private String suggestion(String key) {
        return known.stream()
                .filter(k -> distance(k.toLowerCase(Locale.ROOT), key.toLowerCase(Locale.ROOT)) <= 2)
                .findFirst()
                .map(k -> " (did you mean `" + path(k) + "`?)")
                .orElse("");
    }

    private JsonNode value(String key) {
        known.add(key);
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value;
    }

    /** A value quoted in an error, cut short when someone pasted a very long number. */
    private static String abbreviated(String raw) {
        return raw.length() <= 40 ? raw : raw.substring(0, 20) + "…(" + raw.length() + " characters)";
    }

    private static String describe(JsonNode value) {
        if (value.isObject()) {
            return "a mapping";
        }
        if (value.isArray()) {
            return "a list";
        }
        return "\"" + value.asText() + "\"";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
