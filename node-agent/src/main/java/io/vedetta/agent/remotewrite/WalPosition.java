package io.vedetta.agent.remotewrite;

/**
 * A place in the write-ahead log: sample {@code index} of the record at byte {@code offset} of segment
 * {@code segment}. An endpoint's shard that has acknowledged position p has sent every sample of its series before p.
 */
public record WalPosition(int segment, long offset, int index) implements Comparable<WalPosition> {

    public static final WalPosition START = new WalPosition(0, 0, 0);

    @Override
    public int compareTo(WalPosition o) {
        if (segment != o.segment) {
            return Integer.compare(segment, o.segment);
        }
        if (offset != o.offset) {
            return Long.compare(offset, o.offset);
        }
        return Integer.compare(index, o.index);
    }

    public boolean isBefore(WalPosition o) {
        return compareTo(o) < 0;
    }

    static WalPosition min(WalPosition a, WalPosition b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static WalPosition max(WalPosition a, WalPosition b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public String toString() {
        return segment + ":" + offset + "#" + index;
    }
}
