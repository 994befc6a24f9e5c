package dev.claudebottle.bundle.trust;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** The check digits and checksums that tell a real account or wallet number from a look-alike. */
final class Checksums {
    private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    private Checksums() {
    }

    /** Whether an IBAN's check digits hold (ISO 13616: the rearranged number mod 97 is 1). */
    static boolean iban(String candidate) {
        String rearranged = candidate.substring(4) + candidate.substring(0, 4);
        int remainder = 0;
        for (int i = 0; i < rearranged.length(); i++) {
            char c = rearranged.charAt(i);
            int value = Character.isDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = value > 9 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
        }
        return remainder == 1;
    }

    /** Whether a Base58Check string (a Bitcoin address or WIF key) carries its own checksum. */
    static boolean base58Check(String candidate) {
        BigInteger value = BigInteger.ZERO;
        for (int i = 0; i < candidate.length(); i++) {
            int digit = BASE58.indexOf(candidate.charAt(i));
            if (digit < 0) {
                return false;
            }
            value = value.multiply(BigInteger.valueOf(58)).add(BigInteger.valueOf(digit));
        }
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        int zeros = 0;
        while (zeros < candidate.length() && candidate.charAt(zeros) == '1') {
            zeros++;
        }
        byte[] decoded = new byte[zeros + bytes.length];
        System.arraycopy(bytes, 0, decoded, zeros, bytes.length);
        if (decoded.length < 5) {
            return false;
        }
        byte[] payload = Arrays.copyOf(decoded, decoded.length - 4);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] hash = sha.digest(sha.digest(payload));
            return Arrays.equals(hash, 0, 4, decoded, decoded.length - 4, decoded.length);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
