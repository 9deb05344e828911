package io.pxcprobe.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.pxcprobe.config.LogConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logback set up in code: text or JSON lines on stdout, the agent's level, chatty libraries quieted. */
public final class Logging {
    private Logging() {}

    public static void configure(LogConfig config) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        Encoder<ILoggingEvent> encoder;
        if (config.format() == LogConfig.Format.JSON) {
            JsonEncoder json = new JsonEncoder();
            json.setWithArguments(false);
            json.setWithMessage(false);
            json.setWithFormattedMessage(true);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            encoder = json;
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{20} - %msg%n");
            encoder = text;
        }
        encoder.setContext(ctx);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(ctx);
        console.setName("stdout");
        console.setEncoder(encoder);
        console.start();
        var root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(config.level().name()));
        root.addAppender(console);
        ctx.getLogger("io.netty").setLevel(Level.WARN);
        ctx.getLogger("io.fabric8").setLevel(Level.WARN);
        // discovery logs one line per change of state; fabric8's own logs a WARN on every retry
        ctx.getLogger("io.fabric8.kubernetes.client.informers.impl.cache.Reflector")
                .setLevel(Level.ERROR);
        ctx.getLogger("org.xbill").setLevel(Level.WARN);
    }
}
