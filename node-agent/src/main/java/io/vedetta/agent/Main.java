package io.vedetta.agent;

import io.vedetta.agent.config.AgentConfig;
import io.vedetta.agent.config.ConfigException;
import io.vedetta.agent.config.ConfigLoader;
import io.vedetta.agent.logging.LogSetup;
import io.vedetta.logs.sink.elasticsearch.TemplateInstaller;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command line: parse arguments, load and validate the config, start the {@link Agent}, and stop it on
 * SIGTERM. Exit codes: 0 ok, 1 bad config or failed start, 2 bad command line.
 */
public final class Main {

    static final String USAGE = """
            Usage: java -jar vedetta-agent.jar [--config FILE] [--check-config | --bootstrap-elasticsearch]
                                               [--version] [--help]

              --config FILE    YAML configuration (every setting has a default; see the README's
                               configuration reference). NODE_NAME comes from the environment.
              --check-config   validate the configuration and exit: 0 when valid, 1 otherwise
              --bootstrap-elasticsearch
                               install the index templates and ILM policy of the elasticsearch.*
                               settings, waiting for Elasticsearch as long as it takes, and exit:
                               0 when installed, 1 when refused (the chart's bootstrap Job)
              --version        print the version and exit
              --help           print this help and exit
            """;

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.getenv(), System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Optional<Path> configFile = Optional.empty();
        boolean checkOnly = false;
        boolean bootstrapOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return 0;
                }
                case "--version" -> {
                    out.println("vedetta-agent " + Version.get());
                    return 0;
                }
                case "--check-config" -> checkOnly = true;
                case "--bootstrap-elasticsearch" -> bootstrapOnly = true;
                case "--config" -> {
                    if (i + 1 >= args.length) {
                        err.println("--config needs a file path\n\n" + USAGE);
                        return 2;
                    }
                    configFile = Optional.of(Path.of(args[++i]));
                }
                default -> {
                    err.println("unknown argument: " + args[i] + "\n\n" + USAGE);
                    return 2;
                }
            }
        }

        AgentConfig config;
        try {
            config = ConfigLoader.load(configFile, env);
        } catch (ConfigException e) {
            err.println("vedetta-agent: " + e.getMessage());
            return 1;
        }
        if (checkOnly) {
            out.println("configuration is valid" + configFile.map(p -> ": " + p).orElse(" (all defaults)"));
            return 0;
        }

        LogSetup.configure(config.logging());
        Logger log = LoggerFactory.getLogger(Main.class);
        ClassSharing.warnWhenOff(log);
        if (bootstrapOnly) {
            return bootstrapElasticsearch(config, log);
        }
        Agent agent;
        try {
            agent = new Agent(config);
        } catch (ConfigException e) {
            err.println("vedetta-agent: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("signal received, shutting down");
            agent.stop();
            log.info("agent stopped");
            stopped.countDown();
        }, "shutdown"));
        try {
            agent.start();
        } catch (Exception e) {
            log.atError().setCause(e).log("agent failed to start: " + e.getMessage());
            return 1;
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static int bootstrapElasticsearch(AgentConfig config, Logger log) {
        try {
            TemplateInstaller.install(Agent.elasticsearch(config));
            log.info("Elasticsearch index templates installed; done");
            return 0;
        } catch (IOException e) {
            log.error("installing the Elasticsearch index templates failed: {}", e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.error("interrupted while installing the Elasticsearch index templates");
            return 1;
        }
    }
}
