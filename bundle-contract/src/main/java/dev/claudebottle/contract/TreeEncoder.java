package dev.claudebottle.contract;

import java.io.IOException;
import java.util.Map;

/**
 * A JSON library's writer of a tree of maps, lists, strings, numbers and booleans
 * ({@code ObjectMapper::writeValueAsBytes}, say): the contract defines the trees, each side brings
 * its own library to write them.
 */
@FunctionalInterface
public interface TreeEncoder {
    /** The tree as JSON bytes. */
    byte[] encode(Map<String, Object> tree) throws IOException;
}
