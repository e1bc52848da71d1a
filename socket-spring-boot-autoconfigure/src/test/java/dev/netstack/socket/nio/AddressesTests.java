package dev.netstack.socket.nio;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The allocation-free dotted-quad parser of {@link Addresses} accepts exactly what the regular expression it
 * replaced accepted, and yields the same address.
 */
class AddressesTests {

    /** The expression the parser replaced, kept here as the reference. */
    private static final Pattern IPV4 = Pattern
        .compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    @ParameterizedTest
    @ValueSource(strings = { "0.0.0.0", "127.0.0.1", "255.255.255.255", "198.20.30.40", "1.2.3.4", "199.249.250.9" })
    void validQuadsParseToTheirBytes(String text) throws Exception {
        long value = Addresses.ipv4Value(text);
        byte[] expected = java.net.InetAddress.getByName(text).getAddress();
        long reference = ((expected[0] & 0xffL) << 24) | ((expected[1] & 0xff) << 16) | ((expected[2] & 0xff) << 8)
                | (expected[3] & 0xff);
        assertThat(value).isEqualTo(reference);
        assertThat(Addresses.parse(new NetAddress(text, 9, NetAddress.IPV4), true).getAddress().getAddress())
            .isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = { "256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.004", "1..2.3", ".1.2.3", "1.2.3.",
            "1.2.3.4.", "1000.1.1.1", "...", ".", "0", "99999999999" })
    void invalidQuadsAreRefusedWithTheSameMessage(String text) {
        assertThat(Addresses.ipv4Value(text)).isEqualTo(-1);
        assertThatThrownBy(() -> Addresses.parse(new NetAddress(text, 9, NetAddress.IPV4), true))
            .isInstanceOf(BusinessError.class)
            .hasMessageContaining("address '" + text + "' is not a valid IPv4 literal");
    }

    @Test
    void agreesWithTheReferenceExpressionOnRandomDigitsAndDots() {
        Random random = new Random(42);
        List<String> samples = new ArrayList<>();
        char[] alphabet = "0123456789.....".toCharArray();
        for (int n = 0; n < 200_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = 1 + random.nextInt(16);
            for (int i = 0; i < length; i++) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            samples.add(text.toString());
        }
        int valid = 0;
        for (String text : samples) {
            boolean expected = IPV4.matcher(text).matches();
            assertThat(Addresses.ipv4Value(text) >= 0).as(text).isEqualTo(expected);
            if (expected) {
                valid++;
            }
        }
        // The sample must hold valid quads too, or the comparison would prove little.
        assertThat(valid).isGreaterThan(100);
    }

    @Test
    void digitsAndDotsMatchesTheClassItReplaced() {
        assertThat(Addresses.digitsAndDots("1.2.3.4")).isTrue();
        assertThat(Addresses.digitsAndDots("...")).isTrue();
        assertThat(Addresses.digitsAndDots("")).isFalse();
        assertThat(Addresses.digitsAndDots("1.2.3.a")).isFalse();
        assertThat(Addresses.digitsAndDots("example.com")).isFalse();
    }

}
