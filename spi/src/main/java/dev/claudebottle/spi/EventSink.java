package dev.claudebottle.spi;

/** Receives events. Injected into plugins; implementations must be thread-safe. */
@FunctionalInterface
public interface EventSink {
    /** Reports an event. */
    void emit(Event event);

    /** Reports a lifecycle milestone. */
    default void lifecycle(String message) {
        emit(new Event.Lifecycle(message));
    }

    /** Reports a warning. */
    default void warn(String message) {
        emit(new Event.Warning(message));
    }

    /** Reports debug detail. */
    default void debug(String message) {
        emit(new Event.Debug(message));
    }
}
