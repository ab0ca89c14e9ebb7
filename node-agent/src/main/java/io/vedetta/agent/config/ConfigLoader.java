package io.vedetta.agent.config;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Reads the YAML file (optional: without one every setting takes its default) and the environment. */
public final class ConfigLoader {

    /**
     * A key written twice in one mapping is refused: YAML parsers keep the last, so the settings under the first
     * would be dropped without a word (two {@code logs:} sections, one with the state directory, lose it).
     */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature()));

    private ConfigLoader() {
    }

    public static AgentConfig load(Optional<Path> file, Map<String, String> env) {
        JsonNode tree = null;
        if (file.isPresent()) {
            Path path = file.get();
            try {
                tree = YAML.readTree(Files.readString(path));
            } catch (NoSuchFileException e) {
                throw new ConfigException("--config", "file " + path + " does not exist",
                        "pass the path of an existing YAML file, or leave --config out to use the defaults");
            } catch (JsonParseException e) {
                if (e.getOriginalMessage().startsWith("Duplicate field") && e.getProcessor() != null) {
                    throw duplicate(path, e);
                }
                throw new ConfigException("--config", path + " is not valid YAML at line "
                        + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                        + ": " + problem(e), "correct the YAML syntax there");
            } catch (JsonProcessingException e) {
                throw new ConfigException("--config", path + " is not valid YAML at line "
                        + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                        + ": " + problem(e), "correct the YAML syntax there");
            } catch (IOException e) {
                throw new ConfigException("--config", "cannot read " + path + ": " + e.getMessage(),
                        "make the file readable by the agent's user");
            }
        }
        return AgentConfig.from(ConfigNode.root(tree), env);
    }

    /** The key written twice, named as a setting (its mapping's path and the key). */
    private static ConfigException duplicate(Path path, JsonParseException e) {
        String parent = e.getProcessor().getParsingContext().getParent() == null ? ""
                : e.getProcessor().getParsingContext().getParent().pathAsPointer().toString();
        String key = e.getProcessor().getParsingContext().getCurrentName();
        String setting = (parent.isEmpty() ? "" : parent.substring(1).replace('/', '.') + ".") + key;
        return new ConfigException(setting, "is written twice in " + path + " (line " + e.getLocation().getLineNr()
                + "); YAML would keep only the last and drop the settings under the first",
                "merge the two into one");
    }

    /**
     * What is wrong, without the excerpt of the file that the YAML parser adds to its message: the line may hold a
     * URL with credentials, and the line and column already say where to look.
     */
    private static String problem(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException yaml) {
            return Urls.redactedIn(yaml.getContext() == null ? yaml.getProblem()
                    : yaml.getContext() + ": " + yaml.getProblem());
        }
        return Urls.redactedIn(e.getOriginalMessage());
    }
}
