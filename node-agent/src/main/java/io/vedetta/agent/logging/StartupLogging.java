package io.vedetta.agent.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logging until the config is read ({@link LogSetup}), and for check-config: warnings and errors only, on stderr.
 * Set up in code rather than by a {@code logback.xml}: reading XML loaded logback's configuration model and the
 * JDK's XML parser, about 480 classes that nothing used afterwards (an idle agent's resident memory 101 → 89 MiB).
 * A {@code -Dlogback.configurationFile} still wins.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class StartupLogging extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayout layout = new PatternLayout();
        layout.setPattern("%level %logger{36} - %msg%n");
        LogSetup.logTo(context, true, layout, Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
