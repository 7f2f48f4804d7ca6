package dev.beckon.bench.load;

import java.util.Arrays;

/** Request latencies in microseconds, kept whole so that percentiles are exact. Not thread-safe. */
final class Latencies {

    private long[] micros = new long[1 << 16];
    private int count;

    void add(long latencyMicros) {
        if (count == micros.length) {
            micros = Arrays.copyOf(micros, count * 2);
        }
        micros[count++] = latencyMicros;
    }

    void addAll(Latencies other) {
        for (int i = 0; i < other.count; i++) {
            add(other.micros[i]);
        }
    }

    int count() {
        return count;
    }

    /** The latency under which {@code percent} of requests were answered, in milliseconds. */
    double percentileMs(double percent) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(micros, count);
        Arrays.sort(sorted);
        int index = (int) Math.min(count - 1, Math.ceil(percent / 100.0 * count) - 1);
        return sorted[Math.max(0, index)] / 1000.0;
    }
}
