package dev.claudebottle.spi;

import java.util.Map;

/** What a running step can use. Guest-side parts are available from {@link Phase#SYSTEM} on. */
public interface StepContext {
    /** The launch. */
    LaunchSpec spec();

    /** The running guest; fails in the {@link Phase#PREPARE} and {@link Phase#LAUNCH} phases. */
    Guest guest();

    /** Where the guest reaches the named port; fails before the backend published it. */
    Endpoint endpoint(String portName);

    /** The guest env with every endpoint reference resolved. */
    Map<String, String> guestEnv();

    /** Where to report progress and warnings. */
    EventSink events();

    /**
     * Hands {@code value} to the steps that run after this one; a key is produced once per launch,
     * a second time fails.
     */
    <T> void produce(ResultKey<T> key, T value);

    /** The value an earlier step produced under {@code key}; fails naming the key when none did. */
    <T> T result(ResultKey<T> key);
}
