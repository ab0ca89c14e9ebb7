package io.vedetta.agent.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.vedetta.agent.config.LoggingConfig;
import org.slf4j.LoggerFactory;

/** Points the agent's logging at stdout in the configured format; called once the config is known. */
public final class LogSetup {

    private LogSetup() {
    }

    public static void configure(LoggingConfig config) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();

        Layout<ILoggingEvent> layout;
        if (config.format() == LoggingConfig.Format.TEXT) {
            PatternLayout pattern = new PatternLayout();
            pattern.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level [%thread] %logger{36} - %msg %kvp%n");
            layout = pattern;
        } else {
            layout = new JsonLineLayout();
        }
        logTo(context, false, layout, Level.toLevel(config.level().name()));
        // fabric8 and the JDK HTTP client are chatty at INFO about reconnects the agent already reports.
        context.getLogger("io.fabric8.kubernetes.client").setLevel(Level.WARN);
        // The Reflector logs every failed list as an ERROR with a stack trace ("will stop") although
        // discovery restarts the informer; discovery's own warning already names the cause once.
        context.getLogger("io.fabric8.kubernetes.client.informers.impl.cache.Reflector").setLevel(Level.OFF);
        // fluent-logger-java logs an ERROR without a cause on every failed flush; the forward sink counts and
        // logs the failure once itself.
        context.getLogger("org.fluentd.logger.sender.RawSocketSender").setLevel(Level.OFF);
    }

    /** The root logger writes events of {@code level} and above with {@code layout} to stdout, or to stderr. */
    static void logTo(LoggerContext context, boolean stderr, Layout<ILoggingEvent> layout, Level level) {
        layout.setContext(context);
        layout.start();

        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();

        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(stderr ? "stderr" : "stdout");
        console.setTarget(stderr ? "System.err" : "System.out");
        console.setEncoder(encoder);
        console.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        root.addAppender(console);
    }
}
