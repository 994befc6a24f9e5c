package dev.claudebottle.bundle.log;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends every line the bundle writes to its record as an OpenTelemetry log record over OTLP/HTTP
 * (the official SDK, the JDK's HTTP client): the line itself as the body, the bottle, kind and
 * decision as attributes. Sending happens in batches on a thread of its own, from a bounded queue
 * that drops what does not fit, so an endpoint that is slow or gone never holds up the bottle; the
 * bundle log says when sending starts failing and when it works again.
 */
public final class RecordExport implements Consumer<String>, AutoCloseable {
    private static final AttributeKey<String> BOTTLE = AttributeKey.stringKey("claude_bottle.bottle");
    private static final AttributeKey<String> KIND = AttributeKey.stringKey("claude_bottle.kind");
    private static final AttributeKey<String> DECISION = AttributeKey.stringKey("claude_bottle.decision");
    private static final Pattern FIELD = Pattern.compile("\"(kind|decision)\":\"([^\"]*)\"");
    private final String slug;
    private final SdkLoggerProvider provider;
    private final Logger logger;

    /**
     * An export to the OTLP/HTTP receiver at {@code endpoint} ({@code http(s)://host:port}; the logs
     * path {@code /v1/logs} is added unless it is there).
     */
    public RecordExport(String endpoint, String slug, DaemonLog log, Duration batchDelay) {
        this.slug = slug;
        String url = endpoint.endsWith("/v1/logs") ? endpoint : endpoint.replaceAll("/+$", "") + "/v1/logs";
        LogRecordExporter exporter = new Reporting(OtlpHttpLogRecordExporter.builder().setEndpoint(url)
                .setTimeout(Duration.ofSeconds(10)).build(), url, log);
        this.provider = SdkLoggerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), "claude-bottle"))))
                .addLogRecordProcessor(BatchLogRecordProcessor.builder(exporter).setScheduleDelay(batchDelay)
                        .setMaxQueueSize(10_000).build())
                .build();
        this.logger = provider.get("dev.claudebottle.record");
        log.info("exporting the record to " + url + " (OTLP/HTTP)");
    }

    /** Queues one record line; never waits for the receiver. */
    @Override
    public void accept(String line) {
        var record = logger.logRecordBuilder().setBody(line).setAttribute(BOTTLE, slug)
                .setSeverity(line.contains("\"decision\":\"alert\"") ? Severity.WARN : Severity.INFO);
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
            record.setAttribute(m.group(1).equals("kind") ? KIND : DECISION, m.group(2));
        }
        record.emit();
    }

    /** Sends what is queued, waiting two seconds at most: a bottle never waits long for its receiver. */
    @Override
    public void close() {
        provider.shutdown().join(2, TimeUnit.SECONDS);
    }

    /** The OTLP exporter, saying in the bundle log when sending fails and when it works again. */
    private static final class Reporting implements LogRecordExporter {
        private final LogRecordExporter delegate;
        private final String url;
        private final DaemonLog log;
        private final AtomicBoolean failing = new AtomicBoolean();

        Reporting(LogRecordExporter delegate, String url, DaemonLog log) {
            this.delegate = delegate;
            this.url = url;
            this.log = log;
        }

        @Override
        public CompletableResultCode export(Collection<LogRecordData> logs) {
            CompletableResultCode result = delegate.export(logs);
            result.whenComplete(() -> {
                if (!result.isSuccess() && failing.compareAndSet(false, true)) {
                    Throwable why = result.getFailureThrowable();
                    log.error("exporting the record to " + url + " fails" + (why == null ? "" : " (" + why.getMessage()
                            + ")") + "; the record on disk is complete, and sending goes on trying");
                } else if (result.isSuccess() && failing.compareAndSet(true, false)) {
                    log.info("exporting the record to " + url + " works again");
                }
            });
            return result;
        }

        @Override
        public CompletableResultCode flush() {
            return delegate.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return delegate.shutdown();
        }
    }
}
