package dev.claudebottle.pluginhost;

/** Whether a plugin came with the distribution or was dropped into the plugins dir. */
public enum PluginSource {
    /** Shipped in the distribution's plugins folder. */
    BUNDLED,
    /** Found in {@code CLAUDE_BOTTLE_PLUGINS_DIR}. */
    DROPPED_IN;

    /** The word the CLI shows: {@code bundled} or {@code dropped-in}. */
    public String label() {
        return this == BUNDLED ? "bundled" : "dropped-in";
    }
}
