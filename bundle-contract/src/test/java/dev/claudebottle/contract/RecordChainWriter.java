package dev.claudebottle.contract;

import java.nio.file.Path;

/** A separate process appending to a record: {@code FILE COUNT NAME [FILE_BYTES]}, for the tests of two writers. */
public final class RecordChainWriter {
    private RecordChainWriter() {
    }

    public static void main(String[] args) throws Exception {
        try (RecordChain chain = new RecordChain(Path.of(args[0]),
                args.length > 3 ? Long.parseLong(args[3]) : 1 << 20, 3)) {
            for (int i = 0; i < Integer.parseInt(args[1]); i++) {
                chain.append("{\"writer\":\"" + args[2] + "\",\"n\":" + i + "}");
            }
        }
    }
}
