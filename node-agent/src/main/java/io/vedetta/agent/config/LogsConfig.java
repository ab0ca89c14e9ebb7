package io.vedetta.agent.config;

import java.util.List;

/** Container log collection; the settings of the pipeline itself are read by the log shipper's section. */
public record LogsConfig(boolean enabled, List<String> paths, List<String> excludePaths, String stateDir) {

    static LogsConfig from(ConfigNode n) {
        return new LogsConfig(
                n.bool("enabled", false),
                n.stringList("paths", List.of("/var/log/containers/*.log")),
                n.stringList("excludePaths", List.of()),
                n.string("stateDir", "/var/lib/vedetta"));
    }
}
