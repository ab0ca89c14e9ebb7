package io.vedetta.bench;

import io.vedetta.testkit.AlertingSetup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The JVM options the Helm chart gives the agent by default, read from its {@code values.yaml} so the benchmark
 * measures the agent as it is deployed: {@code javaOptions}, and {@code -XX:MaxRAM} set to the container's memory
 * limit ({@code resources.limits.memory}), which is what the JVM sizes its heap from in a container.
 *
 * @param javaOptions the chart's {@code javaOptions}
 * @param memoryLimit the chart's memory limit as a JVM size ({@code 512m})
 * @param environment the image's {@code ENV} settings other than {@code JDK_JAVA_OPTIONS} (which the chart sets
 *                    from {@code javaOptions}), such as {@code MALLOC_ARENA_MAX}
 */
public record ChartJvm(List<String> javaOptions, String memoryLimit, Map<String, String> environment) {

    private static final Pattern JAVA_OPTIONS = Pattern.compile("^javaOptions:\\s*\"([^\"]*)\"\\s*$", Pattern.MULTILINE);
    private static final Pattern MEMORY_LIMIT =
            Pattern.compile("^resources:\\s*$(?:\\n\\s+.*$)*?\\n\\s+limits:\\s*$\\n\\s+memory:\\s*(\\d+)Mi\\s*$",
                    Pattern.MULTILINE);

    private static final Pattern IMAGE_ENV = Pattern.compile("^ENV (\\w+)=(\\S+)$", Pattern.MULTILINE);

    /** The chart of this repository, {@code helm/vedetta}, running its image built from the {@code Dockerfile}. */
    public static ChartJvm ofThisRepository() throws IOException {
        Path repo = AlertingSetup.repo();
        return read(repo.resolve("helm/vedetta/values.yaml"), repo.resolve("Dockerfile"));
    }

    static ChartJvm read(Path valuesYaml, Path dockerfile) throws IOException {
        String values = Files.readString(valuesYaml);
        Matcher options = JAVA_OPTIONS.matcher(values);
        Matcher limit = MEMORY_LIMIT.matcher(values);
        if (!options.find() || !limit.find()) {
            throw new IllegalStateException(valuesYaml + " has no javaOptions or resources.limits.memory in Mi");
        }
        Map<String, String> environment = new LinkedHashMap<>();
        Matcher env = IMAGE_ENV.matcher(Files.readString(dockerfile));
        while (env.find()) {
            if (!env.group(1).equals("JDK_JAVA_OPTIONS")) {
                environment.put(env.group(1), env.group(2));
            }
        }
        return new ChartJvm(Arrays.asList(options.group(1).trim().split("\\s+")), limit.group(1) + "m",
                Map.copyOf(environment));
    }

    /** {@code NAME=value} pairs, space-separated, for reports. */
    static String describe(Map<String, String> environment) {
        return environment.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    /** The command-line options of an agent launched as the chart launches it. */
    public List<String> options() {
        List<String> options = new ArrayList<>();
        options.add("-XX:MaxRAM=" + memoryLimit);
        options.addAll(javaOptions);
        return options;
    }
}
