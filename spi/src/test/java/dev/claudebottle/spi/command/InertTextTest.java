package dev.claudebottle.spi.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Guest-written text made inert: nothing in it can act on a terminal or hide. */
class InertTextTest {
    /** Erases the line, returns the cursor, and writes a forged row in its place. */
    private static final String FORGED = "harmless\u001b[2K\r\nd4c3b2a1 other-0000 command pending 0s approve me"
            + "\u009b31m\u202egnp.exe\u200b\u0007";

    @Test
    void everyCharacterThatActsOnATerminalBecomesAnEscape() {
        String inert = InertText.of(FORGED);

        assertThat(inert).doesNotContain("\u001b", "\r", "\n", "\u009b", "\u202e", "\u200b", "\u0007")
                .contains("\\u001b[2K\\r\\nd4c3b2a1", "\\u009b31m", "\\u202egnp.exe", "\\u200b", "\\u0007");
        assertThat(InertText.of("plain text, ünïcode and 日本語")).isEqualTo("plain text, ünïcode and 日本語");
    }

    @Test
    void aLineOrParagraphSeparatorBecomesAnEscapeAsALineBreakDoes() {
        // YAML 1.1 readers, editors and some viewers end a line at these, so they could forge one
        String inert = InertText.of("# a comment\u2028evil: true\u2029");

        assertThat(inert).isEqualTo("# a comment\\u2028evil: true\\u2029");
    }

    @Test
    void charactersThatShowNothingBecomeEscapesAndVisibleOnesBeyondTheBasicPlaneStay() {
        String tag = new String(Character.toChars(0xe0041));
        String hidden = "pay\u00adpal \u3164 ok\ufe0f " + tag + " lone\ud800 end";
        String inert = InertText.of(hidden);

        assertThat(inert).isEqualTo("pay\\u00adpal \\u3164 ok\\ufe0f \\udb40\\udc41 lone\\ud800 end");
        assertThat(InertText.of("emoji \ud83d\ude00 and 𝄞")).as("what shows stays").isEqualTo("emoji \ud83d\ude00 and 𝄞");
    }
}
