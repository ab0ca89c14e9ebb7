package io.vedetta.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock the test moves by hand, so timeouts and grace periods are exercised without sleeping. Safe to read from the
 * threads of the code under test while the test advances it.
 */
public final class TestClock extends Clock {

    private volatile Instant now;

    public TestClock(Instant start) {
        this.now = start;
    }

    public void advance(Duration by) {
        now = now.plus(by);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** Tests run in UTC: the zone is ignored. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
