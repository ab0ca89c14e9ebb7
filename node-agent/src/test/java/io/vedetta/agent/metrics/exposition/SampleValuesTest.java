package io.vedetta.agent.metrics.exposition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SampleValuesTest {

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "+1", "1.", ".5", "-.5", "928708", "825.32", "1.518048392e+09", "1E22", "1e-22",
        "1e23", "1e-23", "9007199254740991", "9007199254740993", "123456789012345678901234567890",
        "0.000000000000000000000000001", "1.7976931348623157e308", "4.9e-324", "2.5e-3", "1e0400", "0.1e+0005"})
    void readsEveryNumberExactlyAsDoubleParseDoubleDoes(String text) {
        assertSame(Double.parseDouble(text), read(text), text);
    }

    @Test
    void readsRandomNumbersInEveryNotationExactlyAsDoubleParseDoubleDoes() {
        Random random = new Random(5);
        for (int i = 0; i < 200_000; i++) {
            double value = switch (i % 4) {
                case 0 -> random.nextLong() >> random.nextInt(64);
                case 1 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
                case 2 -> Double.longBitsToDouble(random.nextLong());
                default -> Math.round(random.nextDouble() * 1e6) / 100.0;
            };
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                continue;
            }
            for (String text : new String[] {Double.toString(value), String.format(Locale.ROOT, "%.9e", value),
                String.format(Locale.ROOT, "%.6f", value), String.format(Locale.ROOT, "%.15g", value)}) {
                assertSame(Double.parseDouble(text), read(text), text);
            }
        }
    }

    @Test
    void readsNaNAndInfinitiesInAnyCase() {
        assertEquals(Double.NaN, read("NaN"));
        assertEquals(Double.POSITIVE_INFINITY, read("+Inf"));
        assertEquals(Double.POSITIVE_INFINITY, read("inf"));
        assertEquals(Double.NEGATIVE_INFINITY, read("-INF"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1x", "", ".", "-", "1e", "1e+", "0x10", "1_000", "1.2.3", "Infinity", "1d"})
    void refusesWhatIsNotANumber(String text) {
        assertThrows(IllegalArgumentException.class, () -> read(text));
    }

    private static double read(String text) {
        byte[] bytes = (" " + text + " ").getBytes(StandardCharsets.UTF_8);
        return SampleValues.parse(bytes, 1, bytes.length - 1);
    }

    private static void assertSame(double expected, double actual, String text) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual), text);
    }
}
