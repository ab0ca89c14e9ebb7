package io.vedetta.bench;

import io.vedetta.testkit.AlertingSetup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM options the Helm chart gives the agent by default, read from its {@code values.yaml} so the benchmark
 * measures the agent as it is deployed: {@code javaOptions}, and {@code -XX:MaxRAM} set to the container's memory
 * limit ({@code resources.limits.memory}), which is what the JVM sizes its heap from in a container.
 *
 * @param javaOptions the chart's {@code javaOptions}
 * @param memoryLimit the chart's memory limit as a JVM size ({@code 512m})
 */
record ChartJvm(List<String> javaOptions, String memoryLimit) {

    private static final Pattern JAVA_OPTIONS = Pattern.compile("^javaOptions:\\s*\"([^\"]*)\"\\s*$", Pattern.MULTILINE);
    private static final Pattern MEMORY_LIMIT =
            Pattern.compile("^resources:\\s*$(?:\\n\\s+.*$)*?\\n\\s+limits:\\s*$\\n\\s+memory:\\s*(\\d+)Mi\\s*$",
                    Pattern.MULTILINE);

    /** The chart of this repository, {@code helm/vedetta}. */
    static ChartJvm ofThisRepository() throws IOException {
        return read(AlertingSetup.repo().resolve("helm/vedetta/values.yaml"));
    }

    static ChartJvm read(Path valuesYaml) throws IOException {
        String values = Files.readString(valuesYaml);
        Matcher options = JAVA_OPTIONS.matcher(values);
        Matcher limit = MEMORY_LIMIT.matcher(values);
        if (!options.find() || !limit.find()) {
            throw new IllegalStateException(valuesYaml + " has no javaOptions or resources.limits.memory in Mi");
        }
        return new ChartJvm(Arrays.asList(options.group(1).trim().split("\\s+")), limit.group(1) + "m");
    }

    /** The command-line options of an agent launched as the chart launches it. */
    List<String> options() {
        List<String> options = new ArrayList<>();
        options.add("-XX:MaxRAM=" + memoryLimit);
        options.addAll(javaOptions);
        return options;
    }
}
